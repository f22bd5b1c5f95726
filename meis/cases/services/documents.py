"""Uploaded documents: checked by content (never by name or declared type), scanned, stored.

`document_check` reads the bytes and refuses, with a translated reason, empty files, files over
the catalogue's size limit and anything whose magic bytes are not an allowed PDF/JPEG/PNG (an
executable renamed `.pdf`, a ZIP or a zip bomb). It then hands the bytes to
`meis.core.filecheck`, which parses them with real parsers under limits (ADR 0023): PDFs with
scripts, embedded files or data-sending forms, encrypted, damaged or bomb PDFs and images too
large in pixels or damaged are refused; links leaving a PDF are removed and images are
re-encoded without their metadata. What is kept is that sanitised copy. `document_store` scans
it and saves it through Django's storage API under a random name; files are served only by the
download view, after the access funnel.
"""

from __future__ import annotations

import hashlib
import logging
import socket
import struct
import uuid
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from meis.catalog.definitions import DocumentDefinition
from meis.core.filecheck import FileRefused, file_sanitise

logger = logging.getLogger(__name__)

STORAGE_PREFIX = "case-documents"
_MAGIC = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}


class DocumentRefused(ValueError):
    """The file cannot be accepted; the message (translated) says why and what to do."""


@dataclass(frozen=True)
class CheckedDocument:
    content: bytes
    content_type: str
    sha256: str


def sniff_content_type(head: bytes) -> str | None:
    """The type the first bytes prove, among those MEİS accepts (None for anything else)."""
    for content_type, signatures in _MAGIC.items():
        if any(head.startswith(signature) for signature in signatures):
            return content_type
    return None


def document_check(*, upload: UploadedFile, definition: DocumentDefinition) -> CheckedDocument:
    """Read and check one upload against its catalogue definition, or raise DocumentRefused."""
    limit = definition.max_size_kb * 1024
    size = upload.size or 0
    if size == 0:
        raise DocumentRefused(_("The selected file is empty. Choose a file that has content."))
    if size > limit:
        raise DocumentRefused(
            _("The selected file must be smaller than %(size)s KB.")
            % {"size": definition.max_size_kb}
        )
    content = upload.read(limit + 1)
    if len(content) == 0:
        raise DocumentRefused(_("The selected file is empty. Choose a file that has content."))
    if len(content) > limit:
        raise DocumentRefused(
            _("The selected file must be smaller than %(size)s KB.")
            % {"size": definition.max_size_kb}
        )
    content_type = sniff_content_type(content[:16])
    if content_type is None or content_type not in definition.mime_types:
        allowed = ", ".join(short.upper() for short in definition.content_types)
        raise DocumentRefused(
            _("The selected file is not a %(types)s file. Its content was checked, not its name.")
            % {"types": allowed}
        )
    try:
        sanitised = file_sanitise(content=content, content_type=content_type)
    except FileRefused as refused:
        raise DocumentRefused(str(refused)) from None
    if sanitised.removed:
        logger.info("An upload was stored without: %s", ", ".join(sanitised.removed))
    content = sanitised.content
    return CheckedDocument(
        content=content, content_type=content_type, sha256=hashlib.sha256(content).hexdigest()
    )


# --- Virus scanning --------------------------------------------------------------------------
class VirusScanner(Protocol):
    def scan(self, content: bytes) -> str:
        """'clean', or raise DocumentRefused when the file is infected."""
        ...


class NoScanner:
    """No scanner configured: accept and say so in the log (and in each document's record)."""

    def scan(self, content: bytes) -> str:
        logger.warning("No virus scanner configured (CLAMD_SOCKET); a document was not scanned")
        return "not scanned"


@dataclass(frozen=True)
class ClamdScanner:
    """ClamAV's clamd over its socket (unix path or host:port), with the INSTREAM command."""

    address: str
    timeout: float = 30.0
    chunk: int = 64 * 1024

    def _connect(self) -> socket.socket:
        if ":" in self.address and not self.address.startswith("/"):
            host, port = self.address.rsplit(":", 1)
            return socket.create_connection((host, int(port)), timeout=self.timeout)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self.address)
        return sock

    def scan(self, content: bytes) -> str:
        with self._connect() as sock:
            sock.sendall(b"zINSTREAM\0")
            for start in range(0, len(content), self.chunk):
                piece = content[start : start + self.chunk]
                sock.sendall(struct.pack("!L", len(piece)) + piece)
            sock.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                data = sock.recv(4096)
                if not data:
                    break
                reply += data
        answer = reply.rstrip(b"\0").decode(errors="replace")
        if answer.endswith("OK"):
            return "clean"
        if answer.endswith("FOUND"):
            logger.warning("clamd found a virus in an upload: %s", answer)
            raise DocumentRefused(_("The selected file contains a virus. It was not stored."))
        raise OSError(f"clamd answered {answer!r}")


def virus_scanner() -> VirusScanner:
    """The configured scanner: CLAMD_SOCKET set → clamd; VIRUS_SCANNER a dotted path; else none."""
    path = getattr(settings, "MEIS_VIRUS_SCANNER", "")
    if path:
        scanner: VirusScanner = import_string(path)()
        return scanner
    address = getattr(settings, "MEIS_CLAMD_SOCKET", "")
    return ClamdScanner(address) if address else NoScanner()


@dataclass(frozen=True)
class StoredFile:
    storage_name: str
    content_type: str
    size: int
    sha256: str
    scan_result: str


def document_store(*, checked: CheckedDocument) -> StoredFile:
    """Scan the checked bytes and save them under a random name (never the uploaded name)."""
    scan_result = virus_scanner().scan(checked.content)
    name = f"{STORAGE_PREFIX}/{uuid.uuid4().hex}"
    stored = default_storage.save(name, ContentFile(checked.content))
    return StoredFile(
        storage_name=stored,
        content_type=checked.content_type,
        size=len(checked.content),
        sha256=checked.sha256,
        scan_result=scan_result,
    )


def stored_files_delete(names: list[str]) -> None:
    """Remove files whose database rows were rolled back (nothing half-written stays behind)."""
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.exception("Could not delete the orphan file %s", name)
