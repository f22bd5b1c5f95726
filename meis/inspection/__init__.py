"""The employee's side of the contracts register and the labour inspectors' work.

Owns `ContractDispute` (a citizen's dispute of a register entry and its decision). Writes:
`services.py` (file a dispute, decide it). Reads: `selectors.py` (a citizen's contracts; the
inspectors' queue and oversight reports: late notifications, terminations by ground and
employer, possible informal work), `access.py` (who is an inspector). Pages: `/<lang>/my/contracts/`,
`/<lang>/backoffice/labour/`.
"""
