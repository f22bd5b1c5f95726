"""The payment services: accounts, payroll runs, payment files (see each module)."""

from meis.payments.services.accounts import bank_for_iban, payment_account_set
from meis.payments.services.errors import PaymentError
from meis.payments.services.files import payment_files_write
from meis.payments.services.payroll import payroll_approve, payroll_compute, prorated
from meis.payments.services.returns import statement_import

__all__ = [
    "PaymentError",
    "bank_for_iban",
    "payment_account_set",
    "payment_files_write",
    "payroll_approve",
    "payroll_compute",
    "prorated",
    "statement_import",
]
