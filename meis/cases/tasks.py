"""Background work of the case engine: thin, calls services, safe to run twice."""

from __future__ import annotations

from django_tasks import task


@task()
def case_precheck(case_id: int) -> str:
    """Store the handler's pre-check on a newly submitted case."""
    from meis.cases.services import case_precheck_store

    return case_precheck_store(case_id=case_id)
