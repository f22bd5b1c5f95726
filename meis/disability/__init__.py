"""Disability assessment (TSERAS, docs/domain.md §4): referrals, commissions and their decisions.

Owns `MedicalInstitution` and `ClinicStaff` (a clinic and the doctors who refer from it),
`Commission`, `CommissionMember` and `Sitting` (the medical-social expert commissions, TSEK),
`Referral` (Form 88, anonymised for the commission) and `Decision` with its `Signature`s.
Writes: `services.py` (issue, assign at random, book, decide, sign; the signed decision becomes
the register's `meis.lifeevents.DisabilityDecision`). Reads: `selectors.py`.
"""
