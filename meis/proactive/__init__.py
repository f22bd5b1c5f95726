"""Proactive assignment: finding people who became entitled and granting with no application.

Owns `ProactiveRun`, its chunks (checkpoints) and per-candidate results (ADR 0010).
Writes: `services/` (`pipeline`: start, approve by a second administrator, execute, daily run;
`letters`: the letter each grant sends). Reads: `sources.py` (each scheme's candidates in SQL),
`selectors.py` (the run report's aggregates). Pages: the analysts' run report.
"""
