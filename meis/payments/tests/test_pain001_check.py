# mypy: disable-error-code="no-untyped-def"
"""Reading a payment file back: the batched check agrees with the streaming one on every file,
valid or not, and falls back to it for any other layout."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from meis.payments import pain001
from meis.payments.models import Bank, PayrollRun
from meis.payments.services.files import Totals, _line, _write

ROWS = [
    (
        100 + n,
        24_000 + n,
        "AZ96AIIB00000000000000001234",
        "old_age_pension",
        "Məmmədov & <Oğlu>",
        "Əli",
        "",
    )
    for n in range(7)
]


@pytest.fixture(autouse=True)
def _small_batches(monkeypatch):
    monkeypatch.setattr(pain001, "BATCH", 3)  # 7 transactions: batches of 3, 3 and 1


def _file(tmp_path: Path, rows=ROWS, totals: Totals | None = None) -> Path:
    path = tmp_path / "pain001.xml"
    bank = Bank(code="kapital", name="Kapital Bank", bic="AIIBAZ2X", iban_code="AIIB")
    run = PayrollRun(pk=1, month=datetime.date(2026, 3, 1))
    totals = totals or Totals(len(rows), sum(r[1] for r in rows))
    lines = (_line(run, bank.bic, row) for row in rows)
    _write(path, run=run, bank=bank, totals=totals, lines=lines)
    return path


def _fast(path: Path, parts: int = 1) -> pain001.Checked | None:
    """The fast check alone (in `parts` parts): None where it defers to the streaming one."""
    checked = [pain001.check_part(str(path), part, parts) for part in range(parts)]
    if any(part is None for part in checked):
        return None
    return pain001.combine(str(path), checked)


def _both(path: Path) -> tuple[pain001.Checked | None, pain001.Checked]:
    return _fast(path), pain001.check_streaming(str(path))


def test_a_written_file_is_checked_in_batches_with_the_streaming_result(tmp_path):
    batched, streaming = _both(_file(tmp_path))
    assert batched == streaming
    assert (streaming.count, streaming.sum_qepik, streaming.headers_agree) == (7, 168_021, True)


def test_headers_that_disagree_are_found_either_way(tmp_path):
    batched, streaming = _both(_file(tmp_path, totals=Totals(7, 1)))
    assert batched == streaming
    assert not streaming.headers_agree


def test_a_bad_transaction_in_a_later_batch_gets_the_schemas_message(tmp_path):
    rows = [*ROWS[:5], (999, 500, "NOT-AN-IBAN", "old_age_pension", "A", "B", "")]
    path = _file(tmp_path, rows=rows)
    assert _fast(path) is None
    checked = pain001.check(str(path))
    assert "IBAN" in checked.error
    assert checked == pain001.check_streaming(str(path))


def test_another_layout_is_read_by_the_streaming_check(tmp_path):
    path = _file(tmp_path)
    text = path.read_text(encoding="utf-8").replace("><", ">\n  <")  # pretty-printed
    path.write_text(text, encoding="utf-8")
    assert _fast(path) is None
    checked = pain001.check(str(path))
    assert (checked.count, checked.error, checked.headers_agree) == (7, "", True)


def test_a_transaction_after_the_block_is_not_taken_by_the_batched_check(tmp_path):
    path = _file(tmp_path)
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join([*lines[:-1], lines[-1], lines[3]]))
    assert _fast(path) is None
    assert pain001.check(str(path)).error


@pytest.mark.parametrize("parts", [2, 3, 10])
def test_a_file_cut_into_parts_adds_up_the_same(tmp_path, parts):
    path = _file(tmp_path)
    assert _fast(path, parts) == pain001.check_streaming(str(path))
