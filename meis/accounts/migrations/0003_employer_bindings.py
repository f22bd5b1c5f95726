"""Employer representatives become people bound to employers (granted, revocable, audited).

The earlier binding tied a staff-like user to one employer; no sign-in ever created one, so the
table is replaced rather than converted."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_remove_dev_message"),
        ("registry", "0001_initial_registry"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.DeleteModel(name="EmployerRepresentative"),
        migrations.CreateModel(
            name="EmployerRepresentative",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("granted_as", models.CharField(choices=[("administrator", "Administrator"), ("employer_head", "Head of the employer")], default="administrator", max_length=16, verbose_name="granted as")),
                ("granted_at", models.DateTimeField(auto_now_add=True, verbose_name="granted at")),
                ("revoked_at", models.DateTimeField(blank=True, null=True, verbose_name="revoked at")),
                ("employer", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="representatives", to="registry.employer", verbose_name="employer")),
                ("granted_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="granted by")),
                ("person", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="employer_bindings", to="registry.person", verbose_name="representative")),
                ("revoked_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="revoked by")),
            ],
            options={
                "verbose_name": "employer representative",
                "verbose_name_plural": "employer representatives",
                "constraints": [models.UniqueConstraint(condition=models.Q(("revoked_at__isnull", True)), fields=("person", "employer"), name="accounts_one_live_binding")],
            },
        ),
    ]
