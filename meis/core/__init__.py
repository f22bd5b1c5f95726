"""The shared kernel: what every other app may use, depending on none of them.

Owns identifier validation (FİN, identity documents, VÖEN, phones, IBAN: `identifiers.py`),
set-based reads and writes (PostgreSQL COPY, SQLite executemany: `bulk.py`), the health check
(`views.py`), the periodic-job registry (`scheduler.py`), the worker heartbeat, the task worker
that outlives database outages and the leases on its tasks (`worker.py`, `leases.py`, the
`TaskWorker` table in `models.py`; ADR 0021), our deployment
checks (`checks.py`: the demo setting is refused; per-process limits and an unnamed proxy are
warned about), the client's address behind trusted proxies only (`proxy.py`), the page for
Django's bare 405 (`middleware.py`) and the one way money, dates and yes/no are written (`formats.py`,
`{% load formats %}`), and month arithmetic (`dates.py`, `months_add`).
Writes: `bulk.py` (generic frames to tables), `tasks.py` (heartbeat), `leases.py` (workers seen,
tasks handed back). Reads: `identifiers.py`,
`views.py`.
"""
