# The usage events now live in usage.UsageEvent (copied there by usage 0002, issue 19).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('proactive', '0003_drop_result_outcome_index'),
        ('usage', '0002_merge_usage_events'),
    ]

    operations = [
        migrations.DeleteModel(
            name='UsageEvent',
        ),
    ]
