"""Disability assessment (TSERAS, docs/domain.md §4): referrals, commissions, decisions.

Owns the medical institutions and their staff, the expert commissions (TSEK) with their members
and sittings, the referrals (Form 88) with their medical content, the commissions' decisions and
each member's signature (`models.py`). The signed decision is written to the register's
`lifeevents.DisabilityDecision`, which the awards, the proactive runs and the certificates read.

Writes: `services.py` (referral by a clinic or by the person through the e-service engine,
random assignment, in-person examination, extension, draft, signatures, the last of which
decides, issues the signed extract and recalculates the awards; the daily reminders and
escalation), its letters in `letters.py`; the law's terms in `terms.py`.
Reads: `selectors.py` (the commission's pseudonymised worklist, each opening of medical content
audited to the person; the clinic's referrals; the person's own). Pages:
`citizen_views.py`, `clinic_views.py`, `commission_views.py`.
"""
