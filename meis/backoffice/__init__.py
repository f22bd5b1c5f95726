"""Staff pages over other apps' services: the case queue, an award, audit search, registry admin.

Owns no tables. Writes: none of its own (`views.py` calls the case engine's services,
`award_views.py` the awards' suspend and resume).
Reads: through `cases`, `audit` and `accounts` selectors and access checks. Also the registry
admin (`admin.py`, every record opened through the access funnel) and the auditor's search of
the audit trail (`audit_views.py`, `audit_urls.py`).
"""
