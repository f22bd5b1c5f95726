"""The whole-system demo and synthetic data: the composition root above every other app.

Owns `meis demo load` (demo people, staff accounts with TOTP, the seed catalogue, a proactive
run) and the demo credentials. Writes: `people.py`, `staff.py`; commands in `management/`.
Never used with production data: the demo password is public.
"""
