"""Telling people: versioned message templates, the transactional outbox and its channels.

Owns `Template` (per event and language, versioned) and `Message` (the outbox: e-mail, SMS,
portal inbox), attachments and delivery receipts (ADR 0008, 0012).
Writes: `services/` (`outbox`: queue, receipts, re-send, retention; `bulk`: set-based
queueing; `delivery`: claim and send in batches through `channels.py`; `attachments`).
Reads: `selectors.py`.
Pages: the citizen's inbox, the staff message search, the SMS gateway's callback, and the
development mailbox (DEBUG only).
"""
