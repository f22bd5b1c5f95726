"""What every file check answers: a copy safe to store, or a refusal that says what to do."""

from __future__ import annotations

from dataclasses import dataclass


class FileRefused(ValueError):
    """The file cannot be accepted; the message (translated) says why and what to do."""


@dataclass(frozen=True)
class Sanitised:
    """The bytes to store, and what was removed from the upload to make them (empty: none)."""

    content: bytes
    removed: tuple[str, ...]
