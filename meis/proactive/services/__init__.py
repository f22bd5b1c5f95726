"""Writes of the proactive pipeline: runs (`pipeline`), the letters each grant sends (`letters`),
and one person assessed the same way (`person`).

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

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "Assessment",
    "ProactiveError",
    "SimulatedCrash",
    "letters_queue",
    "person_assess",
    "person_reassess",
    "run_approve",
    "run_daily",
    "run_execute",
    "run_report",
    "run_start",
    "run_summary",
]
