"""Seed three DOST centres so that a fresh installation has somewhere for staff to work.

The names follow the pattern of the real centres; the addresses are placeholders for the demo,
not checked against a source. Administrators correct them in the admin.
"""

from django.db import migrations

CENTRES = [
    ("baku-1", "Bakı 1 nömrəli DOST mərkəzi", "Baku DOST centre No. 1", "Бакинский центр DOST № 1",
     "Bakı, Yasamal rayonu, Şərifzadə küçəsi 2"),
    ("baku-2", "Bakı 2 nömrəli DOST mərkəzi", "Baku DOST centre No. 2", "Бакинский центр DOST № 2",
     "Bakı, Xətai rayonu, Xocalı prospekti 37"),
    ("sumqayit", "Sumqayıt regional DOST mərkəzi", "Sumgayit regional DOST centre",
     "Сумгайытский региональный центр DOST", "Sumqayıt, 9-cu mikrorayon, Sülh küçəsi 12"),
]


def seed(apps, schema_editor):
    ServiceCentre = apps.get_model("centres", "ServiceCentre")
    for code, name_az, name_en, name_ru, address in CENTRES:
        ServiceCentre.objects.update_or_create(
            code=code,
            defaults={"name_az": name_az, "name_en": name_en, "name_ru": name_ru, "address": address},
        )


def unseed(apps, schema_editor):
    apps.get_model("centres", "ServiceCentre").objects.filter(
        code__in=[c[0] for c in CENTRES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("centres", "0001_service_centres")]
    operations = [migrations.RunPython(seed, unseed)]
