"""Answers and documents of an application: validated by the service version's form and rules."""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.translation import gettext as _

from meis.cases.models import ApplicationDraft, Case, CaseDocument, InformationRequest
from meis.cases.services import documents as docs
from meis.cases.services.common import Actor
from meis.cases.services.errors import CaseActionError, CaseInvalid
from meis.catalog.definitions import DocumentDefinition
from meis.catalog.forms import application_form_class
from meis.catalog.models import EServiceVersion
from meis.catalog.selectors import version_definition

_MONEY_TEXT = re.compile(r"^\s*-?[\d ]{1,15}(?:[.,]\d{1,6})?\s*$")


def answers_safe(*, version: EServiceVersion, data: Mapping[str, Any]) -> dict[str, Any]:
    """The raw answers with any money text the form's Decimal parser would choke on (1e9999)
    replaced by a plain invalid value, so the field shows its usual error instead of a 500."""
    safe = {key: data.get(key) for key in data}
    for field in version_definition(version).fields:
        value = safe.get(field.name)
        is_money_text = field.type == "money" and isinstance(value, str) and value.strip()
        if is_money_text and not _MONEY_TEXT.match(str(value)):
            safe[field.name] = "?"
    return safe


def answers_clean(*, version: EServiceVersion, data: Mapping[str, Any]) -> dict[str, Any]:
    """The answers validated by the version's form, as JSON values; CaseInvalid otherwise."""
    form = application_form_class(version_definition(version).fields)(
        data=answers_safe(version=version, data=data)
    )
    if not form.is_valid():
        raise CaseInvalid({name: [str(e) for e in errors] for name, errors in form.errors.items()})
    encoded: dict[str, Any] = json.loads(json.dumps(form.cleaned_data, cls=DjangoJSONEncoder))
    return encoded


def document_definition(version: EServiceVersion, code: str) -> DocumentDefinition:
    for definition in version_definition(version).documents:
        if definition.code == code:
            return definition
    raise CaseActionError(_("This service does not take that document."))


def documents_missing(
    *, version: EServiceVersion, codes: Collection[str]
) -> list[DocumentDefinition]:
    """The documents the service requires that none of `codes` provides, in the service's order."""
    return [d for d in version_definition(version).documents if d.required and d.code not in codes]


def document_save(
    *,
    upload: UploadedFile,
    definition: DocumentDefinition,
    actor: Actor,
    draft: ApplicationDraft | None = None,
    case: Case | None = None,
    information_request: InformationRequest | None = None,
) -> CaseDocument:
    """Check, scan and store one upload and write its row (raises DocumentRefused)."""
    checked = docs.document_check(upload=upload, definition=definition)
    stored = docs.document_store(checked=checked)
    try:
        with transaction.atomic():
            return CaseDocument.objects.create(
                draft=draft,
                case=case,
                information_request=information_request,
                document_code=definition.code,
                original_name=(upload.name or "document")[-255:],
                content_type=stored.content_type,
                size=stored.size,
                sha256=stored.sha256,
                storage_name=stored.storage_name,
                scan_result=stored.scan_result,
                uploaded_by=actor if isinstance(actor, User) else None,
            )
    except Exception:
        docs.stored_files_delete([stored.storage_name])
        raise
