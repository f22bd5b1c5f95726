"""A new end reason (a new employment contract ends an unemployment benefit early), and the
end by law for unemployment benefits granted before they had one (6 months from the start,
`unemployment_insurance.benefit_duration_months`, the rule `awards_grant` now applies)."""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def unemployment_benefit_ends(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from meis.awards.services.lifecycle import award_end_by_law

    award = apps.get_model("awards", "Award")
    held = award.objects.filter(
        kind="unemployment_benefit", status__in=("active", "suspended"), end_on__isnull=True
    )
    for row in held.only("id", "start_on").iterator():
        end_on, _ = award_end_by_law(kind="unemployment_benefit", start_on=row.start_on)
        award.objects.filter(pk=row.pk).update(end_on=end_on)


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0004_award_ends_and_suspensions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="award",
            name="end_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("term", "The period it was granted for ended"),
                    ("reexamination", "The disability re-examination date came"),
                    ("age_limit", "The child reached the age limit"),
                    ("death", "The recipient died"),
                    ("renewed", "Replaced by a renewal"),
                    ("recalculated", "Replaced by a recalculation"),
                    ("decision", "The end date set by the decision"),
                    ("employed", "A new employment contract was registered"),
                ],
                db_default="",
                default="",
                max_length=16,
                verbose_name="end reason",
            ),
        ),
        migrations.RunPython(unemployment_benefit_ends, migrations.RunPython.noop),
    ]
