"""Reading a `pain.001.001.03` file back: schema-valid, its transactions re-added, its digest.

No Django here: payment files are checked in worker processes (`services/files.py`) while the
next bank's file is written, and a spawned worker imports only this module and lxml.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from lxml import etree  # type: ignore[import-untyped]  # no stubs shipped

SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "pain.001.001.03.xsd"
NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
_TX = f"{{{NAMESPACE}}}CdtTrfTxInf"
_AMOUNT = f"{{{NAMESPACE}}}InstdAmt"
_HEADERS = (f"{{{NAMESPACE}}}NbOfTxs", f"{{{NAMESPACE}}}CtrlSum")
_SCHEMA: etree.XMLSchema | None = None


@dataclass(frozen=True)
class Checked:
    """What a file holds: its transactions, their sum, whether its headers agree, its digest;
    `error` is the schema's complaint (empty when it validates)."""

    count: int
    sum_qepik: int
    headers_agree: bool
    sha256: str
    error: str = ""


def schema() -> etree.XMLSchema:
    global _SCHEMA  # noqa: PLW0603 — parsed once per process
    if _SCHEMA is None:
        _SCHEMA = etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))
    return _SCHEMA


# Transactions validated at a time by the fast check: a tree of this many is some 60 MiB.
BATCH = 20_000
_TX_LINE = b"<CdtTrfTxInf>"
_TAIL = b"</PmtInf></CstmrCdtTrfInitn></Document>"


def check(path: str) -> Checked:
    """Validate the file against the schema and add up its transactions.

    A file laid out as `services/files.py` writes it (a head, one transaction a line, a tail)
    is validated in batches of whole transactions, each between the file's own head and tail:
    every byte is validated, as the schema has no constraint across transactions, at C speed
    with no Python call per element (half the CPU of the streaming check); a large file is cut
    into parts checked by several workers (`check_part`, `combine`). Any other layout, and any
    file the fast check does not accept, is read by the streaming check, which also gives the
    schema's own message.
    """
    return combine(path, [check_part(path, 0, 1)])


@dataclass(frozen=True)
class Part:
    """What the fast check found in one part of a file: its transactions and their sum, and the
    head's counts (the same in every part)."""

    count: int
    sum_qepik: int
    headers: tuple[list[int], list[int]] | None


def combine(path: str, parts: list[Part | None]) -> Checked:
    """The file's check from its parts' (a part that did not pass: the streaming check)."""
    headers = next((part.headers for part in parts if part and part.headers), None)
    if headers is None or any(part is None for part in parts):
        return check_streaming(path)
    count = sum(part.count for part in parts if part)
    total = sum(part.sum_qepik for part in parts if part)
    agree = set(headers[0]) == {count} and set(headers[1]) == {total}
    return Checked(count, total, headers_agree=agree, sha256=sha256(path))


def check_part(path: str, part: int, parts: int) -> Part | None:
    """The fast check of part `part` of `parts` (whole transactions, about equal in bytes);
    None when the file is not in the writer's layout or a batch does not pass."""
    try:
        with open(path, "rb") as handle:
            head, start, end = _layout(handle)
            first = _line_start(handle, start + (end - start) * part // parts, start)
            stop = (
                end
                if part == parts - 1
                else _line_start(handle, start + (end - start) * (part + 1) // parts, start)
            )
            batches = _Batches(head)
            handle.seek(first)
            position, batch = first, []
            while position < stop:
                line = handle.readline()
                position += len(line)
                if not line.startswith(_TX_LINE):
                    return None
                batch.append(line)
                if len(batch) >= BATCH:
                    batches.add(batch)
                    batch = []
            if batch:
                batches.add(batch)
    except _NotFast:
        return None
    return Part(batches.count, batches.total, batches.headers)


_AMOUNTS = etree.XPath(
    "//p:CdtTrfTxInf/p:Amt/p:InstdAmt/text()", namespaces={"p": NAMESPACE}, smart_strings=False
)
_TX_COUNT = etree.XPath("count(//p:CdtTrfTxInf)", namespaces={"p": NAMESPACE})


class _NotFast(Exception):
    """The file is not in the writer's layout, or a batch did not pass: check it streaming."""


class _Batches:
    """Adds up validated batches of one file; the first batch also gives the headers."""

    def __init__(self, head: bytes) -> None:
        self.head = head
        self.parser = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)
        self.count = self.total = 0
        self.headers: tuple[list[int], list[int]] | None = None

    def add(self, batch: list[bytes]) -> None:
        body = b"".join(batch)
        if b"PmtInf>" in body:  # a second block: not the writer's layout
            raise _NotFast
        try:
            tree = etree.fromstring(self.head + body + _TAIL, self.parser)
        except etree.XMLSyntaxError:
            raise _NotFast from None
        if not schema().validate(tree):
            raise _NotFast
        self.total += sum(qepik(text) for text in _AMOUNTS(tree))
        self.count += int(_TX_COUNT(tree))
        if self.headers is None:
            self.headers = (
                [int(e.text or "0") for e in tree.iterfind(f".//{_HEADERS[0]}")],
                [qepik(e.text or "0") for e in tree.iterfind(f".//{_HEADERS[1]}")],
            )


def _head(lines: Iterator[bytes]) -> tuple[bytes, list[bytes]]:
    """The lines before the first transaction (one block opened), and that transaction."""
    head_lines: list[bytes] = []
    for line in lines:
        if line.startswith(_TX_LINE):
            head = b"".join(head_lines)
            if head.count(b"<PmtInf>") != 1 or b"CdtTrfTxInf" in head:
                raise _NotFast
            return head, [line]
        head_lines.append(line)
    raise _NotFast


def _layout(handle: BinaryIO) -> tuple[bytes, int, int]:
    """The head, and where the transactions' lines start and end (the tail is the last line)."""
    head, first = _head(iter(handle.readline, b""))
    start = handle.tell() - len(first[0])
    size = handle.seek(0, os.SEEK_END)
    handle.seek(max(start, size - 4096))
    last = handle.read().splitlines(keepends=True)[-1:]
    if not last or last[0].strip() != _TAIL:
        raise _NotFast
    end = size - len(last[0])
    if end <= start:
        raise _NotFast
    return head, start, end


def _line_start(handle: BinaryIO, offset: int, start: int) -> int:
    """The start of the first line at or after `offset` (`start` before the first line)."""
    if offset <= start:
        return start
    handle.seek(offset - 1)
    handle.readline()
    return handle.tell()


def check_streaming(path: str) -> Checked:
    """Validate while reading (flat memory: each transaction is dropped once added up)."""
    count = total = 0
    headers: dict[str, list[int]] = {"NbOfTxs": [], "CtrlSum": []}
    try:
        for _event, element in etree.iterparse(
            path, events=("end",), tag=(_TX, *_HEADERS), schema=schema(), huge_tree=True
        ):
            if element.tag == _TX:
                amount = element.find(f".//{_AMOUNT}")
                total += qepik(amount.text if amount is not None else "0")
                count += 1
                element.clear()
                parent = element.getparent()
                while element.getprevious() is not None and element.getprevious().tag == _TX:
                    del parent[parent.index(element) - 1]
            else:  # the group header's and the block's NbOfTxs and CtrlSum
                name = etree.QName(element).localname
                text = element.text or "0"
                headers[name].append(int(text) if name == "NbOfTxs" else qepik(text))
    except etree.XMLSyntaxError as error:
        return Checked(count, total, headers_agree=False, sha256="", error=str(error))
    agree = set(headers["NbOfTxs"]) == {count} and set(headers["CtrlSum"]) == {total}
    return Checked(count, total, headers_agree=agree, sha256=sha256(path))


def qepik(text: str) -> int:
    whole, _dot, fraction = text.strip().partition(".")
    return int(whole) * 100 + int((fraction + "00")[:2])


def sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
