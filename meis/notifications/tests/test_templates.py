"""Templates: versioned per event and language, personalisation fields checked at save time."""

import pytest
from django.core.exceptions import ValidationError

from meis.notifications.events import EVENTS
from meis.notifications.models import Template
from meis.notifications.placeholders import placeholders_in
from meis.notifications.seed import REVISIONS, SEED, template_versions, templates_seed
from meis.notifications.services import template_version_create
from meis.notifications.tests.test_outbox import queue_decision


def test_every_event_has_a_seed_template_in_az_en_and_ru():
    assert set(SEED) == {(event, lang) for event in EVENTS for lang in ("az", "en", "ru")}


SHIPPED = [(key, texts) for key, versions in template_versions().items() for texts in versions]


@pytest.mark.parametrize(("key", "texts"), SHIPPED, ids=lambda v: str(v))
def test_shipped_templates_use_only_their_events_fields(key, texts):
    template = Template(
        event=key[0],
        language=key[1],
        email_subject=texts[0],
        email_text=texts[1],
        sms_text=texts[2],
    )

    template.clean()
    assert placeholders_in(texts[1]) <= EVENTS[key[0]].fields


def test_every_revision_revises_a_seeded_template():
    assert set(REVISIONS) <= set(SEED)


@pytest.mark.django_db
def test_seeding_writes_each_shipped_version_once_in_order():
    templates_seed(Template)
    again = templates_seed(Template)

    rows = Template.objects.filter(event="proactive_award", language="en").order_by("version")
    assert again == 0
    assert [(t.version, t.email_text) for t in rows] == [
        (number, texts[1])
        for number, texts in enumerate(template_versions()[("proactive_award", "en")], start=1)
    ]


@pytest.fixture
def no_award_letters(db):
    """A database as it was before the letter had any version (the migrations seeded them)."""
    Template.objects.filter(event="proactive_award").delete()


def proactive_award_v1(language: str, **overrides) -> Template:
    subject, text, sms = SEED[("proactive_award", language)]
    fields = {"email_subject": subject, "email_text": text, "sms_text": sms, "version": 1}
    return Template.objects.create(
        event="proactive_award", language=language, **{**fields, **overrides}
    )


def test_a_database_with_version_1_gets_the_revision_as_version_2(no_award_letters):
    proactive_award_v1("ru")

    templates_seed(Template)

    newest = Template.objects.filter(event="proactive_award", language="ru").latest("version")
    assert (newest.version, newest.email_text) == (2, REVISIONS[("proactive_award", "ru")][0][1])


def test_a_revision_becomes_newer_than_an_operators_edit_which_stays_as_it_was(
    no_award_letters,
):
    proactive_award_v1("az")
    proactive_award_v1("az", version=2, email_subject="Operatorun mətni")

    templates_seed(Template)

    rows = Template.objects.filter(event="proactive_award", language="az").order_by("version")
    assert [(t.version, t.email_subject) for t in rows] == [
        (1, SEED[("proactive_award", "az")][0]),
        (2, "Operatorun mətni"),
        (3, REVISIONS[("proactive_award", "az")][0][0]),
    ]


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


def test_a_new_event_needs_no_migration_of_messages_or_templates() -> None:
    from meis.notifications.events import EventCode, event_choices
    from meis.notifications.models import Message

    for model in (Message, Template):
        field = model._meta.get_field("event")
        # What migrations record is the function, so the list of events can grow freely…
        assert field.deconstruct()[3]["choices"] is event_choices
        # …while forms, the admin and get_event_display still see every event.
        assert list(field.choices or []) == list(EventCode.choices)
