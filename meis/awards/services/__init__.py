"""Writes of awards: grants (`grant`) and reviewed recalculations (`recalculation`).

The public names are re-exported here, so callers write `from meis.awards.services import …`.
"""

from meis.awards.services.grant import award_grant, award_trace, basis_get_or_create, rules_version
from meis.awards.services.recalculation import (
    Prepared,
    RecalculationError,
    recalculation_apply,
    recalculation_approve,
    recalculation_prepare,
    recalculation_reject,
    recalculation_summary,
)

__all__ = [
    "Prepared",
    "RecalculationError",
    "award_grant",
    "award_trace",
    "basis_get_or_create",
    "recalculation_apply",
    "recalculation_approve",
    "recalculation_prepare",
    "recalculation_reject",
    "recalculation_summary",
    "rules_version",
]
