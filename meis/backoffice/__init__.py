"""Staff pages over other apps' services: each role's home, the case queue, an award, audit search,
registry admin.

Owns no tables. Writes: none of its own (`views.py` calls the case engine's services,
`award_views.py` the awards' suspend and resume; the caller page's forms post to `cases` and
`certificates` pages).
Reads: through `cases`, `awards`, `certificates`, `workcalendar`, `audit` and `accounts` selectors
and access checks. The staff home (`home_views.py`: each role's work, the case search and the
operator's caller page) is served at `accounts`' addresses, which it registers with
`accounts.views.staff_page_register` when it starts. Also the registry admin (`admin.py`, every
record opened through the access funnel) and the auditor's search of the audit trail
(`audit_views.py`, `audit_urls.py`).
"""
