"""A service definition as data: what the catalogue YAML, the admin and a frozen version hold.

`service_definition_parse` turns a plain dict (from YAML or JSON) into a checked
`ServiceDefinition`, or raises `DefinitionError` naming the first problem and where it is;
`ServiceDefinition.as_dict()` gives the canonical dict back (same keys, same order, defaults
filled in), which is what versions store and `meis catalog export` writes.

`channel` says how a person applies, so that the catalogue never offers a start that leads
nowhere: `online` (the portal's apply pages file a case), `certificate` (issued at once on the
E-Arayış page), `in_person` (at a DOST service centre or through the 142 call centre: the service
needs a visit, or its automation is not built). `channel_note` adds what is particular to the
service (where exactly, what to bring).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language

from meis.catalog.subsystems import SUBSYSTEMS

LANGUAGES = ("az", "en", "ru")
SUBSYSTEM_CODES = tuple(subsystem.slug for subsystem in SUBSYSTEMS)
FIELD_TYPES = (
    "text",
    "integer",
    "money",
    "date",
    "choice",
    "boolean",
    "phone",
    "email",
    "fin",
    "document_number",
    "voen",
    "iban",
)
CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
MAX_DEADLINE_WORKING_DAYS = 90
CHANNEL_ONLINE = "online"
CHANNEL_CERTIFICATE = "certificate"
CHANNEL_IN_PERSON = "in_person"
CHANNELS = (CHANNEL_ONLINE, CHANNEL_CERTIFICATE, CHANNEL_IN_PERSON)
# Whose open application stops a second one for the same service (`one_at_a_time`): the
# applicant's own, or any of their household's (a benefit assigned to the family, like ÜDSY).
ONE_AT_A_TIME_PERSON = "person"
ONE_AT_A_TIME_HOUSEHOLD = "household"
ONE_AT_A_TIME = (ONE_AT_A_TIME_PERSON, ONE_AT_A_TIME_HOUSEHOLD)
_CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class DefinitionError(ValueError):
    """A catalogue definition that cannot be used; the message says what and where."""


Text = dict[str, str]


def text_in(text: Mapping[str, str], language: str | None = None) -> str:
    """A translated text in the given (default: active) language, falling back to Azerbaijani."""
    code = (language or get_language() or "az")[:2]
    return text.get(code) or text.get("az", "")


def text_parse(raw: Any, where: str, *, required: bool = True) -> Text:
    if raw is None and not required:
        return {}
    if not isinstance(raw, Mapping):
        raise DefinitionError(f"{where}: give the text in az, en and ru")
    missing = [code for code in LANGUAGES if not str(raw.get(code) or "").strip()]
    if missing:
        raise DefinitionError(f"{where}: missing text in {', '.join(missing)}")
    extra = sorted(set(raw) - set(LANGUAGES))
    if extra:
        raise DefinitionError(f"{where}: unknown language(s) {', '.join(extra)}")
    return {code: str(raw[code]).strip() for code in LANGUAGES}


def _keys(raw: Any, where: str, allowed: tuple[str, ...], required: tuple[str, ...]) -> None:
    if not isinstance(raw, Mapping):
        raise DefinitionError(f"{where}: expected a mapping")
    unknown = sorted(set(raw) - set(allowed))
    if unknown:
        raise DefinitionError(f"{where}: unknown key(s) {', '.join(unknown)}")
    missing = [key for key in required if key not in raw]
    if missing:
        raise DefinitionError(f"{where}: missing key(s) {', '.join(missing)}")


def _whole(raw: Any, where: str, *, minimum: int = 0, maximum: int | None = None) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise DefinitionError(f"{where}: expected a whole number")
    if raw < minimum or (maximum is not None and raw > maximum):
        upper = "" if maximum is None else f" and at most {maximum}"
        raise DefinitionError(f"{where}: must be at least {minimum}{upper}")
    return int(raw)


def _flag(raw: Any, where: str) -> bool:
    if not isinstance(raw, bool):
        raise DefinitionError(f"{where}: expected true or false")
    return raw


@dataclass(frozen=True)
class Choice:
    value: str
    label: Text

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "label": dict(self.label)}


@dataclass(frozen=True)
class FieldDefinition:
    """One question of the application form; money limits are in qəpik."""

    name: str
    type: str
    label: Text
    required: bool = True
    help: Text = field(default_factory=dict)
    choices: tuple[Choice, ...] = ()
    min: int | None = None
    max: int | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "required": self.required,
            "label": dict(self.label),
        }
        if self.help:
            data["help"] = dict(self.help)
        if self.choices:
            data["choices"] = [choice.as_dict() for choice in self.choices]
        if self.min is not None:
            data["min"] = self.min
        if self.max is not None:
            data["max"] = self.max
        return data


@dataclass(frozen=True)
class DocumentDefinition:
    """A document the applicant uploads: which file types, how large, how many."""

    code: str
    name: Text
    required: bool
    content_types: tuple[str, ...]
    max_size_kb: int
    max_count: int

    @property
    def mime_types(self) -> tuple[str, ...]:
        return tuple(CONTENT_TYPES[short] for short in self.content_types)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": dict(self.name),
            "required": self.required,
            "content_types": list(self.content_types),
            "max_size_kb": self.max_size_kb,
            "max_count": self.max_count,
        }


@dataclass(frozen=True)
class ServiceDefinition:
    code: str
    subsystem: str
    name: Text
    description: Text
    handler: str
    life_situations: tuple[str, ...] = ()
    for_citizens: bool = True
    for_employers: bool = False
    for_staff_on_behalf: bool = True
    is_instant: bool = False
    decision_working_days: int | None = None
    legal_basis: str = ""
    is_active: bool = True
    fields: tuple[FieldDefinition, ...] = ()
    documents: tuple[DocumentDefinition, ...] = ()
    channel: str = CHANNEL_ONLINE
    channel_note: Text = field(default_factory=dict)
    # "" (a second application is only warned about), or whose open one refuses it.
    one_at_a_time: str = ""

    @property
    def is_online(self) -> bool:
        """The portal's apply pages file it as a case."""
        return self.channel == CHANNEL_ONLINE

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "subsystem": self.subsystem,
            "name": dict(self.name),
            "description": dict(self.description),
            "life_situations": list(self.life_situations),
            "audience": {
                "citizen": self.for_citizens,
                "employer": self.for_employers,
                "staff_on_behalf": self.for_staff_on_behalf,
            },
            "is_instant": self.is_instant,
            "decision_working_days": self.decision_working_days,
            "legal_basis": self.legal_basis,
            "handler": self.handler,
            "is_active": self.is_active,
            "fields": [f.as_dict() for f in self.fields],
            "documents": [d.as_dict() for d in self.documents],
            "channel": self.channel,
        }
        if self.channel_note:
            data["channel_note"] = dict(self.channel_note)
        if self.one_at_a_time:
            data["one_at_a_time"] = self.one_at_a_time
        return data


_FIELD_KEYS = ("name", "type", "required", "label", "help", "choices", "min", "max")


def field_definition_parse(raw: Any, where: str) -> FieldDefinition:
    _keys(raw, where, _FIELD_KEYS, ("name", "type", "label"))
    name = raw["name"]
    if not isinstance(name, str) or not _FIELD_NAME.match(name):
        raise DefinitionError(f"{where}: name must be lower_case_with_underscores")
    where = f"{where} ({name})"
    if raw["type"] not in FIELD_TYPES:
        raise DefinitionError(f"{where}: type must be one of {', '.join(FIELD_TYPES)}")
    choices = tuple(
        Choice(value=str(c.get("value", "")), label=text_parse(c.get("label"), f"{where} choice"))
        for c in raw.get("choices") or ()
        if isinstance(c, Mapping)
    )
    if (raw["type"] == "choice") != bool(choices):
        raise DefinitionError(f"{where}: choices are given for, and only for, a choice field")
    limits = {
        k: _whole(raw[k], f"{where} {k}", minimum=-(10**12))
        for k in ("min", "max")
        if raw.get(k) is not None
    }
    if "min" in limits and "max" in limits and limits["min"] > limits["max"]:
        raise DefinitionError(f"{where}: min is greater than max")
    return FieldDefinition(
        name=name,
        type=raw["type"],
        label=text_parse(raw["label"], f"{where} label"),
        required=_flag(raw.get("required", True), f"{where} required"),
        help=text_parse(raw.get("help"), f"{where} help", required=False),
        choices=choices,
        min=limits.get("min"),
        max=limits.get("max"),
    )


_DOCUMENT_KEYS = ("code", "name", "required", "content_types", "max_size_kb", "max_count")


def document_definition_parse(raw: Any, where: str) -> DocumentDefinition:
    _keys(raw, where, _DOCUMENT_KEYS, ("code", "name", "content_types"))
    code = raw["code"]
    if not isinstance(code, str) or not _FIELD_NAME.match(code):
        raise DefinitionError(f"{where}: code must be lower_case_with_underscores")
    where = f"{where} ({code})"
    types = raw["content_types"]
    if not isinstance(types, list) or not types or set(types) - set(CONTENT_TYPES):
        raise DefinitionError(f"{where}: content_types is a list of {', '.join(CONTENT_TYPES)}")
    return DocumentDefinition(
        code=code,
        name=text_parse(raw["name"], f"{where} name"),
        required=_flag(raw.get("required", True), f"{where} required"),
        content_types=tuple(types),
        max_size_kb=_whole(raw.get("max_size_kb", 5120), f"{where} max_size_kb", minimum=1),
        max_count=_whole(raw.get("max_count", 1), f"{where} max_count", minimum=1, maximum=20),
    )


_SERVICE_KEYS = (
    "code",
    "subsystem",
    "name",
    "description",
    "life_situations",
    "audience",
    "is_instant",
    "decision_working_days",
    "legal_basis",
    "handler",
    "is_active",
    "fields",
    "documents",
    "channel",
    "channel_note",
    "one_at_a_time",
)


def _unique(names: list[str], where: str, what: str) -> None:
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise DefinitionError(f"{where}: {what} used twice: {', '.join(duplicates)}")


def _deadline(raw: Mapping[str, Any], is_instant: bool, where: str) -> int | None:
    days = raw.get("decision_working_days")
    if is_instant:
        if days is not None:
            raise DefinitionError(f"{where}: an instant service has no decision deadline")
        return None
    if days is None:
        raise DefinitionError(f"{where}: decision_working_days is required unless is_instant")
    return _whole(
        days, f"{where} decision_working_days", minimum=1, maximum=MAX_DEADLINE_WORKING_DAYS
    )


def _channel(raw: Mapping[str, Any], is_instant: bool, where: str) -> str:
    """How a person applies; by default online, or in person for an instant service (the apply
    pages file cases with a deadline; an instant one is served by a page of its own)."""
    channel = raw.get("channel")
    if channel is None:
        return CHANNEL_IN_PERSON if is_instant else CHANNEL_ONLINE
    if channel not in CHANNELS:
        raise DefinitionError(f"{where}: channel must be one of {', '.join(CHANNELS)}")
    if channel == CHANNEL_ONLINE and is_instant:
        raise DefinitionError(
            f"{where}: an instant service is not applied for online through the apply pages;"
            f" give it channel {CHANNEL_CERTIFICATE} or {CHANNEL_IN_PERSON}"
        )
    if channel == CHANNEL_CERTIFICATE and not is_instant:
        raise DefinitionError(f"{where}: a certificate is issued at once: set is_instant: true")
    return str(channel)


def service_definition_parse(raw: Any, where: str = "service") -> ServiceDefinition:
    """Check a service dict; `where` prefixes error messages (e.g. 'services[3]')."""
    _keys(raw, where, _SERVICE_KEYS, ("code", "subsystem", "name", "description", "handler"))
    code = raw["code"]
    if not isinstance(code, str) or not _CODE.match(code) or len(code) > 64:
        raise DefinitionError(f"{where}: code must be lower-case-with-hyphens (at most 64)")
    where = f"{where} ({code})"
    if raw["subsystem"] not in SUBSYSTEM_CODES:
        raise DefinitionError(f"{where}: subsystem must be one of {', '.join(SUBSYSTEM_CODES)}")
    audience = raw.get("audience") or {}
    _keys(audience, f"{where} audience", ("citizen", "employer", "staff_on_behalf"), ())
    is_instant = _flag(raw.get("is_instant", False), f"{where} is_instant")
    fields = tuple(
        field_definition_parse(f, f"{where} fields[{i}]")
        for i, f in enumerate(raw.get("fields") or [])
    )
    documents = tuple(
        document_definition_parse(d, f"{where} documents[{i}]")
        for i, d in enumerate(raw.get("documents") or [])
    )
    _unique([f.name for f in fields], where, "field name")
    _unique([d.code for d in documents], where, "document code")
    situations = raw.get("life_situations") or []
    if not isinstance(situations, list) or not all(isinstance(s, str) for s in situations):
        raise DefinitionError(f"{where}: life_situations is a list of codes")
    handler = raw["handler"]
    if not isinstance(handler, str):
        raise DefinitionError(f"{where}: handler is a dotted path")
    return ServiceDefinition(
        code=code,
        subsystem=raw["subsystem"],
        name=text_parse(raw["name"], f"{where} name"),
        description=text_parse(raw["description"], f"{where} description"),
        handler=handler,
        life_situations=tuple(sorted(set(situations))),
        for_citizens=_flag(audience.get("citizen", True), f"{where} audience.citizen"),
        for_employers=_flag(audience.get("employer", False), f"{where} audience.employer"),
        for_staff_on_behalf=_flag(
            audience.get("staff_on_behalf", True), f"{where} audience.staff_on_behalf"
        ),
        is_instant=is_instant,
        decision_working_days=_deadline(raw, is_instant, where),
        legal_basis=str(raw.get("legal_basis") or ""),
        is_active=_flag(raw.get("is_active", True), f"{where} is_active"),
        fields=fields,
        documents=documents,
        channel=_channel(raw, is_instant, where),
        channel_note=text_parse(raw.get("channel_note"), f"{where} channel_note", required=False),
        one_at_a_time=_one_at_a_time(raw, where),
    )


def _one_at_a_time(raw: Mapping[str, Any], where: str) -> str:
    value = raw.get("one_at_a_time") or ""
    if value and value not in ONE_AT_A_TIME:
        raise DefinitionError(f"{where}: one_at_a_time must be one of {', '.join(ONE_AT_A_TIME)}")
    return str(value)
