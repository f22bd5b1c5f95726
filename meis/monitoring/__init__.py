"""What the machines that run and watch MEİS read: liveness, readiness and metrics.

Owns the three machine endpoints (docs/deployment.md): `/healthz` (the process answers; no
database), `/readyz` (the database and the shared cache answer; the outbox backlog as
information) and `/metrics` (Prometheus: requests from django-prometheus's middleware, the task
queue and the outbox counted at scrape time), answered by `middleware.py` before the rest of the
stack. Writes nothing but one short-lived cache key per readiness check. Reads the task queue
and the outbox in `selectors.py`; the views are in `views.py`, the scrape-time figures in
`metrics.py`.
"""
