"""Writes of the proactive pipeline: runs (`pipeline`), the letters each grant sends (`letters`),
one person assessed the same way (`person`), and a full run's partitions side by side on one host
(`side_by_side`).

The public names are re-exported here, so callers write `from meis.proactive.services import …`.
"""

from meis.proactive.services.letters import letters_queue
from meis.proactive.services.person import Assessment, person_assess, person_reassess
from meis.proactive.services.pipeline import (
    DEFAULT_CHUNK_SIZE,
    ProactiveError,
    SimulatedCrash,
    run_approve,
    run_daily,
    run_execute,
    run_report,
    run_start,
    run_summary,
)
from meis.proactive.services.side_by_side import partitions_start, runs_execute_side_by_side

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "Assessment",
    "ProactiveError",
    "SimulatedCrash",
    "letters_queue",
    "partitions_start",
    "person_assess",
    "person_reassess",
    "run_approve",
    "run_daily",
    "run_execute",
    "run_report",
    "run_start",
    "run_summary",
    "runs_execute_side_by_side",
]
