"""Version 1 of the decision letters in az/en/ru: an award on an application (`case_award`) and a
refusal with its legal ground (`case_refusal`), both with the rules' explanation."""

from django.db import migrations


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    from meis.notifications.seed import templates_seed

    templates_seed(apps.get_model("notifications", "Template"))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_decisions_and_appeals"),
        ("notifications", "0011_event_choices_callable"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
