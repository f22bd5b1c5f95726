"""Registry facts beyond the population register: births, deaths and disability decisions.

Owns `Birth`, `DisabilityDecision` and the other facts proactive rules need.
Writes: `synthetic.py` (synthetic facts for an existing registry). Reads: `models.py` (the
proactive sources read these tables set-based in SQL).
"""
