"""The whole-system demo and synthetic data: the composition root above every other app.

Owns `meis demo load` (demo people, staff accounts with TOTP, the seed catalogue, a proactive
run), the demo credentials and `meis registry generate` (a synthetic country with its facts).
Writes: `people.py`, `staff.py`; commands in `management/`. Reads: none of its own.
Never used with production data: the demo password is public.
"""
