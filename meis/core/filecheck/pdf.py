"""A PDF from a stranger, read by a real parser (qpdf through pikepdf) under limits.

Every object is visited, including those packed in compressed object streams (qpdf unpacks
them), so a name cannot hide from the check the way it hid from a search of the raw bytes.
What a viewer would run or open by itself is refused: scripts (/JavaScript, /JS), /Launch,
embedded files, rich media, XFA and forms that submit or import data. Links that leave the
document (/URI, /GoToR) and automatic actions (/AA) are removed from a copy. Limits: objects,
pages, the bytes each stream and all streams unpack to (decoded by `streams.decoded_size`
without holding them) and the pixels of each image; qpdf's own decoders of object and
cross-reference streams are capped process-wide. ADR 0023 says why the original
is kept when nothing was removed.
"""

from __future__ import annotations

import io
import logging
import time
from dataclasses import dataclass, field

import pikepdf
from django.utils.translation import gettext as _
from pikepdf import Array, Dictionary, Name, ObjectStreamMode, Stream, StreamDecodeLevel

from meis.core.filecheck.base import FileRefused, Sanitised
from meis.core.filecheck.streams import TooLarge, decoded_size

logger = logging.getLogger(__name__)

MiB = 1024 * 1024


@dataclass(frozen=True)
class PdfLimits:
    max_objects: int = 100_000
    max_pages: int = 2_000
    max_stream_bytes: int = 128 * MiB  # one A3 page scanned at 600 dpi in colour is ~100 MB
    max_total_bytes: int = 512 * MiB
    max_image_pixels: int = 150_000_000
    max_seconds: float = 30.0


LIMITS = PdfLimits()

# qpdf unpacks object and cross-reference streams itself while parsing, before our walk can
# count them: its limits are process-wide (pikepdf.settings), set here once to fixed values.
pikepdf.settings.set_qpdf_limits(
    flate_max_memory=32 * MiB,
    run_length_max_memory=32 * MiB,
    png_max_memory=32 * MiB,
    tiff_max_memory=32 * MiB,
    dct_max_memory=256 * MiB,
    doc_max_warnings=1_000,
    parser_max_container_size=1_000_000,
)

# What a viewer runs or opens by itself: the document is refused (scripts, programs, files).
_SCRIPT_KEYS = frozenset({"/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/RichMediaContent"})
_SCRIPT_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/GoToE", "/RichMediaExecute", "/Rendition", "/Movie", "/Sound"}
)
_SCRIPT_TYPES = frozenset(
    {"/EmbeddedFile", "/FileAttachment", "/RichMedia", "/3D", "/Movie", "/Sound", "/Screen"}
)
# Forms that send the answers elsewhere or fetch data: refused.
_FORM_KEYS = frozenset({"/XFA", "/NeedsRendering"})
_FORM_ACTIONS = frozenset({"/SubmitForm", "/ImportData"})
# Links that leave the document, and actions run on events: removed from the stored copy.
_STRIPPED_ACTIONS = frozenset({"/URI", "/GoToR", "/Thread"})
_STRIPPED_KEYS = frozenset({"/AA"})
# What qpdf and pikepdf raise on a file they cannot make sense of (RuntimeError: qpdf's own
# errors; ValueError: names and strings that are not text, among others).
_UNREADABLE = (pikepdf.PdfError, RuntimeError, ValueError, RecursionError, MemoryError)


@dataclass
class _Review:
    scripts: set[str] = field(default_factory=set)
    forms: set[str] = field(default_factory=set)
    strip: list[tuple[pikepdf.Object, str | int]] = field(default_factory=list)
    unpacked: int = 0


def _scripts_refusal() -> FileRefused:
    return FileRefused(
        _(
            "The selected PDF contains scripts or embedded programs. Print it to a new PDF "
            "or scan the paper document, then upload that."
        )
    )


def _forms_refusal() -> FileRefused:
    return FileRefused(
        _(
            "The selected PDF is a form that can send or load data by itself. Print it to a "
            "new PDF or scan the paper document, then upload that."
        )
    )


def _too_large_refusal() -> FileRefused:
    return FileRefused(
        _(
            "The selected PDF is too large or too complex to check. Split it into smaller "
            "files or scan it again at a lower resolution, then upload those."
        )
    )


def _damaged_refusal() -> FileRefused:
    return FileRefused(
        _(
            "The selected PDF is damaged and cannot be read. Save or scan the document again, "
            "then upload the new file."
        )
    )


def pdf_sanitise(content: bytes, *, limits: PdfLimits = LIMITS) -> Sanitised:
    """The PDF to store (the original, or a copy without links and automatic actions), or
    FileRefused with a translated reason."""
    try:
        pdf = pikepdf.open(io.BytesIO(content))
    except pikepdf.PasswordError:
        raise FileRefused(
            _(
                "The selected PDF is protected with a password. Remove the password (open it "
                "and save or print it as a new PDF without one), then upload it again."
            )
        ) from None
    except _UNREADABLE as error:
        logger.info("A PDF was refused as damaged: %s", error)
        raise _damaged_refusal() from None
    with pdf:
        try:
            return _sanitised(pdf, content, limits)
        except FileRefused:
            raise
        except _UNREADABLE as error:
            logger.info("A PDF was refused as damaged: %s", error)
            raise _damaged_refusal() from None


def _sanitised(pdf: pikepdf.Pdf, content: bytes, limits: PdfLimits) -> Sanitised:
    if len(pdf.get_xref_table()) > limits.max_objects:
        logger.info("A PDF was refused: more than %s objects", limits.max_objects)
        raise _too_large_refusal()
    if len(pdf.pages) > limits.max_pages:
        logger.info("A PDF was refused: more than %s pages", limits.max_pages)
        raise _too_large_refusal()
    review = _review(pdf, limits)
    if review.scripts:
        logger.info("A PDF was refused for active content: %s", sorted(review.scripts))
        raise _scripts_refusal()
    if review.forms:
        logger.info("A PDF was refused as a data-sending form: %s", sorted(review.forms))
        raise _forms_refusal()
    repaired = bool(pdf.get_warnings())
    if not review.strip and not repaired and not pdf.is_encrypted:
        return Sanitised(content=content, removed=())
    removed = _stripped(review.strip)
    if repaired:
        removed.append("repaired")
    if pdf.is_encrypted:
        removed.append("encryption")
    return Sanitised(content=_saved(pdf), removed=tuple(removed))


def _review(pdf: pikepdf.Pdf, limits: PdfLimits) -> _Review:
    review = _Review()
    deadline = time.monotonic() + limits.max_seconds
    for number, obj in enumerate(pdf.objects):
        if number % 256 == 0 and time.monotonic() > deadline:
            logger.info("A PDF was refused: its check took more than %ss", limits.max_seconds)
            raise _too_large_refusal()
        if isinstance(obj, Stream):
            _stream_count(obj, review, limits)
        _visit(obj, review)
    return review


def _stream_count(stream: Stream, review: _Review, limits: PdfLimits) -> None:
    if stream.get("/Subtype") == Name.Image:
        pixels = _number(stream.get("/Width")) * _number(stream.get("/Height"))
        if pixels > limits.max_image_pixels:
            logger.info("A PDF was refused: an image of %s pixels", pixels)
            raise _too_large_refusal()
    remaining = limits.max_total_bytes - review.unpacked
    try:
        review.unpacked += decoded_size(
            stream.read_raw_bytes(),
            _filters(stream.get("/Filter")),
            limit=min(limits.max_stream_bytes, remaining),
        )
    except TooLarge as error:
        logger.info("A PDF was refused: a stream unpacks to too much (%s)", error)
        raise _too_large_refusal() from None


def _filters(value: pikepdf.Object | None) -> list[str]:
    if isinstance(value, Name):
        return [_text(value)]
    if isinstance(value, Array):
        return [_text(item) for item in value if isinstance(item, Name)]
    return []


def _text(name: pikepdf.Object | None) -> str:
    """A name as text ("" for anything else, or for bytes that are not UTF-8: no such name is
    one we look for)."""
    if not isinstance(name, Name):
        return ""
    try:
        return str(name)
    except UnicodeDecodeError:
        return ""


def _number(value: pikepdf.Object | None) -> int:
    try:
        return max(int(value), 0) if value is not None else 0
    except (TypeError, ValueError):
        return 0


def _visit(root: pikepdf.Object, review: _Review) -> None:
    """Judge `root` and the direct objects inside it (indirect ones are visited on their own)."""
    pending = [root]
    while pending:
        node = pending.pop()
        if isinstance(node, (Dictionary, Stream)):
            children: list[tuple[str | int, pikepdf.Object]] = [(k, node[k]) for k in node.keys()]  # noqa: SIM118 — a pikepdf object, not a dict
            _judge_dictionary(node, review)
        elif isinstance(node, Array):
            children = list(enumerate(node))
        else:
            continue
        for key, child in children:
            is_event_actions = isinstance(key, str) and key in _STRIPPED_KEYS
            if is_event_actions or _action_type(child) in _STRIPPED_ACTIONS:
                review.strip.append((node, key))
            if isinstance(child, (Dictionary, Stream, Array)) and not child.is_indirect:
                pending.append(child)


def _judge_dictionary(node: pikepdf.Object, review: _Review) -> None:
    keys = set(node.keys())
    review.scripts.update(keys & _SCRIPT_KEYS)
    review.forms.update(keys & _FORM_KEYS)
    kind = {_text(node.get(k)) for k in ("/Type", "/Subtype")}
    review.scripts.update(kind & _SCRIPT_TYPES)
    action = _action_type(node)
    if action in _SCRIPT_ACTIONS:
        review.scripts.add(action)
    if action in _FORM_ACTIONS:
        review.forms.add(action)


def _action_type(node: pikepdf.Object) -> str:
    if not isinstance(node, Dictionary):
        return ""
    return _text(node.get("/S"))


def _stripped(targets: list[tuple[pikepdf.Object, str | int]]) -> list[str]:
    """Remove each target from its holder (array items from the last, so indexes hold)."""
    removed: list[str] = []
    for holder, key in sorted(targets, key=lambda t: t[1] if isinstance(t[1], int) else -1)[::-1]:
        if isinstance(key, str):
            if key in holder.keys():  # noqa: SIM118 — a pikepdf object, not a dict
                removed.append(key if key in _STRIPPED_KEYS else _action_type(holder[key]))
                del holder[key]
        elif key < len(holder):
            removed.append(_action_type(holder[key]))
            del holder[key]
    return removed


def _saved(pdf: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    pdf.save(
        out,
        object_stream_mode=ObjectStreamMode.generate,
        stream_decode_level=StreamDecodeLevel.none,  # copy stream data as it is, never inflate
        encryption=False,
        deterministic_id=True,
    )
    return out.getvalue()
