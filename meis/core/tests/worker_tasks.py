"""Tasks the worker tests enqueue (a task must be a module-level function)."""

from django.db import OperationalError
from django_tasks import TaskContext, task


@task(takes_context=True)
def fails_once_on_the_database(context: TaskContext) -> str:
    """Meets a dropped connection on its first attempt, succeeds on the next."""
    if context.attempt < 2:
        raise OperationalError("server closed the connection unexpectedly")
    return "done"


@task()
def has_a_bug() -> str:
    raise ValueError("a bug, not the database")
