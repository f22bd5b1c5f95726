"""Three service groups and three counters at each seeded DOST centre (administrators change
them in the admin): A pensions and benefits, B targeted assistance, C certificates and pickup."""

from django.db import migrations

GROUPS = [
    ("A", "Pensiyalar və müavinətlər", "Pensions and benefits", "Пенсии и пособия"),
    ("B", "Ünvanlı sosial yardım", "Targeted social assistance", "Адресная социальная помощь"),
    (
        "C",
        "Arayışlar və sənədlərin təhvili",
        "Certificates and document pickup",
        "Справки и выдача документов",
    ),
]
COUNTERS = {1: "AB", 2: "BC", 3: "ABC"}


def seed(apps, schema_editor):
    ServiceCentre = apps.get_model("centres", "ServiceCentre")
    ServiceGroup = apps.get_model("walkin", "ServiceGroup")
    Counter = apps.get_model("walkin", "Counter")
    for centre in ServiceCentre.objects.all():
        groups = {}
        for letter, name_az, name_en, name_ru in GROUPS:
            groups[letter], _ = ServiceGroup.objects.get_or_create(
                centre=centre,
                letter=letter,
                defaults={"name_az": name_az, "name_en": name_en, "name_ru": name_ru},
            )
        for number, letters in COUNTERS.items():
            counter, created = Counter.objects.get_or_create(centre=centre, number=number)
            if created:
                counter.groups.set([groups[letter] for letter in letters])


class Migration(migrations.Migration):
    dependencies = [("walkin", "0001_walkin_queue"), ("centres", "0002_seed_dost_centres")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
