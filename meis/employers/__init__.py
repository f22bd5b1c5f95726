"""The employer's pages: what a bound representative (or the head) does for an employer.

Owns no tables of its own (the register is `meis.labour`'s). Writes: through `meis.labour`
services, each confirmed with the representative's one-time code (`confirmation.py`, ADR
0020); `upload_views.py` for files. Reads: `selectors.py` (the employers a person acts for,
their employees, contracts and history). Pages: `/<lang>/employer/`.
"""
