"""Templates: versioned per event and language, personalisation fields checked at save time."""

import pytest
from django.core.exceptions import ValidationError

from meis.notifications.events import EVENTS
from meis.notifications.models import Template
from meis.notifications.placeholders import placeholders_in
from meis.notifications.seed import SEED
from meis.notifications.services import template_version_create
from meis.notifications.tests.test_outbox import queue_decision


def test_every_event_has_a_seed_template_in_az_en_and_ru():
    assert set(SEED) == {(event, lang) for event in EVENTS for lang in ("az", "en", "ru")}


@pytest.mark.parametrize(("key", "texts"), SEED.items(), ids=lambda v: str(v))
def test_seed_templates_use_only_their_events_fields(key, texts):
    template = Template(
        event=key[0],
        language=key[1],
        email_subject=texts[0],
        email_text=texts[1],
        sms_text=texts[2],
    )

    template.clean()
    assert placeholders_in(texts[1]) <= EVENTS[key[0]].fields


@pytest.mark.django_db
def test_an_unknown_personalisation_field_is_an_error_when_saving():
    template = Template(
        event="one_time_code",
        language="az",
        version=99,
        email_subject="Kod",
        email_text="Kodunuz: ((kod))",
        sms_text="Kod: ((code))",
    )

    with pytest.raises(ValidationError) as error:
        template.full_clean()

    assert set(error.value.message_dict) == {"email_text"}
    assert "((kod))" in error.value.message_dict["email_text"][0]


def test_the_admin_refuses_a_template_with_an_unknown_field(admin_client):
    response = admin_client.post(
        "/en/admin/notifications/template/add/",
        {
            "event": "pickup_reminder",
            "language": "en",
            "email_subject": "Reminder",
            "email_text": "Collect it at ((place)) on ((date)).",
            "email_html": "",
            "sms_text": "At ((place)).",
        },
    )

    assert response.status_code == 200
    assert "((date))" in response.content.decode()
    assert Template.objects.filter(event="pickup_reminder", language="en").count() == 1


def test_editing_a_template_writes_a_new_version_and_old_messages_keep_theirs(person):
    [before] = queue_decision(person, dedupe_key="one")
    current = Template.objects.get(event="case_decision", language="az")
    current.email_subject = "Qərar: ((case_reference))"

    new = template_version_create(template=current, actor=None)
    [after] = queue_decision(person, dedupe_key="two")

    assert new.version == 2
    assert Template.objects.filter(event="case_decision", language="az").count() == 2
    assert (before.template.version, after.template_id) == (1, new.pk)
    assert after.subject == "Qərar: MEİS-2026-000123"


def test_the_admin_saves_an_edit_as_the_next_version(admin_client, templates):
    template = Template.objects.get(event="one_time_code", language="en")
    response = admin_client.post(
        f"/en/admin/notifications/template/{template.pk}/change/",
        {
            "event": "one_time_code",
            "language": "en",
            "email_subject": "Your code",
            "email_text": "Code ((code)), valid ((minutes_valid)) minutes.",
            "email_html": "",
            "sms_text": "Code ((code))",
        },
    )

    assert response.status_code == 302
    versions = Template.objects.filter(event="one_time_code", language="en")
    assert sorted(versions.values_list("version", "email_subject")) == [
        (1, "MEİS: your one-time code"),
        (2, "Your code"),
    ]


def test_azerbaijani_sms_templates_are_counted_in_ucs2_segments(templates):
    template = Template.objects.get(event="one_time_code", language="az")

    assert template.sms_length.encoding == "UCS-2"
    assert template.sms_length.segments == 2
