"""Files from strangers (uploads, e-mail attachments, API documents), parsed by real parsers
under limits: a copy safe to store and show, or a translated refusal (ADR 0023).

`file_sanitise` takes bytes whose type the caller has already proved by their first bytes:
PDFs go to `pdf.pdf_sanitise` (pikepdf), JPEG and PNG images to `images.image_sanitise`
(Pillow). Anything else is returned as it is.
"""

from __future__ import annotations

from meis.core.filecheck.base import FileRefused, Sanitised
from meis.core.filecheck.images import image_sanitise
from meis.core.filecheck.pdf import pdf_sanitise

__all__ = ["FileRefused", "Sanitised", "file_sanitise"]


def file_sanitise(*, content: bytes, content_type: str) -> Sanitised:
    """The bytes to store for a file of `content_type`, or FileRefused."""
    if content_type == "application/pdf":
        return pdf_sanitise(content)
    if content_type in ("image/jpeg", "image/png"):
        return image_sanitise(content, content_type=content_type)
    return Sanitised(content=content, removed=())
