"""Seed the three centres' contacts, hours, services, the March 2020 regime and Novruz closure.

Sources and what is assumed:
- Restricted reception 15–20 March 2020 (listed services, by appointment): docs/domain.md §10
  ("reception restricted 15–20 Mar 2020", news text of the project's source).
- Novruz 2020: 20–24 March holidays, 21–22 March (a weekend) moved to 25–26 March
  (Labour Code Art. 105.5; https://video.azertag.az/video/89767; docs/domain.md §11). The
  centres' own closure is seeded for 20–26 March so the directory can name it; 27 March (a rest
  day swapped with Sunday 29 March) is closed by the national calendar.
- Hours (Monday–Friday 09:00–18:00), phones and e-mail addresses are [M]: they follow the
  pattern of the real centres but were not checked against a source; administrators correct
  them in the admin. The addresses are those of migration 0002 (placeholders).
"""

import datetime

from django.db import migrations

CONTACTS = {
    "baku-1": ("baku", "baki1@dost.gov.az", "+994 12 142 01 01, 142"),
    "baku-2": ("baku", "baki2@dost.gov.az", "+994 12 142 02 02, 142"),
    "sumqayit": ("absheron", "sumqayit@dost.gov.az", "+994 18 142 03 03, 142"),
}
SERVICES = [
    "pickup-appointment",
    "targeted-social-assistance",
    "targeted-assistance-change-report",
    "disability-assessment",
    "disability-last-examination",
    "disability-examinations-history",
    "individual-account-statement",
    "insurance-record-statement",
    "old-age-pension",
    "disability-pension",
    "survivor-pension",
    "age-benefit",
    "disability-benefit",
    "disabled-child-benefit",
    "survivor-benefit",
    "childbirth-benefit",
    "funeral-benefit",
    "job-seeker-registration",
    "unemployment-insurance-benefit",
    "employment-contract-conclusion",
    "employment-contract-amendment",
    "employment-contract-termination",
    "vacancy-submission",
]
RESTRICTED_TO = [
    "pickup-appointment",
    "targeted-social-assistance",
    "disability-assessment",
    "job-seeker-registration",
]
NOTICE = {
    "az": (
        "15–20 mart 2020-ci il tarixlərində vətəndaşlar yalnız əvvəlcədən növbə ilə və yalnız "
        "bu xidmətlər üzrə qəbul edilir: hazır sənədlərin təhvili, ünvanlı dövlət sosial "
        "yardımı, əlilliyin müəyyən edilməsi, işaxtaran kimi qeydiyyat. Digər xidmətlər üçün "
        "portaldan istifadə edin, sənədlərinizi e-poçtla göndərin və ya 142-yə zəng edin."
    ),
    "en": (
        "From 15 to 20 March 2020 citizens are received only by appointment and only for these "
        "services: handing over ready documents, targeted social assistance, disability "
        "assessment, registration as a job seeker. For anything else use the portal, send your "
        "documents by e-mail or call 142."
    ),
    "ru": (
        "С 15 по 20 марта 2020 года граждан принимают только по предварительной записи и только "
        "по этим услугам: выдача готовых документов, адресная социальная помощь, установление "
        "инвалидности, регистрация в качестве ищущего работу. По остальным вопросам "
        "пользуйтесь порталом, отправьте документы по e-mail или позвоните 142."
    ),
}
NOVRUZ = {
    "az": "Novruz bayramı",
    "en": "Novruz holiday",
    "ru": "праздник Новруз",
}


def seed(apps, schema_editor):
    ServiceCentre = apps.get_model("centres", "ServiceCentre")
    OpeningHours = apps.get_model("centres", "OpeningHours")
    SpecialRegime = apps.get_model("centres", "SpecialRegime")
    CentreClosure = apps.get_model("workcalendar", "CentreClosure")
    for centre in ServiceCentre.objects.filter(code__in=CONTACTS):
        region, email, phones = CONTACTS[centre.code]
        centre.region, centre.email, centre.phones = region, email, phones
        centre.services = SERVICES
        centre.save(update_fields=["region", "email", "phones", "services"])
        for weekday in range(5):
            OpeningHours.objects.get_or_create(
                centre=centre,
                weekday=weekday,
                defaults={"opens_at": datetime.time(9), "closes_at": datetime.time(18)},
            )
        SpecialRegime.objects.get_or_create(
            centre=centre,
            starts_on=datetime.date(2020, 3, 15),
            ends_on=datetime.date(2020, 3, 20),
            defaults={
                "is_appointment_only": True,
                "services": RESTRICTED_TO,
                "notice_az": NOTICE["az"],
                "notice_en": NOTICE["en"],
                "notice_ru": NOTICE["ru"],
                "source": "docs/domain.md §10: reception restricted 15–20 March 2020",
            },
        )
        CentreClosure.objects.get_or_create(
            centre=centre,
            starts_on=datetime.date(2020, 3, 20),
            ends_on=datetime.date(2020, 3, 26),
            defaults={
                "reason_az": NOVRUZ["az"],
                "reason_en": NOVRUZ["en"],
                "reason_ru": NOVRUZ["ru"],
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("centres", "0003_centre_contacts_hours_regimes"),
        ("workcalendar", "0002_seed_decreed_days"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
