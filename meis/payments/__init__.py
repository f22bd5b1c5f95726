"""Paying what was awarded (issue 23): payment accounts, monthly payrolls, payment files.

Owns the directory of paying banks (kept as data: name, SWIFT/BIC, the 4-letter code inside an
Azerbaijani IBAN) and their branches; each recipient's payment account, with its history (a
change ends the old row); the monthly payroll runs (computed, approved by a second
administrator, released), one item per award paid or held; and the ISO 20022 `pain.001.001.03`
payment files written per bank, validated against the schema in `schemas/`; the banks'
statements of what they credited and returned (`camt.054.001.02`, validated against its schema,
or a documented CSV), reconciled to the qəpik, with returned payments holding later payrolls
until a new account is recorded and opening tasks for staff.

Writes: `services/` (`services/accounts.py`: `payment_account_set`; `services/payroll.py`:
`payroll_compute`, `payroll_approve`; `services/files.py`: `payment_files_write`;
`services/returns.py`: `statement_import`).
Reads: `selectors.py` (a person's payments and account, the runs, a run's files);
`pain001.py` (a written file read back: schema, totals, digest); `statements.py` (a bank's
statement parsed safely); `bank_statement.py` (the statement a bank would send, for the demo,
tests and benchmark).
"""
