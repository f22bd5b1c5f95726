"""The directory of paying banks: Azerbaijani banks with their SWIFT/BIC and the 4-letter bank
code of their IBANs (the BIC's first four letters), and head offices and a few regional branches.

Public facts. `is_code_verified` marks the codes checked against public SWIFT directories when
this was written (IBAZAZ2X, AIIBAZ2X, ACABAZ22, AZRTAZ22, BRESAZ22, AZFIAZ22, AZENAZ22,
AZALAZ22, HAJCAZ22, RBTAAZ22, AZPOAZ22); the others are as commonly published and must be
confirmed with the Central Bank's directory before the first real payroll. The directory is data:
a bank is added or retired in the admin, never in code.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

# (code, name, BIC, verified)
BANKS: list[tuple[str, str, str, bool]] = [
    ("kapital-bank", "Kapital Bank", "AIIBAZ2X", True),
    ("abb", "ABB (Azərbaycan Beynəlxalq Bankı)", "IBAZAZ2X", True),
    ("xalq-bank", "Xalq Bank", "HAJCAZ22", True),
    ("rabitabank", "Rabitəbank", "RBTAAZ22", True),
    ("accessbank", "AccessBank", "ACABAZ22", True),
    ("bank-respublika", "Bank Respublika", "BRESAZ22", True),
    ("azer-turk-bank", "Azər Türk Bank", "AZRTAZ22", True),
    ("afb-bank", "AFB Bank", "AZFIAZ22", True),
    ("expressbank", "Expressbank", "AZENAZ22", True),
    ("bank-silk-way", "Bank Silk Way", "AZALAZ22", True),
    ("azerpost", "Azərpoçt", "AZPOAZ22", True),
    ("pasha-bank", "PAŞA Bank", "PAHAAZ22", False),
    ("unibank", "Unibank", "UBAZAZ22", False),
    ("bank-of-baku", "Bank of Baku", "JBBKAZ22", False),
    ("yelo-bank", "Yelo Bank", "NIKOAZ22", False),
    ("ziraat-bank", "Ziraat Bank Azərbaycan", "TCZBAZ22", False),
    ("vtb-azerbaijan", "Bank VTB (Azərbaycan)", "VTBAAZ22", False),
]
# Regional branches of the banks that pay most pensions (Kapital Bank, ABB, Azərpoçt).
BRANCHES: list[tuple[str, str, str, str]] = [
    ("kapital-bank", "ganja", "Gəncə filialı", "ganja_dashkasan"),
    ("kapital-bank", "sumgait", "Sumqayıt filialı", "absheron_khizi"),
    ("kapital-bank", "lankaran", "Lənkəran filialı", "lankaran_astara"),
    ("kapital-bank", "sheki", "Şəki filialı", "sheki_zagatala"),
    ("abb", "ganja", "Gəncə filialı", "ganja_dashkasan"),
    ("abb", "nakhchivan", "Naxçıvan filialı", "nakhchivan"),
    ("azerpost", "shirvan", "Şirvan poçt şöbəsi", "shirvan_salyan"),
    ("azerpost", "guba", "Quba poçt şöbəsi", "guba_khachmaz"),
]


def seed(apps: Any, schema_editor: Any) -> None:
    """Idempotent: the tests call it again after a flush."""
    bank_model = apps.get_model("payments", "Bank")
    branch_model = apps.get_model("payments", "Branch")
    banks = {}
    for code, name, bic, verified in BANKS:
        banks[code], _ = bank_model.objects.update_or_create(
            code=code,
            defaults={"name": name, "bic": bic, "iban_code": bic[:4], "is_code_verified": verified},
        )
        branch_model.objects.get_or_create(
            bank=banks[code], code="head", defaults={"name": "Baş ofis", "region": "baku"}
        )
    for bank, code, name, region in BRANCHES:
        branch_model.objects.get_or_create(
            bank=banks[bank], code=code, defaults={"name": name, "region": region}
        )


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_payroll")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
