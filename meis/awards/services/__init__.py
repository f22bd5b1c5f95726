"""Writes of awards: grants (`grant`), reviewed recalculations (`recalculation`), the end-date
rule (`lifecycle`), the daily end of awards (`ending`), suspension and resumption
(`suspension`) and the letters of an award's life (`letters`).

The public names are re-exported here, so callers write `from meis.awards.services import …`.
"""

from meis.awards.services.ending import EndReport, awards_end_due
from meis.awards.services.errors import AwardError
from meis.awards.services.grant import award_grant, award_trace, basis_get_or_create, rules_version
from meis.awards.services.lifecycle import award_end_by_law, end_by_law
from meis.awards.services.recalculation import (
    Prepared,
    RecalculationError,
    recalculation_apply,
    recalculation_approve,
    recalculation_prepare,
    recalculation_reject,
    recalculation_summary,
)
from meis.awards.services.suspension import award_resume, award_suspend

__all__ = [
    "AwardError",
    "EndReport",
    "Prepared",
    "RecalculationError",
    "award_end_by_law",
    "award_grant",
    "award_resume",
    "award_suspend",
    "award_trace",
    "awards_end_due",
    "basis_get_or_create",
    "end_by_law",
    "recalculation_apply",
    "recalculation_approve",
    "recalculation_prepare",
    "recalculation_reject",
    "recalculation_summary",
    "rules_version",
]
