# The usage events now live in usage.UsageEvent (copied there by usage 0002, issue 19).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0005_decision_handover_in_person'),
        ('usage', '0002_merge_usage_events'),
    ]

    operations = [
        migrations.DeleteModel(
            name='UsageEvent',
        ),
    ]
