"""The append-only audit trail: who did what to whose data, and why.

Owns `AuditEvent` (never updated or deleted). Writes: `services.py` (`audit_record`, called by
every app in the same transaction as the change or read it records). Reads: `selectors.py`
(the auditor's search; "who looked at my data"). The search page is in `backoffice`.
"""
