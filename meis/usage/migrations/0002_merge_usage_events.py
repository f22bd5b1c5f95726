"""Copy the two earlier usage-event tables into the one `usage.UsageEvent` (issue 19).

cases.UsageEvent (kind "submitted" / "completed" / "appealed") becomes an application, a service
given at once, an appeal; proactive.UsageEvent (one per proactive grant) becomes a proactive
assignment whose source is its award, so that it is never counted twice. The old tables are
dropped by the next migrations of cases and proactive. Written set-wise in SQL: a national
installation has millions of proactive rows.
"""

from django.db import migrations

KINDS = {"submitted": "application", "completed": "instant", "appealed": "appeal"}


def copy_events(apps, schema_editor):
    connection = schema_editor.connection
    postgres = connection.vendor == "postgresql"
    # The local day of a timestamp: Baku time (settings.TIME_ZONE), UTC+4 without summer time
    # since 2016; the events copied here are all later than that.
    local_day = (
        "(occurred_at AT TIME ZONE 'Asia/Baku')::date"
        if postgres
        else "date(occurred_at, '+4 hours')"
    )
    kind = "CASE kind " + " ".join(f"WHEN '{old}' THEN '{new}'" for old, new in KINDS.items())
    kind += " ELSE kind END"
    noon = "(day + time '08:00') AT TIME ZONE 'UTC'" if postgres else "datetime(day, '+8 hours')"
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO usage_usageevent (occurred_at, day, kind, service_code, channel, region,"
            " centre_code, outcome, source) "
            f"SELECT occurred_at, {local_day}, {kind}, service_code, channel, '', '', '', NULL "
            "FROM cases_usageevent"
        )
        # A proactive grant has only its day: counted at noon Baku time (08:00 UTC).
        cursor.execute(
            "INSERT INTO usage_usageevent (occurred_at, day, kind, service_code, channel, region,"
            " centre_code, outcome, source) "
            f"SELECT {noon}, day, 'proactive', service_code, channel, region, '', '', "
            "CASE WHEN award_id IS NULL THEN NULL ELSE 'award:' || award_id END "
            "FROM proactive_usageevent"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("usage", "0001_initial"),
        ("cases", "0005_decision_handover_in_person"),
        ("proactive", "0003_drop_result_outcome_index"),
    ]

    operations = [migrations.RunPython(copy_events, migrations.RunPython.noop)]
