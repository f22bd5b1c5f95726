"""Version 1 of the pickup-ready and appointment-reminder templates (az/en/ru).

The texts are in meis/notifications/seed.py with every other template; `templates_seed` adds
only what a database lacks, so running it here (the app that sends them) is safe."""

from django.db import migrations


def seed(apps, schema_editor):
    from meis.notifications.seed import templates_seed

    templates_seed(apps.get_model("notifications", "Template"))


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0001_appointments_and_pickups"),
        ("notifications", "0011_event_choices_callable"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
