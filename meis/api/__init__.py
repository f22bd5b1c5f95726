"""The machine interface, API v1 (issue 20): django-ninja, OpenAPI 3.1 from the type hints, the
interactive documentation served with the project's own static files, errors as RFC 9457
problem details.

Owns no tables yet: the first endpoints are open — the rules (calculate a scheme from facts,
with the trace; the parameters in force on a date) — limited per client address by atomic
counters in Redis (`ratelimit.py`) that hold across processes.

Writes: — (the rate-limit counters live in Redis).
Reads: `rules.py` (the rules engine, as `meis rules evaluate` does), `problems.py` (the error
answers); the API object and its routes in `api.py`.
"""
