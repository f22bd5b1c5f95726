
"""The monthly and the narrow daily rollups (bench/stats.py: a year of the daily rollup is too
many rows for a dashboard query), filled from the daily rollups already there."""

from django.db import migrations, models

KEY = "kind, service_code, channel, region, centre_code, outcome"


def fill(apps, schema_editor):
    connection = schema_editor.connection
    month = (
        "date_trunc('month', day)::date"
        if connection.vendor == "postgresql"
        else "date(day, 'start of month')"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO usage_usagedaytotal (day, kind, region, centre_code, events) "
            "SELECT day, kind, region, centre_code, SUM(events) FROM usage_usagedaily "
            "GROUP BY day, kind, region, centre_code"
        )
        cursor.execute(
            f"INSERT INTO usage_usagemonthly (month, {KEY}, events, on_time, measured, "
            f"measure_sum) SELECT {month}, {KEY}, SUM(events), SUM(on_time), SUM(measured), "
            f"SUM(measure_sum) FROM usage_usagedaily GROUP BY {month}, {KEY}"
        )
        cursor.execute(
            "INSERT INTO usage_decisiontimemonthly (month, service_code, region, centre_code, "
            f"working_days, decisions) SELECT {month}, service_code, region, centre_code, "
            "working_days, SUM(decisions) FROM usage_decisiontimedaily "
            f"GROUP BY {month}, service_code, region, centre_code, working_days"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('usage', '0002_merge_usage_events'),
    ]

    operations = [
        # (filled after the tables are created: see the end of the list)
        migrations.CreateModel(
            name='DecisionTimeMonthly',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField()),
                ('service_code', models.CharField(blank=True, max_length=64)),
                ('region', models.CharField(blank=True, max_length=32)),
                ('centre_code', models.CharField(blank=True, max_length=32)),
                ('working_days', models.IntegerField()),
                ('decisions', models.BigIntegerField()),
            ],
            options={
                'verbose_name': 'decision times of a month',
                'verbose_name_plural': 'decision times of a month',
                'constraints': [models.UniqueConstraint(fields=('month', 'service_code', 'region', 'centre_code', 'working_days'), name='usage_decision_time_month_key')],
            },
        ),
        migrations.CreateModel(
            name='UsageDayTotal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('kind', models.CharField(choices=[('application', 'Application submitted'), ('instant', 'Service given at once'), ('appeal', 'Appeal submitted'), ('decision', 'Application decided'), ('proactive', 'Assigned without an application'), ('certificate_issued', 'Certificate issued'), ('certificate_verified', 'Certificate checked'), ('appointment', 'Appointment booked'), ('call', 'Call to 142'), ('ticket', 'Walk-in visitor called'), ('email', 'E-mail to a centre')], max_length=24)),
                ('region', models.CharField(blank=True, max_length=32)),
                ('centre_code', models.CharField(blank=True, max_length=32)),
                ('events', models.BigIntegerField()),
            ],
            options={
                'verbose_name': 'daily usage total',
                'verbose_name_plural': 'daily usage totals',
                'constraints': [models.UniqueConstraint(fields=('day', 'kind', 'region', 'centre_code'), name='usage_day_total_key')],
            },
        ),
        migrations.CreateModel(
            name='UsageMonthly',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField()),
                ('kind', models.CharField(choices=[('application', 'Application submitted'), ('instant', 'Service given at once'), ('appeal', 'Appeal submitted'), ('decision', 'Application decided'), ('proactive', 'Assigned without an application'), ('certificate_issued', 'Certificate issued'), ('certificate_verified', 'Certificate checked'), ('appointment', 'Appointment booked'), ('call', 'Call to 142'), ('ticket', 'Walk-in visitor called'), ('email', 'E-mail to a centre')], max_length=24)),
                ('service_code', models.CharField(blank=True, max_length=64)),
                ('channel', models.CharField(blank=True, max_length=16)),
                ('region', models.CharField(blank=True, max_length=32)),
                ('centre_code', models.CharField(blank=True, max_length=32)),
                ('outcome', models.CharField(blank=True, max_length=32)),
                ('events', models.BigIntegerField()),
                ('on_time', models.BigIntegerField(default=0)),
                ('measured', models.BigIntegerField(default=0)),
                ('measure_sum', models.BigIntegerField(default=0)),
            ],
            options={
                'verbose_name': 'monthly usage',
                'verbose_name_plural': 'monthly usage',
                'indexes': [models.Index(fields=['month', 'kind'], name='usage_monthly_month_kind')],
                'constraints': [models.UniqueConstraint(fields=('month', 'kind', 'service_code', 'channel', 'region', 'centre_code', 'outcome'), name='usage_monthly_key')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
