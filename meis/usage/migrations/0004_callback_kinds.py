"""The kinds of a 142 call back: promised, and closed (called back or not reached)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("usage", "0003_monthly_and_narrow_rollups"),
    ]

    operations = [
        migrations.AlterField(
            model_name="usagedaily",
            name="kind",
            field=models.CharField(
                choices=[
                    ("application", "Application submitted"),
                    ("instant", "Service given at once"),
                    ("appeal", "Appeal submitted"),
                    ("decision", "Application decided"),
                    ("proactive", "Assigned without an application"),
                    ("certificate_issued", "Certificate issued"),
                    ("certificate_verified", "Certificate checked"),
                    ("appointment", "Appointment booked"),
                    ("call", "Call to 142"),
                    ("callback_requested", "Call back promised on 142"),
                    ("callback_closed", "Call back closed"),
                    ("ticket", "Walk-in visitor called"),
                    ("email", "E-mail to a centre"),
                ],
                max_length=24,
            ),
        ),
        migrations.AlterField(
            model_name="usagedaytotal",
            name="kind",
            field=models.CharField(
                choices=[
                    ("application", "Application submitted"),
                    ("instant", "Service given at once"),
                    ("appeal", "Appeal submitted"),
                    ("decision", "Application decided"),
                    ("proactive", "Assigned without an application"),
                    ("certificate_issued", "Certificate issued"),
                    ("certificate_verified", "Certificate checked"),
                    ("appointment", "Appointment booked"),
                    ("call", "Call to 142"),
                    ("callback_requested", "Call back promised on 142"),
                    ("callback_closed", "Call back closed"),
                    ("ticket", "Walk-in visitor called"),
                    ("email", "E-mail to a centre"),
                ],
                max_length=24,
            ),
        ),
        migrations.AlterField(
            model_name="usageevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("application", "Application submitted"),
                    ("instant", "Service given at once"),
                    ("appeal", "Appeal submitted"),
                    ("decision", "Application decided"),
                    ("proactive", "Assigned without an application"),
                    ("certificate_issued", "Certificate issued"),
                    ("certificate_verified", "Certificate checked"),
                    ("appointment", "Appointment booked"),
                    ("call", "Call to 142"),
                    ("callback_requested", "Call back promised on 142"),
                    ("callback_closed", "Call back closed"),
                    ("ticket", "Walk-in visitor called"),
                    ("email", "E-mail to a centre"),
                ],
                max_length=24,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="usagemonthly",
            name="kind",
            field=models.CharField(
                choices=[
                    ("application", "Application submitted"),
                    ("instant", "Service given at once"),
                    ("appeal", "Appeal submitted"),
                    ("decision", "Application decided"),
                    ("proactive", "Assigned without an application"),
                    ("certificate_issued", "Certificate issued"),
                    ("certificate_verified", "Certificate checked"),
                    ("appointment", "Appointment booked"),
                    ("call", "Call to 142"),
                    ("callback_requested", "Call back promised on 142"),
                    ("callback_closed", "Call back closed"),
                    ("ticket", "Walk-in visitor called"),
                    ("email", "E-mail to a centre"),
                ],
                max_length=24,
            ),
        ),
    ]
