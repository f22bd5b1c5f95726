"""Usage statistics (issue 19): one usage event per use, in every channel, and daily rollups.

Owns the usage events — an application, an instant service, an appeal, a decision (with its
working days and whether it met the deadline), a proactive grant, a certificate issued or
checked, an appointment, a call, a call back promised and closed (with the wait for it), a
walk-in visitor called, an e-mail received — with no personal data; and the rollups the
statistics read: daily (`UsageDaily`, `DecisionTimeDaily`), monthly (`UsageMonthly`,
`DecisionTimeMonthly`) and the narrow day totals (`UsageDayTotal`).

Writes: `services.py` (`usage_record`, called inside the transaction of each use;
`rollup_refresh`, `rollup_rebuild`).
Reads: `selectors.py` (totals, breakdowns, series, timeliness and volumes, from the rollups
only).
"""
