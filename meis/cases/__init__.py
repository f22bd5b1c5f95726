"""The case engine: one application (müraciət) model for every channel, from draft to decision.

Owns `Case` and its documents, information requests, timeline events and usage events, with
legal deadlines in working days. Writes: `services/` (submit, transitions, decisions, instant
decisions; each one transaction with its audit and outbox rows; `drafts`, an application being
filled in; `documents`, uploads checked by content). Reads: `selectors.py`; `access.py`
(`case_get_for_actor`: who may read a case, audited). Pages: applying, my applications.
"""
