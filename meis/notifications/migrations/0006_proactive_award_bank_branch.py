from django.db import migrations


def seed(apps, schema_editor):
    """Version 2 of the proactive award letter in az/en/ru: it names the paying bank branch."""
    from meis.notifications.seed import templates_seed

    templates_seed(apps.get_model("notifications", "Template"))


class Migration(migrations.Migration):
    dependencies = [("notifications", "0005_message_content_retention")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
