"""The one error the payment services raise: its message says what went wrong and what to do."""

from __future__ import annotations


class PaymentError(Exception):
    """A refused payment action; `code` names which rule refused it (for tests and the API)."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
