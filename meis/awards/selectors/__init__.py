"""Reads of awards: a citizen's own awards with their letters; recorded facts (`recorded_facts`)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from meis.awards.models import Award
from meis.notifications.models import Message
from meis.registry.models import Person


def award_list_for_person(*, person: Person) -> QuerySet[Award]:
    return Award.objects.filter(person=person).select_related("basis").order_by("-start_on", "-id")


def award_get_for_person(*, person: Person, award_id: int) -> Award:
    """The person's own award; another person's award is "not found", never "forbidden"."""
    award = award_list_for_person(person=person).filter(pk=award_id).first()
    if award is None:
        raise Http404
    return award


def award_letters(*, award: Award) -> QuerySet[Message]:
    """The messages the award sent (dedupe key per award: see meis.proactive.services.letters)."""
    return Message.objects.filter(person_id=award.person_id, dedupe_key=f"award:{award.pk}")
