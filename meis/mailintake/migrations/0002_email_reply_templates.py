from django.db import migrations


def seed(apps, schema_editor):
    """Version 1 of the e-mail intake's answers in az/en/ru (only what is missing)."""
    from meis.notifications.seed import templates_seed

    templates_seed(apps.get_model("notifications", "Template"))


class Migration(migrations.Migration):
    dependencies = [
        ("mailintake", "0001_inbound_email"),
        ("notifications", "0011_event_choices_callable"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
