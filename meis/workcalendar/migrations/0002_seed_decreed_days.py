"""Seed the decreed days of 2019–2026 (docs/domain.md §11) from seed/decreed_days.yaml."""

from django.db import migrations


def seed(apps, schema_editor):
    from meis.workcalendar.seed import decreed_days_load

    decreed_days_load(apps.get_model("workcalendar", "CalendarDay"))


class Migration(migrations.Migration):
    dependencies = [("workcalendar", "0001_national_calendar_and_closures")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
