"""Files sent with a message: checked, stored once by their SHA-256, attached at send time.

A producer passes `AttachmentFile`s to `notification_queue`; the e-mail carries them (a file
name with Azerbaijani letters is encoded per RFC 2231), the portal inbox offers them for download
to the person, and an SMS ignores them. The bytes go to the default storage under
`notifications/attachments/<sha256>` before the message rows are written: storage is not
transactional, so a rolled-back caller leaves at most an unreferenced file, never a message
without its file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from meis.notifications.models import Attachment, Message

STORAGE_PREFIX = "notifications/attachments/"
_CONTENT_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$")
# A nested message or multipart would change the e-mail's own structure.
_REFUSED_TYPES = ("message/", "multipart/")
_UNSAFE_NAME_CHARACTERS = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')


class AttachmentRefused(ValueError):
    """The attachment is too large, badly named or of a type an e-mail cannot carry."""


@dataclass(frozen=True)
class AttachmentFile:
    """One file to send: the name the person sees, its MIME type and its bytes."""

    name: str
    content_type: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True)
class StoredAttachment:
    file_name: str
    content_type: str
    size: int
    sha256: str
    storage_name: str


def attachments_store(files: Sequence[AttachmentFile]) -> list[StoredAttachment]:
    """Check the files against the limits and store their bytes (once per distinct content)."""
    total = sum(len(file.content) for file in files)
    limit = settings.NOTIFICATION_ATTACHMENTS_MAX_BYTES
    if total > limit:
        raise AttachmentRefused(
            f"The attachments take {total} bytes; a message may carry at most {limit} "
            "(NOTIFICATION_ATTACHMENTS_MAX_BYTES). Send a link to the document instead."
        )
    return [_store(file) for file in files]


def _store(file: AttachmentFile) -> StoredAttachment:
    name = _UNSAFE_NAME_CHARACTERS.sub("_", file.name).strip(" .")
    if not name or len(name) > 255:
        raise AttachmentRefused(f"Attachment name {file.name!r} is empty or too long.")
    content_type = file.content_type.strip().lower()
    if not _CONTENT_TYPE.match(content_type) or content_type.startswith(_REFUSED_TYPES):
        raise AttachmentRefused(f"Attachment type {file.content_type!r} cannot be sent.")
    if not file.content:
        raise AttachmentRefused(f"Attachment {name!r} is empty.")
    sha256 = file.sha256
    storage_name = f"{STORAGE_PREFIX}{sha256}"
    if not default_storage.exists(storage_name):
        saved = default_storage.save(storage_name, ContentFile(file.content))
        if saved != storage_name:  # a concurrent writer stored the same bytes first
            default_storage.delete(saved)
    return StoredAttachment(
        file_name=name,
        content_type=content_type,
        size=len(file.content),
        sha256=sha256,
        storage_name=storage_name,
    )


def attachment_rows_write(messages: Iterable[Message], stored: Sequence[StoredAttachment]) -> None:
    """One row per file for each newly written message (one query)."""
    Attachment.objects.bulk_create(
        Attachment(
            message=message,
            file_name=file.file_name,
            content_type=file.content_type,
            size=file.size,
            sha256=file.sha256,
            storage_name=file.storage_name,
        )
        for message in messages
        for file in stored
    )


def attachment_content(attachment: Attachment) -> bytes:
    with default_storage.open(attachment.storage_name, "rb") as stored:
        content: bytes = stored.read()
    return content
