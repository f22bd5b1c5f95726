"""The 142 call log (issue 18, ADR 0017): every call, its topic, outcome and length, and the
call backs promised on calls.

Owns the call topics (data), the calls of each operator — identified caller or not, the
applications discussed, start and end — and the call-back queue with its deadlines and
attempts. Identifying a caller still goes through `accounts` (the call session is the grant to
the caller's record); this app listens to those sessions so that every call is logged.

Writes: `services.py` (`call_answer`, `call_identify`, `call_log_save`, `call_end`,
`callback_request`, `callback_take`).
Reads: `selectors.py` (an operator's calls, the queue, the day's figures; audited reads of a
caller's cases and of the number to call back).
"""
