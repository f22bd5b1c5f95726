"""The employment-contracts register (əmək müqavilələri reyestri, docs/domain.md §6).

Owns `Contract` (the terms in force), `ContractVersion` (every registered notification, kept),
`NotificationBatch` (an upload or API call and its problems), the classifiers `Occupation` and
`TerminationGround` (data in `data/`, loaded by `classifiers.py`) and `AccrualRun`. Writes:
`services.py` (conclusion, amendment, suspension, resumption, termination; representatives'
bindings), `bulk.py` (CSV/XLSX uploads), `accrual.py` (the monthly contributions),
`synthetic/` (the synthetic country's contract histories). Reads: `selectors.py` (the employers
a person acts for), `validation.py` (the batch checks every channel shares), `income.py` (wages
from the register for the targeted-assistance facts). Scheduled: `tasks.py`.
"""
