from django.db import migrations


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Version 1 of the disability register's az/en/ru templates."""
    from meis.notifications.seed import templates_seed

    templates_seed(apps.get_model("notifications", "Template"))


class Migration(migrations.Migration):
    dependencies = [("notifications", "0014_employment_events")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
