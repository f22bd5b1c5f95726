from django.db import migrations


def seed(apps, schema_editor):
    from meis.notifications.seed import templates_seed

    templates_seed(apps.get_model("notifications", "Template"))


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
