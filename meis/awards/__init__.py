"""Entitlements (təyinat): what a person is granted, and the decision record behind it.

Owns `Award` (with its end date and why it ended), `AwardSuspension` (periods not paid, with
their reasons), `DecisionBasis` (rules version and parameters a decision used) and reviewed
`Recalculation` batches. Writes: `services/` (`grant`: single grants with their end date by
law, and their traces; `lifecycle`: the end-date rule; `ending`: the daily end of awards and
renewal reminders; `suspension`: suspend and resume; `letters`; `recalculation`). Reads:
`selectors/` (a citizen's own awards, letters and suspensions; `recorded_facts`, the facts
decisions recorded, read set-based; `recipients`, who a letter goes to). Pages: my awards.
Scheduled: `awards.daily` (`tasks.py`).
"""
