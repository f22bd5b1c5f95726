"""Rules as code: dated legal parameters, scheme rules as Polars expressions, traces.

Pure Python: no Django imports here (enforced by ruff's banned-api rule, see ruff config).
"""
