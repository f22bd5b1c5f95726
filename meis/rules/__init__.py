"""Rules as code: dated legal parameters, scheme rules as Polars expressions, traces.

Owns the parameters (`parameters/`, YAML keyed by effective date, each with unit and legal
reference), the schemes (`schemes/`), the engine that evaluates a scheme for one case with its
trace or for millions of people in batch (`engine.py`), and the `meis rules` command (`cli.py`).
Writes: none (no database: rules never read the database, the clock or a request). Reads:
`store.py` (parameters by date), `engine.py`.

Pure Python: no Django imports here (enforced by ruff's banned-api rule, see ruff config).
"""
