"""Registers behind the Presidential stipends (docs/domain.md §5): war-disabled status, martyrs'
families, veterans and heroes.

Owns the registers' model (`models.py`: one status per person and category, with its authority,
date recorded and document number). Writes: the synthetic registers (`synthetic.py`, run by
`meis veterans generate`); the authorities' own feeds are not built yet. Reads: the proactive
source that grants the stipend reads the table set-based
(`meis.proactive.sources.PRESIDENTIAL_STIPEND`); there are no selectors or pages yet.
"""
