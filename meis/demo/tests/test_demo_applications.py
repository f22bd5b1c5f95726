"""`meis demo load` applies for every rules-backed service as a citizen would, and decides."""

import datetime
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command

from meis.appointments.models import Pickup
from meis.awards.models import Award, AwardOrigin
from meis.cases.decision_selectors import appeal_window, decision_taken
from meis.cases.models import Case, CaseDecision, CaseDocument, CaseStatus, Channel
from meis.cases.services.awarding import award_kind
from meis.catalog.handlers import RulesHandler, handler_resolve
from meis.catalog.models import EService
from meis.catalog.selectors import eservice_version_current, version_definition
from meis.demo import people
from meis.notifications.models import Message
from meis.usage.models import UsageDaily

pytestmark = pytest.mark.django_db

# The smallest demo registry in which someone qualifies for every rules-backed service.
PEOPLE = 300
ON = datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC)
# Granting it on an application is refused by the case engine today: the award goes to the
# applying parent, whose age is past the child's age limit (the proactive run grants it to the
# child). The demo says so and files nothing; once the engine grants it, the test wants it.
REFUSED_BY_THE_ENGINE: set[str] = set()  # every rules-backed service is granted on application


@pytest.fixture
def demo(settings, monkeypatch, tmp_path):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(people, "DEMO_PEOPLE", PEOPLE)
    with time_machine.travel(ON):
        yield tmp_path / "media"


def load(capsys) -> str:
    call_command("demo", "load")
    out: str = capsys.readouterr().out
    return out


def printed(out: str) -> dict[str, list[str]]:
    """The applications the command lists after the demo citizens: reference → its columns."""
    # The section ends at the blank line before the next one (the demo API clients).
    section = out.split("Demo citizens' applications")[1].strip().split("\n\n")[0].splitlines()[2:]
    rows = [line.split() for line in section if not line.strip().startswith("skipped")]
    return {row[0]: row[1:] for row in rows}


def rules_services() -> dict[str, str]:
    """Each active service whose handler is a rules scheme → the award kind it grants."""
    kinds = {}
    for service in EService.objects.filter(is_active=True):
        version = eservice_version_current(code=service.code)
        handler = handler_resolve(version_definition(version).handler)
        if isinstance(handler, RulesHandler):
            kinds[service.code] = award_kind(scheme=handler.scheme, service_code=service.code)
    return kinds


def test_demo_load_grants_an_award_on_an_application_for_each_rules_backed_service(demo, capsys):
    out = load(capsys)

    services = rules_services()
    assert len(services) == 10
    for code, kind in services.items():
        awards = Award.objects.filter(kind=kind, origin=AwardOrigin.CASE_DECISION)
        if code in REFUSED_BY_THE_ENGINE and not awards.exists():
            assert f"skipped {code}: the case engine refuses the decision" in out
            continue
        award = awards.get()
        case = Case.objects.get(reference=award.origin_reference)
        assert case.status == CaseStatus.APPROVED
        assert version_definition(case.service_version).code == code
        assert case.channel == Channel.PORTAL
        assert case.acting_user is not None
        assert case.acting_user.username == f"citizen-{case.person.fin}"  # the citizen applied
        decision = decision_taken(case)
        assert decision is not None
        assert decision.award == award
        # The award is the applicant's, or for a disabled child's benefit the child's.
        if code == "disabled-child-benefit":
            assert award.person.fin == case.answers["child_fin"]
        else:
            assert award.person == case.person
        assert Message.objects.filter(case_reference=case.reference, event="case_award").exists()
        assert printed(out)[case.reference][0] == code


def test_demo_load_leaves_a_refused_pension_application_to_appeal(demo, capsys):
    out = load(capsys)

    refused = Case.objects.get(status=CaseStatus.REJECTED)
    assert version_definition(refused.service_version).code == "old-age-pension"
    assert refused.decision_reason == "conditions_not_met"
    assert not Award.objects.filter(person=refused.person, kind="old_age_pension").exists()
    letter = Message.objects.filter(case_reference=refused.reference, event="case_refusal")
    assert letter.exists()
    assert appeal_window(refused).is_open
    service, fin, _document, outcome = printed(out)[refused.reference]
    assert (service, fin, outcome) == ("old-age-pension", refused.person.fin, "rejected")


def test_the_applications_are_printed_after_the_demo_citizens(demo, capsys):
    out = load(capsys)

    assert out.index("Demo citizens' applications") > out.index("Demo citizens (sign in")
    cases = Case.objects.filter(idempotency_key__startswith="demo-application:")
    # One for each service the engine grants on an application, and the refusal.
    expected = len(rules_services()) - len(REFUSED_BY_THE_ENGINE) + 1
    assert len(printed(out)) == cases.count() >= expected
    for case in cases.select_related("person"):
        service, fin, document, outcome = printed(out)[case.reference]
        assert (service, fin, outcome) == (
            version_definition(case.service_version).code,
            case.person.fin,
            case.status,
        )
        assert case.person.documents.filter(number=document).exists()


def snapshot(media: Path):
    return (
        sorted(Case.objects.values_list("reference", "status", "version")),
        sorted(Award.objects.values_list("pk", "kind", "status", "origin")),
        CaseDecision.objects.count(),
        CaseDocument.objects.count(),
        Message.objects.count(),
        sorted(str(path) for path in media.rglob("*") if path.is_file()),
    )


def test_a_second_demo_load_files_and_decides_nothing(demo, capsys):
    first_out = load(capsys)
    first = snapshot(demo)
    second_out = load(capsys)

    assert snapshot(demo) == first
    assert "(0 filed now;" in second_out
    assert "(0 filed now;" not in first_out


def test_the_demo_pensioner_has_a_pension_certificate_to_collect_and_the_statistics_count(
    demo, capsys
):
    out = load(capsys)

    approved = Case.objects.get(
        idempotency_key__startswith="demo-application:old-age-pension:approve"
    )
    pickup = Pickup.objects.get(case=approved)
    assert pickup.person == approved.person
    assert pickup.handed_over_at is None
    assert Message.objects.filter(person=approved.person, event="pickup_ready").exists()
    assert "Usage statistics:" in out
    assert UsageDaily.objects.filter(kind="application").exists()
