"""The employment centre's e-services and pages (məşğulluq mərkəzi, docs/domain.md §8).

Owns no tables (the register is `meis.employment`'s). Writes: `services.py` — registration as
a job seeker or unemployed through the case engine (an instant e-service: the registers decide,
`case_submit_instant` records it) and the daily job that runs the register's own steps.
Reads: `meis.employment.selectors`; `access.py` (who is an employment officer, and the ground
on which one reads a person). Pages: the citizen's `/<lang>/my/employment/` (registration, status, suggested vacancies,
referrals, temporary de-registration and cancellation) and the centre officer's
`/<lang>/backoffice/employment/` (find a job seeker, refer them to a vacancy). Scheduled:
`tasks.py` (`employment.daily`).
Active programmes: `programmes.py` (a project from an approved self-employment application),
`training.py` (enrolment on a course, the stipend award the rules compute, its early end) and
the officer's programme pages (`programme_views.py`).
"""
