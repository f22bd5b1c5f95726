"""Reading a `pain.001.001.03` file back: schema-valid, its transactions re-added, its digest.

No Django here: payment files are checked in worker processes (`services/files.py`) while the
next bank's file is written, and a spawned worker imports only this module and lxml.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

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


def check(path: str) -> Checked:
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
