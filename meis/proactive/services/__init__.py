"""Writes of the proactive pipeline: runs (`pipeline`) and the letters each grant sends (`letters`).

The public names are re-exported here, so callers write `from meis.proactive.services import …`.
"""

from meis.proactive.services.letters import letters_queue
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
    "ProactiveError",
    "SimulatedCrash",
    "letters_queue",
    "run_approve",
    "run_daily",
    "run_execute",
    "run_report",
    "run_start",
    "run_summary",
]
