"""The employment service's register (məşğulluq, docs/domain.md §8): job seekers, vacancies,
referrals.

Owns `JobSeeker` (işaxtaran / işsiz: one registration, its profile and status), `StatusChange`
(every change of a registration, kept), `Vacancy` (an employer's posted job) and `Referral` (a
centre officer's referral of a job seeker to a vacancy, and the employer's outcome). Writes:
`services.py` (registration, pause, resume, cancellation, the daily end of statuses;
vacancies; referrals). Reads: `selectors.py` (what the registers say about a registration,
vacancy search, suggestions). Scheduled: `tasks.py` (`employment.daily`).
"""
