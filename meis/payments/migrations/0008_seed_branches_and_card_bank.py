"""More branches in the bank directory, one of the card-issuing bank in every economic region,
and Kapital Bank marked as the bank that issues cards to new recipients.

Data, not code: branch names are the towns where these banks are publicly known to keep branches
or post offices; the branch codes are MEİS's own (the banks' internal codes are not public) and
must be replaced with the banks' codes before the first real card order. Edited in the admin.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

# (bank code, branch code, name, economic region of registry.Region)
BRANCHES: list[tuple[str, str, str, str]] = [
    ("kapital-bank", "nakhchivan", "Naxçıvan filialı", "nakhchivan"),
    ("kapital-bank", "gazakh", "Qazax filialı", "gazakh_tovuz"),
    ("kapital-bank", "guba", "Quba filialı", "guba_khachmaz"),
    ("kapital-bank", "mingachevir", "Mingəçevir filialı", "central_aran"),
    ("kapital-bank", "sabirabad", "Sabirabad filialı", "mil_mugan"),
    ("kapital-bank", "shirvan", "Şirvan filialı", "shirvan_salyan"),
    ("kapital-bank", "shamakhi", "Şamaxı filialı", "mountainous_shirvan"),
    ("kapital-bank", "barda", "Bərdə filialı", "karabakh"),
    ("kapital-bank", "lachin", "Laçın filialı", "east_zangezur"),
    ("kapital-bank", "khirdalan", "Xırdalan filialı", "absheron_khizi"),
    ("kapital-bank", "narimanov", "Nərimanov filialı", "baku"),
    ("abb", "sumgait", "Sumqayıt filialı", "absheron_khizi"),
    ("abb", "lankaran", "Lənkəran filialı", "lankaran_astara"),
    ("abb", "sheki", "Şəki filialı", "sheki_zagatala"),
    ("xalq-bank", "ganja", "Gəncə filialı", "ganja_dashkasan"),
    ("xalq-bank", "sumgait", "Sumqayıt filialı", "absheron_khizi"),
    ("accessbank", "ganja", "Gəncə filialı", "ganja_dashkasan"),
    ("accessbank", "mingachevir", "Mingəçevir filialı", "central_aran"),
    ("azerpost", "ganja", "Gəncə poçt şöbəsi", "ganja_dashkasan"),
    ("azerpost", "lankaran", "Lənkəran poçt şöbəsi", "lankaran_astara"),
    ("azerpost", "sheki", "Şəki poçt şöbəsi", "sheki_zagatala"),
]
CARD_BANKS = ("kapital-bank",)


def seed(apps: Any, schema_editor: Any) -> None:
    """Idempotent: the tests call it again after a flush (after 0002's `seed`)."""
    bank_model = apps.get_model("payments", "Bank")
    branch_model = apps.get_model("payments", "Branch")
    banks = {bank.code: bank for bank in bank_model.objects.all()}
    for bank, code, name, region in BRANCHES:
        if bank in banks:
            branch_model.objects.get_or_create(
                bank=banks[bank], code=code, defaults={"name": name, "region": region}
            )
    bank_model.objects.filter(code__in=CARD_BANKS).update(issues_cards=True)


class Migration(migrations.Migration):
    dependencies = [("payments", "0007_accounts_changes_and_cards")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
