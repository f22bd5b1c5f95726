"""Applying in the portal (GOV.UK patterns) and the applicant's view of their cases.

The applicant is the signed-in citizen, or — for a call-centre operator — the caller identified
in the operator's open call (channel `call_centre`, the operator recorded as the acting user).
Every apply page first checks that the service takes this application (`apply_required`): one
outside the service's audience gets a page saying who may apply and how; a service not applied
for online (its catalogue `channel`) leads to where it is, never to a 404.
Views only parse, call services and selectors, and render.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from meis.accounts.access import actor_roles, citizen_person, citizen_person_id
from meis.accounts.decorators import citizen_required
from meis.accounts.roles import Role
from meis.accounts.selectors import registration_open_get
from meis.accounts.urls_helpers import sign_in_redirect
from meis.audit.services import client_address_from
from meis.cases import selectors, services
from meis.cases.access import (
    STAFF_CHANNELS,
    Applicant,
    AudienceRefused,
    applicant_for_actor,
    application_audience_check,
    case_get_for_actor,
)
from meis.cases.forms import AnswerForm, CodeForm, ContactForm, UploadForm, VersionForm
from meis.cases.models import ApplicationDraft, Case, CaseStatus, Channel, ContactChannel
from meis.cases.services import drafts
from meis.cases.services.documents import DocumentRefused
from meis.catalog.definitions import CHANNEL_IN_PERSON, ServiceDefinition, text_in
from meis.catalog.forms import application_form_class
from meis.catalog.handlers import HandlerError, handler_resolve
from meis.catalog.models import EServiceVersion
from meis.catalog.selectors import eservice_version_current, version_definition
from meis.centres.selectors import service_centre_list
from meis.core.downloads import file_download
from meis.registry.models import Person

View = Callable[..., HttpResponseBase]


def _version(code: str) -> EServiceVersion:
    """The version a new application is filed under (404 for an unknown or inactive service)."""
    try:
        return eservice_version_current(code=code)
    except EServiceVersion.DoesNotExist:
        raise Http404 from None


def _files_here(definition: ServiceDefinition, channel: str) -> bool:
    """Whether the apply pages file this service: one applied for online; and, for staff on a
    citizen's behalf, one applied for in person that a person decides (the caller of 142)."""
    if definition.is_online:
        return True
    return channel in STAFF_CHANNELS and not definition.is_instant


def _elsewhere(definition: ServiceDefinition) -> HttpResponse:
    """Where a service not applied for here is: the in-person page, or its catalogue page (which
    links the page that issues it)."""
    if definition.channel == CHANNEL_IN_PERSON:
        return redirect("cases:apply_in_person", code=definition.code)
    return redirect("catalog:detail", code=definition.code)


def _own_pages(definition: ServiceDefinition) -> str | None:
    """A service applied for on a register's own pages (its handler names them, as the
    registration with the employment service does): the address typed for the apply pages
    leads there, so no application is filed around the register's checks."""
    try:
        handler = handler_resolve(definition.handler)
    except HandlerError:
        return None
    if getattr(handler, "start_label", "") != "register":
        return None
    return reverse(str(handler.start_url_name))  # type: ignore[attr-defined]


def _refused(
    request: HttpRequest, definition: ServiceDefinition, refused: AudienceRefused
) -> HttpResponse:
    return render(
        request,
        "cases/apply_refused.html",
        {
            "definition": definition,
            "service_name": text_in(definition.name),
            "reason": str(refused),
            "code": definition.code,
        },
        status=403,
    )


def apply_required(view: View) -> View:
    """An apply page: the service exists, the actor may apply for someone, the service takes
    that application here (`application_audience_check`); otherwise a page that says where to
    go or why not — sign-in, the refusal, or where the service is applied for."""

    @wraps(view)
    def wrapper(request: HttpRequest, code: str, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # The version is read once here and handed to the page (with its service), so that the
        # page, its draft and its definition do not read it again.
        version = _version(code)
        definition = version_definition(version)
        applicant = applicant_for_actor(actor=request.user, request=request)
        channel = applicant.channel if applicant else Channel.PORTAL
        if applicant is not None or Role.EMPLOYER in actor_roles(request.user):
            try:
                application_audience_check(
                    definition=definition,
                    channel=channel,
                    actor=request.user,
                    person=applicant.person if applicant else None,
                    request=request,
                )
            except AudienceRefused as refused:
                return _refused(request, definition, refused)
        if not _files_here(definition, channel):
            return _elsewhere(definition)
        own_pages = _own_pages(definition)
        if own_pages is not None:
            return redirect(own_pages)
        if applicant is None:
            return sign_in_redirect(request, staff=False)
        return view(request, applicant, version, *args, **kwargs)

    return wrapper


def _draft(applicant: Applicant, version: EServiceVersion) -> ApplicationDraft:
    return drafts.draft_start(
        person=applicant.person,
        actor=applicant.user,
        version=version,
        channel=applicant.channel,
    )


def _context(applicant: Applicant, draft: ApplicationDraft, **extra: Any) -> dict[str, Any]:
    definition = version_definition(draft.service_version)
    return {
        "applicant": applicant,
        "on_behalf": applicant.channel != Channel.PORTAL,
        "draft": draft,
        "definition": definition,
        "service_name": text_in(definition.name),
        "code": definition.code,
        **extra,
    }


@require_http_methods(["GET", "POST"])
@apply_required
def apply_start(
    request: HttpRequest, applicant: Applicant, version: EServiceVersion
) -> HttpResponse:
    """Start page: what you need, how long it takes; 'Start now' opens (or resumes) the draft."""
    code = version.service.code
    definition = version_definition(version)
    earlier = selectors.earlier_application(person=applicant.person, definition=definition)
    if request.method == "POST" and not earlier.is_refused:
        _draft(applicant, version)
        return redirect("cases:apply_questions", code=code)
    return render(
        request,
        "cases/apply_start.html",
        {
            "definition": definition,
            "service_name": text_in(definition.name),
            "documents": [(text_in(d.name), d) for d in definition.documents],
            "code": code,
            "on_behalf": applicant.channel != Channel.PORTAL,
            "applicant": applicant,
            "earlier": earlier,
        },
    )


@require_http_methods(["GET", "POST"])
@apply_required
def apply_questions(
    request: HttpRequest, applicant: Applicant, version: EServiceVersion
) -> HttpResponse:
    code = version.service.code
    draft = _draft(applicant, version)
    form_class = application_form_class(version_definition(draft.service_version).fields)
    if request.method == "POST":
        answers = {name: request.POST.get(name, "")[:4000] for name in form_class.base_fields}
        form = form_class(data=services.answers_safe(version=draft.service_version, data=answers))
        drafts.draft_answers_save(draft=draft, answers=answers)
        if form.is_valid():
            return redirect("cases:apply_documents", code=code)
    else:
        form = (
            form_class(
                data=services.answers_safe(version=draft.service_version, data=draft.answers)
            )
            if draft.answers
            else form_class()
        )
    return render(request, "cases/apply_questions.html", _context(applicant, draft, form=form))


@require_http_methods(["GET", "POST"])
@apply_required
def apply_documents(
    request: HttpRequest, applicant: Applicant, version: EServiceVersion
) -> HttpResponse:
    code = version.service.code
    draft = _draft(applicant, version)
    errors: dict[str, str] = {}
    if request.method == "POST":
        if "remove" in request.POST:
            drafts.draft_document_remove(draft=draft, public_id=request.POST["remove"][:64])
            return redirect("cases:apply_documents", code=code)
        if "continue" in request.POST:
            missing = services.documents_missing(
                version=draft.service_version, codes=selectors.draft_documents_by_code(draft=draft)
            )
            if not missing:
                return redirect("cases:apply_contact", code=code)
            for d in missing:
                errors[d.code] = _("Upload %(name)s.") % {"name": text_in(d.name)}
        else:
            form = UploadForm(data=request.POST, files=request.FILES)
            document_code = request.POST.get("document", "")[:64]
            if form.is_valid():
                try:
                    drafts.draft_document_add(
                        draft=draft,
                        code=form.cleaned_data["document"],
                        upload=form.cleaned_data["file"],
                        actor=applicant.user,
                    )
                    return redirect("cases:apply_documents", code=code)
                except (DocumentRefused, services.CaseActionError) as error:
                    errors[document_code] = str(error)
            else:
                errors[document_code] = " ".join(str(e) for e in form.errors.get("file", []))
    uploaded = selectors.draft_documents_by_code(draft=draft)
    rows = [
        {
            "definition": d,
            "name": text_in(d.name),
            "files": uploaded.get(d.code, []),
            "error": errors.get(d.code, ""),
        }
        for d in version_definition(draft.service_version).documents
    ]
    return render(
        request, "cases/apply_documents.html", _context(applicant, draft, rows=rows, errors=errors)
    )


def _default_centre(person: Person) -> int | None:
    registration = registration_open_get(person=person, newest=False)
    return registration.centre_id if registration else None


@require_http_methods(["GET", "POST"])
@apply_required
def apply_contact(
    request: HttpRequest, applicant: Applicant, version: EServiceVersion
) -> HttpResponse:
    code = version.service.code
    draft = _draft(applicant, version)
    if request.method == "POST":
        form = ContactForm(data=request.POST)
        if form.is_valid():
            drafts.draft_centre_save(draft=draft, centre_id=form.cleaned_data["centre"].pk)
            try:
                code_sent = drafts.draft_contact_set(
                    draft=draft,
                    channel=form.cleaned_data["channel"],
                    value=form.cleaned_data["value"],
                    address=client_address_from(request) or "",
                )
            except services.CaseActionError as error:
                form.add_error("value", str(error))
            else:
                target = "cases:apply_contact_verify" if code_sent else "cases:apply_check"
                return redirect(target, code=code)
    else:
        form = ContactForm(
            initial={
                "centre": draft.centre_id or _default_centre(applicant.person),
                **_contact_initial(draft, applicant.person),
            }
        )
    return render(
        request,
        "cases/apply_contact.html",
        _context(applicant, draft, form=form, verified_phone=applicant.person.verified_phone),
    )


def _contact_initial(draft: ApplicationDraft, person: Person) -> dict[str, str]:
    """The contact step is the one place an application asks for a phone number: what the
    draft has, or else the person's confirmed mobile number (no code needed for it)."""
    if draft.contact_channel:
        return {"channel": draft.contact_channel, "value": draft.contact_value}
    if person.verified_phone:
        return {"channel": ContactChannel.SMS, "value": person.verified_phone}
    return {"channel": "", "value": ""}


@require_http_methods(["GET", "POST"])
@apply_required
def apply_contact_verify(
    request: HttpRequest, applicant: Applicant, version: EServiceVersion
) -> HttpResponse:
    code = version.service.code
    draft = _draft(applicant, version)
    if not draft.contact_pending:
        return redirect("cases:apply_contact", code=code)
    form = CodeForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            drafts.draft_contact_verify(
                draft=draft, code=form.cleaned_data["code"], actor=applicant.user, request=request
            )
        except services.CaseActionError as error:
            form.add_error("code", str(error))
        else:
            return redirect("cases:apply_check", code=code)
    contact = draft.contact_pending.split(":", 1)[-1]
    return render(
        request, "cases/apply_verify.html", _context(applicant, draft, form=form, contact=contact)
    )


def _named(label: str | None, messages: list[str]) -> str:
    """A line of an error summary: the field's label, then its errors (the form's own alone)."""
    text = " ".join(messages)
    return f"{label}: {text}" if label else text


@require_http_methods(["GET", "POST"])
@apply_required
def apply_check(
    request: HttpRequest, applicant: Applicant, version: EServiceVersion
) -> HttpResponse:
    """Check your answers, then submit (the draft's key makes a double submit one case)."""
    key = request.POST.get("key", "")
    if not key:
        draft = _draft(applicant, version)
    else:
        found = selectors.draft_get_for_applicant(
            key=key, person=applicant.person, user=applicant.user
        )
        if found is None:
            raise Http404
        draft = found
    definition = version_definition(draft.service_version)
    names = {d.code: text_in(d.name) for d in definition.documents}
    form_class = application_form_class(definition.fields)
    # The error summary: where on the page each error is, and "<label>: <error>".
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        try:
            result = drafts.draft_submit(draft=draft, actor=applicant.user, request=request)
        except services.CaseInvalid as invalid:
            labels = {name: str(field.label) for name, field in form_class().fields.items()}
            labels.update(names)
            errors = [
                ("#documents" if name in names else "#answers", _named(labels.get(name), messages))
                for name, messages in invalid.errors.items()
            ]
        except services.CaseActionError as error:
            errors = [("#answers", str(error))]
        else:
            return redirect("cases:confirmation", reference=result.case.reference)
    form = form_class(data=services.answers_safe(version=draft.service_version, data=draft.answers))
    answers = (
        [(field.label, _display(form, name)) for name, field in form.fields.items()]
        if form.is_valid()
        else []
    )
    if not form.is_valid():
        errors.append(
            ("#answers", _("Some answers are missing or wrong. Change them before you submit."))
        )
    return render(
        request,
        "cases/apply_check.html",
        _context(
            applicant,
            draft,
            answers=answers,
            documents=[
                (names.get(d.document_code, d.document_code), d)
                for d in selectors.draft_documents(draft=draft)
            ],
            errors=errors,
        ),
    )


@require_GET
def apply_in_person(request: HttpRequest, code: str) -> HttpResponse:
    """Where to apply for a service in person: the DOST service centres (the signed-in citizen's
    own first) and the 142 call centre, with what is particular to the service. No sign-in."""
    definition = version_definition(_version(code))
    person = citizen_person(request.user)
    registration = registration_open_get(person=person, newest=False) if person else None
    centres = list(service_centre_list())
    own = next((c for c in centres if registration and c.pk == registration.centre_id), None)
    return render(
        request,
        "cases/apply_in_person.html",
        {
            "definition": definition,
            "service_name": text_in(definition.name),
            "note": text_in(definition.channel_note) if definition.channel_note else "",
            "documents": [text_in(d.name) for d in definition.documents],
            "own_centre": own,
            "centres": [c for c in centres if c != own],
            "code": code,
        },
    )


def _display(form: Any, name: str) -> str:
    value = form.cleaned_data.get(name)
    field = form.fields[name]
    if hasattr(field, "choices") and not isinstance(value, bool):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if name.endswith("_qepik") and isinstance(value, int):
        return f"{value / 100:.2f} AZN"
    return "" if value is None else str(value)


def _case(request: HttpRequest, reference: str, purpose: str) -> Case:
    return case_get_for_actor(
        actor=request.user, reference=reference[:32], purpose=purpose, request=request
    )


def signed_in_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return sign_in_redirect(request, staff=False)
        return view(request, *args, **kwargs)

    return wrapper


@signed_in_required
def confirmation(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, "confirmation page")
    return render(
        request,
        "cases/confirmation.html",
        {
            "case": case,
            "service_name": selectors.service_name(case),
            "reading": selectors.case_clock_reading(case),
        },
    )


@citizen_required
def my_applications(request: HttpRequest) -> HttpResponse:
    person = citizen_person(request.user)
    assert person is not None  # noqa: S101 — citizen_required
    cases = list(selectors.case_list_for_citizen(person=person))
    rows = [(case, selectors.service_name(case)) for case in cases]
    return render(request, "cases/my_applications.html", {"rows": rows})


@signed_in_required
@require_http_methods(["GET", "POST"])
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """The applicant's (or operator's) view of a case: status, clock, timeline, answer form."""
    case = _case(request, reference, "case page")
    is_applicant = citizen_person_id(request.user) is not None
    answer_form = AnswerForm(initial={"version": case.version})
    error = ""
    if request.method == "POST" and is_applicant:
        answer_form = AnswerForm(data=request.POST, files=request.FILES)
        if answer_form.is_valid():
            upload = answer_form.cleaned_data.get("file")
            try:
                services.case_answer(
                    case=case,
                    actor=request.user,
                    text=answer_form.cleaned_data["text"],
                    files=[upload] if upload else [],
                    expected_version=answer_form.cleaned_data["version"],
                    request=request,
                )
                return redirect("cases:case_detail", reference=case.reference)
            except (services.CaseActionError, DocumentRefused) as failure:
                answer_form.add_error("text", str(failure))
    requests = selectors.case_information_requests(case)
    documents = list(selectors.case_documents(case))
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "service_name": selectors.service_name(case),
            "reading": selectors.case_clock_reading(
                case, suspensions=selectors.case_suspensions(case, requests)
            ),
            "answers": selectors.answers_display(case),
            "documents": documents,
            "timeline": selectors.case_timeline(
                case, for_staff=not is_applicant, documents=documents
            ),
            "open_request": selectors.open_information_request(case, requests),
            "answer_form": answer_form,
            "is_applicant": is_applicant,
            "decision_text": services.decision_text(case)
            if case.status in (CaseStatus.APPROVED, CaseStatus.REJECTED)
            else "",
            "error": error,
        },
    )


@signed_in_required
@require_http_methods(["GET", "POST"])
def case_withdraw_confirm(request: HttpRequest, reference: str) -> HttpResponse:
    """Ask "Are you sure?" before the applicant withdraws: GET says what withdrawing does, POST
    (CSRF token and the case version the page showed) withdraws. Someone other than the
    applicant, or a case no longer open, is taken back to the case page."""
    case = _case(request, reference, "withdrawal page")
    if citizen_person_id(request.user) is None or not case.is_open:
        return redirect("cases:case_detail", reference=case.reference)
    error = ""
    if request.method == "POST":
        form = VersionForm(data=request.POST)
        if form.is_valid():
            try:
                services.case_withdraw(
                    case=case,
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                    request=request,
                )
                return redirect("cases:case_detail", reference=case.reference)
            except services.CaseActionError as failure:
                error = str(failure)
                case.refresh_from_db()
        else:
            error = _("The page was out of date. Check the application and try again.")
    return render(
        request,
        "cases/withdraw_confirm.html",
        {"case": case, "service_name": selectors.service_name(case), "error": error},
    )


@signed_in_required
def document_download(request: HttpRequest, public_id: str) -> HttpResponseBase:
    """A document, only after the access funnel granted its case (never a guessable URL)."""
    document = selectors.case_document_get(public_id=public_id)
    if document is None or document.case is None:
        raise Http404
    _case(request, document.case.reference, f"document {document.public_id}")
    return file_download(
        default_storage.open(document.storage_name, "rb"),
        name=document.original_name,
        content_type=document.content_type,
    )


def apply_url(code: str) -> str:
    return reverse("cases:apply", kwargs={"code": code})
