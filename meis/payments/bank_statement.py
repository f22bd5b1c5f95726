"""What a bank sends back for a payment file: a camt.054.001.02 statement (or the CSV form).

For the demo, the tests and the benchmark, which play the bank: every payment of `run` at
`bank` is credited except `returned` (item id → ISO return reason). The real statements come
from the banks; this writes the same shape that `meis.payments.statements` reads.
"""

from __future__ import annotations

from django.db import connection

from meis.payments.models import Bank, PayrollRun
from meis.payments.services.files import DEBTOR_IBAN, SENT_SQL, money
from meis.payments.statements import CSV_MARK, NAMESPACE

_SENT_SQL = f"""
SELECT i.id, {SENT_SQL}
FROM payments_payrollitem i JOIN payments_paymentaccount acc ON acc.id = i.account_id
WHERE i.run_id = %s AND i.status = 'due' AND acc.bank_id = %s
ORDER BY i.id
"""  # noqa: S608 — SENT_SQL is a constant


def sent_payments(run: PayrollRun, bank: Bank) -> list[tuple[int, int]]:
    """(item id, amount sent) of every payment in `run`'s file for `bank`."""
    with connection.cursor() as cursor:
        cursor.execute(_SENT_SQL, [run.pk, bank.pk])
        return [(int(item), int(amount)) for item, amount in cursor.fetchall()]


def camt054_write(
    run: PayrollRun,
    bank: Bank,
    *,
    returned: dict[int, str] | None = None,
    message_id: str = "",
    payments: list[tuple[int, int]] | None = None,
) -> bytes:
    returned = returned or {}
    payments = sent_payments(run, bank) if payments is None else payments
    message_id = message_id or f"{bank.iban_code}-{run.month:%Y%m}-{run.pk}"
    total = sum(amount for _item, amount in payments)
    entries = []
    for item, amount in payments:
        reason = returned.get(item)
        back = f"<RtrInf><Rsn><Cd>{reason}</Cd></Rsn></RtrInf>" if reason is not None else ""
        entries.append(
            f'<Ntry><Amt Ccy="AZN">{money(amount)}</Amt>'
            f"<CdtDbtInd>{'CRDT' if reason is not None else 'DBIT'}</CdtDbtInd><Sts>BOOK</Sts>"
            f"<BkTxCd/><NtryDtls><TxDtls><Refs><EndToEndId>{run.month:%Y%m}-{item}"
            f"</EndToEndId></Refs>{back}</TxDtls></NtryDtls></Ntry>\n"
        )
    created = f"{run.month:%Y-%m}-05T10:00:00"
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="{NAMESPACE}">'
        f"<BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>{message_id}</MsgId>"
        f"<CreDtTm>{created}</CreDtTm></GrpHdr><Ntfctn><Id>{message_id}</Id>"
        f"<CreDtTm>{created}</CreDtTm><Acct><Id><IBAN>{DEBTOR_IBAN}</IBAN></Id></Acct>"
        f"<TxsSummry><TtlNtries><NbOfNtries>{len(payments)}</NbOfNtries>"
        f"<Sum>{money(total)}</Sum></TtlNtries></TxsSummry>\n"
        + "".join(entries)
        + "</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>\n"
    ).encode()


def csv_write(
    run: PayrollRun, bank: Bank, *, returned: dict[int, str] | None = None, message_id: str = ""
) -> bytes:
    returned = returned or {}
    payments = sent_payments(run, bank)
    message_id = message_id or f"{bank.iban_code}-{run.month:%Y%m}-{run.pk}-CSV"
    total = sum(amount for _item, amount in payments)
    lines = [
        f"{CSV_MARK};{message_id};{DEBTOR_IBAN};{len(payments)};{money(total)}",
        "end_to_end_id;amount;status;reason",
    ]
    for item, amount in payments:
        reason = returned.get(item)
        status = "returned" if reason is not None else "credited"
        lines.append(f"{run.month:%Y%m}-{item};{money(amount)};{status};{reason or ''}")
    return ("\n".join(lines) + "\n").encode()
