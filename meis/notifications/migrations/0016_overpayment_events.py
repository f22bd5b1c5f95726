from django.db import migrations


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Version 1 of the overpayment letters (withheld; claimed from the estate), az/en/ru."""
    from meis.notifications.seed import templates_seed

    templates_seed(apps.get_model("notifications", "Template"))


class Migration(migrations.Migration):
    dependencies = [("notifications", "0015_disability_events")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
