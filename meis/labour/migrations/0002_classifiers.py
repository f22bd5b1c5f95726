"""Load the occupation classifier and the termination grounds from `meis/labour/data/`."""

from django.db import migrations

from meis.labour.classifiers import classifiers_load


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    classifiers_load(
        occupation=apps.get_model("labour", "Occupation"),
        ground=apps.get_model("labour", "TerminationGround"),
    )


class Migration(migrations.Migration):
    dependencies = [("labour", "0001_contracts_register")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
