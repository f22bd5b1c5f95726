"""Reading a bank's statement of a payment file: what it credited and what it returned.

Two formats, both read whole into a `BankStatement` before anything is written:

**ISO 20022 `camt.054.001.02`** (BankToCustomerDebitCreditNotification), validated against the
official schema (`schemas/camt.054.001.02.xsd`). MEİS reads:

    GrpHdr/MsgId                          the bank's message id (imported once per bank)
    Ntfctn/Acct/Id/IBAN                   the ministry's account the payment file debited
    Ntfctn/TxsSummry/TtlNtries/NbOfNtries the number of entries   } the control totals:
    Ntfctn/TxsSummry/TtlNtries/Sum        the sum of their amounts } required here
    Ntfctn/Ntry                           one per payment of the file:
      Amt Ccy="AZN"                       its amount
      CdtDbtInd                           DBIT: credited to the recipient (the account debited);
                                          CRDT: returned (the money came back)
      NtryDtls/TxDtls/Refs/EndToEndId     the pain.001 EndToEndId, `YYYYMM-<item>`
      NtryDtls/TxDtls/RtrInf/Rsn/Cd       a return's ISO reason (AC04 closed account, MD07
                                          holder deceased, …); required when CRDT

**CSV** (the documented alternative for a bank without camt.054), UTF-8, `;`-separated:

    MEIS-STATEMENT;<message id>;<account IBAN>;<number of entries>;<sum in AZN, e.g. 1234.50>
    end_to_end_id;amount;status;reason
    202603-1017;240.00;credited;
    202603-1018;310.55;returned;AC04

The file is a stranger's: it is refused before parsing when it holds NUL bytes, is not UTF-8,
is larger than `MAX_BYTES` or declares a DTD or entities; lxml parses with no DTD, no network
and no entity resolution. A refusal is a `StatementInvalid` with a translated message.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree  # type: ignore[import-untyped]  # no stubs shipped

SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "camt.054.001.02.xsd"
NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"
MAX_BYTES = 32 * 2**20  # 10,000 entries take about 5 MB
CSV_MARK = "MEIS-STATEMENT"
_NS = {"c": NAMESPACE}
_AMOUNT = re.compile(r"^\d{1,15}(\.\d{1,2})?$")
_SCHEMA: etree.XMLSchema | None = None

# ISO 20022 ExternalReturnReason1Code: the reasons a bank gives for a returned credit transfer.
RETURN_REASONS: dict[str, Promise] = {
    "AC01": gettext_lazy("Incorrect account number"),
    "AC04": gettext_lazy("Account closed"),
    "AC06": gettext_lazy("Account blocked"),
    "AG01": gettext_lazy("Payments to this account are forbidden"),
    "AM05": gettext_lazy("Duplicate payment"),
    "BE01": gettext_lazy("The name does not match the account holder"),
    "MD07": gettext_lazy("Account holder deceased"),
    "MS03": gettext_lazy("Reason not given by the bank"),
}


def reason_label(code: str) -> str:
    label = RETURN_REASONS.get(code)
    return str(label) if label is not None else _("Other reason (%(code)s)") % {"code": code}


class StatementInvalid(Exception):
    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Entry:
    end_to_end_id: str
    amount_qepik: int
    is_returned: bool
    reason_code: str = ""


@dataclass(frozen=True)
class BankStatement:
    format: str
    message_id: str
    account_iban: str
    declared_count: int
    declared_sum_qepik: int
    entries: list[Entry] = field(default_factory=list)

    @property
    def sum_qepik(self) -> int:
        return sum(entry.amount_qepik for entry in self.entries)


def schema() -> etree.XMLSchema:
    global _SCHEMA  # noqa: PLW0603 — parsed once per process
    if _SCHEMA is None:
        _SCHEMA = etree.XMLSchema(etree.parse(str(SCHEMA_PATH), _parser()))
    return _SCHEMA


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def statement_parse(content: bytes) -> BankStatement:
    """A camt.054 or CSV statement, checked for shape and its own control totals."""
    text = _text(content)
    if text.lstrip("\ufeff \t\r\n").startswith("<"):
        statement = _camt054(content)
    elif text.lstrip("\ufeff").startswith(CSV_MARK):
        statement = _csv(text.lstrip("\ufeff"))
    else:
        raise StatementInvalid(
            _(
                "This file is neither a camt.054 XML statement nor a MEİS CSV statement (whose "
                "first line starts with %(mark)s). Upload the statement the bank sent."
            )
            % {"mark": CSV_MARK},
            code="format",
        )
    _totals_check(statement)
    return statement


def _text(content: bytes) -> str:
    if not content:
        raise StatementInvalid(_("The file is empty. Upload the bank's statement."), code="empty")
    if len(content) > MAX_BYTES:
        raise StatementInvalid(
            _("The file is larger than %(mib)s MiB; a statement of one payroll is far smaller.")
            % {"mib": MAX_BYTES // 2**20},
            code="too_large",
        )
    if b"\x00" in content:
        raise StatementInvalid(
            _(
                "The file contains NUL bytes, so it is not a text statement. Upload the file "
                "exactly as the bank sent it."
            ),
            code="nul_bytes",
        )
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise StatementInvalid(
            _("The file is not in UTF-8. Ask the bank for the statement in UTF-8."),
            code="encoding",
        ) from None
    upper = text.upper()
    if "<!DOCTYPE" in upper or "<!ENTITY" in upper:
        raise StatementInvalid(
            _(
                "The file declares a DTD or XML entities, which a statement never needs; it is "
                "refused unread. Ask the bank for the plain camt.054 file."
            ),
            code="dtd",
        )
    return text


def _camt054(content: bytes) -> BankStatement:
    try:
        root = etree.fromstring(content, _parser())
    except etree.XMLSyntaxError as error:
        raise StatementInvalid(
            _("The XML is malformed (line %(line)s): %(error)s")
            % {"line": error.lineno or "?", "error": error.msg},
            code="malformed",
        ) from None
    if etree.QName(root).namespace != NAMESPACE:
        raise StatementInvalid(
            _("The XML is not a camt.054.001.02 statement (its namespace is %(ns)s).")
            % {"ns": etree.QName(root).namespace or "—"},
            code="not_camt054",
        )
    if not schema().validate(root):
        last = schema().error_log.last_error
        raise StatementInvalid(
            _("The statement does not follow the camt.054.001.02 schema (line %(line)s): %(error)s")
            % {"line": last.line, "error": last.message},
            code="schema",
        )
    notifications = root.findall("c:BkToCstmrDbtCdtNtfctn/c:Ntfctn", _NS)
    if len(notifications) != 1:
        raise StatementInvalid(
            _(
                "The statement has %(count)s notifications; MEİS reads one per file, for the "
                "ministry's account."
            )
            % {"count": len(notifications)},
            code="notifications",
        )
    notification = notifications[0]
    totals = notification.find("c:TxsSummry/c:TtlNtries", _NS)
    count_text = totals.findtext("c:NbOfNtries", None, _NS) if totals is not None else None
    sum_text = totals.findtext("c:Sum", None, _NS) if totals is not None else None
    if count_text is None or sum_text is None:
        raise StatementInvalid(
            _(
                "The statement has no control totals (TxsSummry/TtlNtries with NbOfNtries and "
                "Sum). Ask the bank for a statement with them."
            ),
            code="no_totals",
        )
    entries = [
        _camt_entry(number, ntry)
        for number, ntry in enumerate(notification.iterfind("c:Ntry", _NS), start=1)
    ]
    return BankStatement(
        format="camt054",
        message_id=root.findtext("c:BkToCstmrDbtCdtNtfctn/c:GrpHdr/c:MsgId", "", _NS),
        account_iban=notification.findtext("c:Acct/c:Id/c:IBAN", "", _NS),
        declared_count=int(count_text),
        declared_sum_qepik=_qepik(sum_text, where=_("the control sum")),
        entries=entries,
    )


def _camt_entry(number: int, ntry: etree._Element) -> Entry:
    where = _("entry %(number)s") % {"number": number}
    amount = ntry.find("c:Amt", _NS)
    if amount.get("Ccy") != "AZN":
        raise StatementInvalid(
            _("In %(where)s the currency is %(ccy)s; payrolls are paid in AZN.")
            % {"where": where, "ccy": amount.get("Ccy")},
            code="currency",
        )
    references = ntry.findall("c:NtryDtls/c:TxDtls/c:Refs/c:EndToEndId", _NS)
    if len(references) != 1:
        raise StatementInvalid(
            _("%(where)s must name exactly one payment by its EndToEndId; it names %(count)s.")
            % {"where": where.capitalize(), "count": len(references)},
            code="end_to_end",
        )
    is_returned = ntry.findtext("c:CdtDbtInd", "", _NS) == "CRDT"
    reason = ntry.findtext("c:NtryDtls/c:TxDtls/c:RtrInf/c:Rsn/c:Cd", "", _NS)
    return _entry(where, (references[0].text or "").strip(), amount.text or "", is_returned, reason)


def _entry(where: str, end_to_end_id: str, amount: str, is_returned: bool, reason: str) -> Entry:
    reason = reason.strip().upper()
    if is_returned and not reason:
        raise StatementInvalid(
            _(
                "%(where)s is a return without a reason code (RtrInf/Rsn/Cd, e.g. AC04). Ask the "
                "bank for the reason."
            )
            % {"where": where.capitalize()},
            code="no_reason",
        )
    if reason and not re.fullmatch(r"[A-Z0-9]{1,4}", reason):
        raise StatementInvalid(
            _(
                "%(where)s has an invalid return reason %(reason)s: a code of up to 4 letters "
                "and digits, e.g. AC04."
            )
            % {"where": where.capitalize(), "reason": reason[:20]},
            code="reason",
        )
    return Entry(
        end_to_end_id=end_to_end_id,
        amount_qepik=_qepik(amount, where=where),
        is_returned=is_returned,
        reason_code=reason if is_returned else "",
    )


def _qepik(text: str, *, where: str) -> int:
    text = text.strip()
    if not _AMOUNT.match(text):
        raise StatementInvalid(
            _(
                "The amount %(amount)s in %(where)s is not an amount in manat with at most two "
                "decimals (e.g. 240.50)."
            )
            % {"amount": text[:30], "where": where},
            code="amount_format",
        )
    whole, _dot, fraction = text.partition(".")
    return int(whole) * 100 + int((fraction + "00")[:2])


def _csv(text: str) -> BankStatement:
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    head = [cell.strip() for cell in rows[0]]
    header = [cell.strip().lower() for cell in rows[1]] if len(rows) > 1 else []
    if len(head) != 5 or header[:4] != ["end_to_end_id", "amount", "status", "reason"]:
        raise StatementInvalid(
            _(
                "The CSV statement must start with the line %(first)s and then the header "
                "%(header)s."
            )
            % {
                "first": f"{CSV_MARK};<message id>;<IBAN>;<entries>;<sum>",
                "header": "end_to_end_id;amount;status;reason",
            },
            code="csv_header",
        )
    if not head[3].isdigit():
        raise StatementInvalid(
            _("The number of entries in the first line, %(value)s, is not a number.")
            % {"value": head[3][:20]},
            code="csv_header",
        )
    entries = []
    for line, row in enumerate(rows[2:], start=3):
        if not any(cell.strip() for cell in row):
            continue
        where = _("line %(line)s") % {"line": line}
        cells = [cell.strip() for cell in row] + [""] * 4
        status = cells[2].lower()
        if status not in ("credited", "returned"):
            raise StatementInvalid(
                _("On %(where)s the status is %(status)s; write credited or returned.")
                % {"where": where, "status": cells[2][:20] or "—"},
                code="csv_status",
            )
        entries.append(_entry(where, cells[0], cells[1], status == "returned", cells[3]))
    return BankStatement(
        format="csv",
        message_id=head[1][:35],
        account_iban=head[2].replace(" ", "").upper(),
        declared_count=int(head[3]),
        declared_sum_qepik=_qepik(head[4], where=_("the control sum")),
        entries=entries,
    )


def _totals_check(statement: BankStatement) -> None:
    if not statement.message_id:
        raise StatementInvalid(
            _("The statement has no message id; the bank gives every statement one."),
            code="no_message_id",
        )
    if (statement.declared_count, statement.declared_sum_qepik) != (
        len(statement.entries),
        statement.sum_qepik,
    ):
        raise StatementInvalid(
            _(
                "The control totals do not match the entries: the statement declares "
                "%(declared_count)s entries for %(declared_sum)s AZN, its entries are "
                "%(count)s for %(sum)s AZN. Nothing was imported; ask the bank for a "
                "corrected statement."
            )
            % {
                "declared_count": statement.declared_count,
                "declared_sum": _azn(statement.declared_sum_qepik),
                "count": len(statement.entries),
                "sum": _azn(statement.sum_qepik),
            },
            code="control_total",
        )


def _azn(qepik: int) -> str:
    return f"{qepik // 100}.{qepik % 100:02d}"
