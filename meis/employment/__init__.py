"""The employment service's register (məşğulluq, docs/domain.md §8): job seekers, vacancies,
referrals.

Owns `JobSeeker` (işaxtaran / işsiz: one registration, its profile and status), `StatusChange`
(every change of a registration, kept), `Vacancy` (an employer's posted job) and `Referral` (a
centre officer's referral of a job seeker to a vacancy, and the employer's outcome). Writes:
`services.py` (a registration the registers allowed, pause, resume, cancellation, the set-based
end of statuses; referrals and their outcome), `vacancies.py` (post, withdraw, expire),
`benefit.py` (the unemployment benefit's offer and its end on a new contract), `synthetic/`. Reads:
`selectors.py` (what the registers say about a registration, suggestions), `search.py` (the
public vacancy search). Pages: the public vacancy search (`vacancy_views.py`). The e-service
that registers through the case engine, and the daily job, are `meis.jobcentre`'s.
Active programmes (`models_programmes.py`): `SelfEmploymentProject` with its asset hand-overs
and follow-up visits, whose workflow and reads are `programmes.py`; `TrainingCourse` and
`TrainingEnrolment` (the enrolment and its stipend are `meis.jobcentre`'s).
"""
