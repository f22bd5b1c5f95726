"""The portal inbox: a list of the citizen's own messages, newest first, the unread marked; one
message opens on its own page, which marks it read; the navigation counts the unread."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from meis.accounts.models import CitizenAccount
from meis.notifications.models import Message
from meis.notifications.selectors import inbox_unread_count
from meis.notifications.tests.conftest import person_create
from meis.notifications.tests.test_outbox import queue_decision


def sign_in_as(client, person):
    user = get_user_model().objects.create_user(username=f"citizen-{person.fin}")
    CitizenAccount.objects.create(user=user, person=person)
    client.force_login(user)


def _two_messages(person) -> tuple[Message, Message]:
    [older] = queue_decision(person, channels=("portal",), dedupe_key="older")
    [newer] = queue_decision(person, channels=("portal",), dedupe_key="newer")
    Message.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    return older, newer


def test_the_list_shows_subjects_newest_first_with_unread_marks_and_reads_nothing(client, person):
    older, newer = _two_messages(person)
    queue_decision(person_create(), channels=("portal",), dedupe_key="someone-else")
    sign_in_as(client, person)

    response = client.get("/en/inbox/")

    assert response.status_code == 200
    assert [m.pk for m in response.context["inbox"]] == [newer.pk, older.pk]
    page = response.content.decode()
    assert page.count(">Unread</strong>") == 2  # a visible tag, read out by screen readers
    assert f'href="/en/inbox/{newer.public_id}/"' in page
    assert "Hörmətli" not in page  # the list shows subjects, not the texts
    assert inbox_unread_count(person=person) == 2


def test_opening_a_message_shows_it_and_marks_only_it_read(client, person):
    older, newer = _two_messages(person)
    sign_in_as(client, person)

    response = client.get(f"/en/inbox/{older.public_id}/")

    assert response.status_code == 200
    assert older.subject in response.content.decode()
    assert "Hörmətli Gülşən Məmmədova" in response.content.decode()
    older.refresh_from_db()
    newer.refresh_from_db()
    assert older.read_at is not None
    assert newer.read_at is None
    listing = client.get("/en/inbox/").content.decode()
    assert listing.count(">Unread</strong>") == 1


def test_the_navigation_counts_the_unread_messages(client, person):
    older, _newer = _two_messages(person)
    sign_in_as(client, person)
    with translation.override("en"):
        assert "Inbox (2)" in client.get("/en/my/record/").content.decode()
        client.get(f"/en/inbox/{older.public_id}/")
        assert "Inbox (1)" in client.get("/en/my/record/").content.decode()
        client.get(f"/en/inbox/{_newer.public_id}/")
        page = client.get("/en/my/record/").content.decode()
    assert "Inbox (" not in page
    assert ">Inbox<" in page


def test_another_citizens_message_is_not_found_and_stays_unread(client, person):
    [message] = queue_decision(person, channels=("portal",))
    sign_in_as(client, person_create())

    assert client.get(f"/en/inbox/{message.public_id}/").status_code == 404
    assert client.get("/en/inbox/not-a-uuid/").status_code == 404
    message.refresh_from_db()
    assert message.read_at is None


def test_an_e_mail_is_not_an_inbox_message(client, person):
    [email] = queue_decision(person, channels=("email",))
    sign_in_as(client, person)

    assert client.get(f"/en/inbox/{email.public_id}/").status_code == 404


def test_a_long_inbox_is_paged_and_a_bad_page_number_shows_a_page(client, person):
    for n in range(23):
        queue_decision(person, channels=("portal",), dedupe_key=f"m{n}")
    sign_in_as(client, person)

    first = client.get("/en/inbox/")
    assert len(first.context["inbox"]) == 20
    assert "Older messages" in first.content.decode()
    assert len(client.get("/en/inbox/?page=2").context["inbox"]) == 3
    assert client.get("/en/inbox/?page=zzz").status_code == 200


def test_visitors_who_are_not_signed_in_are_sent_to_sign_in(client, db):
    response = client.get("/az/inbox/")

    assert response.status_code == 302


def test_the_inbox_shows_a_case_reference_but_never_an_internal_one(client, person):
    """A letter about a case names the case; an award letter's internal reference ("award-52",
    how the award desk files its letters) means nothing to the citizen and is not shown."""
    case_message, award_message = _two_messages(person)
    Message.objects.filter(pk=case_message.pk).update(case_reference="MEIS-2026-0000123")
    Message.objects.filter(pk=award_message.pk).update(case_reference="award-52")
    sign_in_as(client, person)

    listing = client.get("/en/inbox/").content.decode()
    award_page = client.get(f"/en/inbox/{award_message.public_id}/").content.decode()
    case_page = client.get(f"/en/inbox/{case_message.public_id}/").content.decode()

    assert "MEIS-2026-0000123" in listing
    assert "MEIS-2026-0000123" in case_page
    assert "award-52" not in listing
    assert "award-52" not in award_page
