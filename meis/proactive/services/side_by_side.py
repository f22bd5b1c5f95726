"""The partitions of a full run on one host, side by side: one forked process per partition.

    runs = partitions_start(on=…, schemes=[…], workers=2, actor=…)   # 1/2 and 2/2
    runs = runs_execute_side_by_side(runs)

`meis proactive run --full --workers N` does this. Each process executes one partition's chunks
(`run_execute`), so the result is the result of the N partitions run one after another, or on N
hosts with `--partition i/N` each: every chunk is its own transaction with its checkpoint, and a
failed partition resumes like any run.

The processes are forked from this one after it has loaded what every chunk needs (Django's
apps, the rules' parameters, schemes and explanation texts), so they start at once instead of
importing and loading it all again: about 1.2 s of processor time per process on the benchmark
machine, an eighth of a 10 M stipend run's budget on its two cores.

Forked only where that is sound:
- on PostgreSQL: each child opens its own connection (the parent closes its own before forking,
  so no socket is shared); SQLite's single writer would serialise the partitions anyway;
- where `os.fork` exists (not on Windows);
- from a process that has not yet computed with Polars: its thread pool is started on first use,
  and a forked child inherits the pool's bookkeeping without its threads, so its first parallel
  operation would wait for ever (seen here: a forked child's first group-by never returns). The
  command line qualifies (nothing before the chunks computes with Polars) and asks for forking
  with `fork=True`; the default, for any other caller (a test process, a task worker), runs the
  partitions one after another.
Elsewhere the partitions run one after another in this process.
"""

from __future__ import annotations

import datetime
import os
import sys
import traceback
from collections.abc import Sequence

from django.db import connection, connections

from meis.proactive.models import ProactiveRun, RunMode, RunStatus
from meis.proactive.services.pipeline import (
    DEFAULT_CHUNK_SIZE,
    Actor,
    ProactiveError,
    run_execute,
    run_start,
)
from meis.rules.explain import templates as explanation_templates
from meis.rules.schemes import get_scheme
from meis.rules.store import default_store


def partitions_start(
    *,
    on: datetime.date,
    schemes: Sequence[str] = (),
    workers: int,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    actor: Actor = None,
) -> list[ProactiveRun]:
    """Start (or find, to resume) the `workers` partitions of a full run."""
    if workers < 1:
        raise ProactiveError("A run needs at least one worker.")
    return [
        run_start(
            on=on,
            mode=RunMode.FULL,
            schemes=schemes,
            partition=(index, workers),
            chunk_size=chunk_size,
            actor=actor,
        )
        for index in range(1, workers + 1)
    ]


def runs_execute_side_by_side(
    runs: Sequence[ProactiveRun], *, fork: bool = False
) -> list[ProactiveRun]:
    """Execute the runs, at once in one forked process each with `fork=True` (only from a
    process that has not computed with Polars: see the module's conditions), and return them as
    they finished. Raises ProactiveError naming the runs that failed."""
    waiting = [run.pk for run in runs if run.status == RunStatus.AWAITING_APPROVAL]
    if waiting:
        raise ProactiveError(
            f"Run(s) {', '.join(map(str, waiting))} wait for a second administrator's approval."
        )
    can_fork = fork and hasattr(os, "fork") and connection.vendor == "postgresql"
    if len(runs) <= 1 or not can_fork:
        return [run_execute(run) for run in runs]
    for scheme in {s for run in runs for s in run.schemes}:
        get_scheme(scheme)  # loaded once here, inherited by every child
    default_store()
    explanation_templates()  # the letters' amounts and dates are written with them
    connections.close_all()
    sys.stdout.flush()
    sys.stderr.flush()
    children: dict[int, int] = {}
    for run in runs:
        pid = os.fork()
        if pid == 0:  # pragma: no cover — the child's coverage is not collected
            _child(run.pk)
        children[pid] = run.pk
    failed = []
    for pid, run_id in children.items():
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            failed.append(run_id)
    finished = {r.pk: r for r in ProactiveRun.objects.filter(pk__in=[run.pk for run in runs])}
    if failed:
        raise ProactiveError(
            f"Run(s) {', '.join(map(str, sorted(failed)))} failed (see their error); run the same "
            "command again to resume them from their last committed chunk."
        )
    return [finished[run.pk] for run in runs]


def _child(run_id: int) -> None:  # pragma: no cover — runs in the forked process
    """Execute one run and leave without the parent's exit handlers (its open files, its
    pytest or management-command teardown belong to the parent)."""
    code = 1
    try:
        run_execute(ProactiveRun.objects.get(pk=run_id))
        code = 0
    except BaseException:  # noqa: BLE001 — reported here, the parent sees the exit code
        traceback.print_exc()
    finally:
        connections.close_all()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
