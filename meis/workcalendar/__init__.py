"""Legal time: the national working-day calendar, centre closures and deadlines (ADR 0009).

Owns the decreed working/non-working days (`CalendarDay`) and service centres' own closures.
Writes: `seed.py` (the decreed days of docs/domain.md §11; administrators edit the rest in the
admin). Reads: `selectors.py` (deadlines, calendars, centre opening for other apps), on top of
`arithmetic.py` (working-day arithmetic, no Django) and `national.py` (the holidays package).
"""
