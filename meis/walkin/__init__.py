"""The walk-in queue of a DOST centre (issue 18): tickets per service group, counters calling.

Owns the centres' service groups (A, B, C… each a letter on the ticket), their counters, and
the tickets: numbered per group and day (A001…), called by a counter, then served or not shown,
with the times kept for waiting-time statistics (issued, called, served). Two counters calling
at once never call the same ticket.

Writes: `services.py` (`ticket_issue`, `ticket_call_next`, `ticket_finish`).
Reads: `selectors.py` (a counter's state, the public display, waiting times).
"""
