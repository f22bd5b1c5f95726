"""Admin for the registry (its tables, opened only through the access funnel).

The tables hold a whole country (10 million people), so the admin never runs an unbounded
query: searches take an identifier (FİN, document number, VÖEN, household number), normalise it
through `meis.core.identifiers` and hit a unique index; anything else finds nothing and says what
to type. Change lists order by primary key and skip the full count.

Every page that shows people's data is a read of it through the access funnel
(`meis.accounts.admin_reads`): a record opened through `person_get_for_actor` (which decides and
audits), a change list as a read of each person listed on the page (one insert per page).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from meis.accounts.access import PersonNotFound, person_get_for_actor
from meis.accounts.admin_reads import PersonReadsAdmin
from meis.core.identifiers import (
    InvalidIdentifier,
    normalize_document_number,
    normalize_fin,
    normalize_voen,
)
from meis.registry.models import (
    Employer,
    Household,
    HouseholdMembership,
    IdentityDocument,
    Person,
)

M = TypeVar("M", bound=Model)
T = TypeVar("T")


def _parse(normalize: Callable[[object], T], term: str) -> T | None:
    try:
        return normalize(term)
    except InvalidIdentifier:
        return None


# Past this many rows the change list stops counting (a full COUNT(*) of 10 million people takes
# seconds); the last page then shows the first MAX_COUNTED rows in the current order.
MAX_COUNTED = 10_000


class BoundedCountPaginator(Paginator[Model]):
    """Counts at most MAX_COUNTED + 1 rows: `SELECT count(*) FROM (… LIMIT n)`."""

    @cached_property
    def count(self) -> int:
        object_list = self.object_list
        if isinstance(object_list, QuerySet):
            return int(object_list[: MAX_COUNTED + 1].count())
        return len(object_list)


class IdentifierSearchAdmin(PersonReadsAdmin[M]):
    """A ModelAdmin whose search box takes identifiers only (see the module docstring)."""

    search_help_text_unmatched = _("Search by an identifier.")
    show_full_result_count = False
    paginator = BoundedCountPaginator
    list_per_page = 50
    ordering = ("-id",)

    def get_search_fields(self, request: HttpRequest) -> list[str]:
        # A non-empty tuple makes Django show the search box; the look-up itself is ours.
        return ["_identifier"]

    def search_by_identifier(self, queryset: QuerySet[M], term: str) -> QuerySet[M] | None:
        raise NotImplementedError

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[M], search_term: str
    ) -> tuple[QuerySet[M], bool]:
        term = search_term.strip()
        if not term:
            return queryset, False
        found = self.search_by_identifier(queryset, term)
        if found is None:
            self.message_user(request, self.search_help_text_unmatched, messages.WARNING)
            return queryset.none(), False
        return found, False


class IdentityDocumentInline(admin.TabularInline[IdentityDocument, Person]):
    model = IdentityDocument
    extra = 0
    fields = ("generation", "number", "issued_on", "expires_on", "status")
    ordering = ("-issued_on",)


class PersonMembershipInline(admin.TabularInline[HouseholdMembership, Person]):
    model = HouseholdMembership
    extra = 0
    fields = ("household", "relation", "joined_on", "left_on")
    raw_id_fields = ("household",)


@admin.register(Person)
class PersonAdmin(IdentifierSearchAdmin[Person]):
    list_display = ("fin", "last_name", "first_name", "patronymic", "birth_on", "sex", "region")
    list_filter = ("sex", "region", "preferred_language", ("died_on", admin.EmptyFieldListFilter))
    search_help_text = _("Enter a FİN (7 characters) or an identity-document number.")
    search_help_text_unmatched = _(
        "Nothing was searched: enter a FİN (7 characters, e.g. 5VBK5VR) or an identity-document "
        "number (AZE and 8 digits, or AA and 7 digits)."
    )
    readonly_fields = ("created_at", "updated_at")
    inlines = (IdentityDocumentInline, PersonMembershipInline)
    fieldsets = (
        (None, {"fields": ("fin", ("last_name", "first_name", "patronymic"), "sex")}),
        (_("Life events"), {"fields": ("birth_on", "died_on")}),
        (_("Address"), {"fields": ("region", "address")}),
        (
            _("Contact"),
            {"fields": ("verified_phone", "verified_email", "preferred_language")},
        ),
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """Opening a record goes through the access funnel, which decides and audits; a person
        the funnel refuses, or none, is a 404 alike."""
        try:
            person_get_for_actor(
                actor=request.user,
                person_id=int(unquote(object_id)),
                purpose="admin",
                request=request,
            )
        except (PersonNotFound, ValueError):
            raise Http404 from None
        return admin.ModelAdmin.change_view(self, request, object_id, form_url, extra_context)

    def persons_shown(self, objs: list[Person]) -> list[tuple[int | None, Person]]:
        return [(person.pk, person) for person in objs]

    def search_by_identifier(
        self, queryset: QuerySet[Person], term: str
    ) -> QuerySet[Person] | None:
        if fin := _parse(normalize_fin, term):
            return queryset.filter(fin=fin)
        if document := _parse(normalize_document_number, term):
            return queryset.filter(documents__number=document.number)
        return None


@admin.register(IdentityDocument)
class IdentityDocumentAdmin(IdentifierSearchAdmin[IdentityDocument]):
    list_display = ("number", "generation", "person", "issued_on", "expires_on", "status")
    list_filter = ("generation", "status")
    list_select_related = ("person",)
    raw_id_fields = ("person",)
    readonly_fields = ("created_at", "updated_at")
    search_help_text = _("Enter a document number or the holder's FİN.")
    search_help_text_unmatched = _(
        "Nothing was searched: enter a document number (AZE and 8 digits, or AA and 7 digits) "
        "or the holder's FİN."
    )

    def persons_shown(
        self, objs: list[IdentityDocument]
    ) -> list[tuple[int | None, IdentityDocument]]:
        return [(document.person_id, document) for document in objs]

    def search_by_identifier(
        self, queryset: QuerySet[IdentityDocument], term: str
    ) -> QuerySet[IdentityDocument] | None:
        if fin := _parse(normalize_fin, term):
            return queryset.filter(person__fin=fin)
        if document := _parse(normalize_document_number, term):
            return queryset.filter(number=document.number)
        return None


class HouseholdMembershipInline(admin.TabularInline[HouseholdMembership, Household]):
    model = HouseholdMembership
    extra = 0
    fields = ("person", "relation", "joined_on", "left_on")
    raw_id_fields = ("person",)


HOUSEHOLD_ID_MAX_LENGTH = 16


@admin.register(Household)
class HouseholdAdmin(IdentifierSearchAdmin[Household]):
    list_display = ("registry_id", "region", "address")
    list_filter = ("region",)
    readonly_fields = ("created_at", "updated_at")
    inlines = (HouseholdMembershipInline,)
    search_help_text = _("Enter a household number or a member's FİN.")
    search_help_text_unmatched = _(
        "Nothing was searched: enter a household number or the FİN of one of its members."
    )

    def persons_shown(self, objs: list[Household]) -> list[tuple[int | None, Household]]:
        """Every member, past and present: the page shows the household's address and
        members (one query for the whole page)."""
        households = {household.pk: household for household in objs}
        memberships = HouseholdMembership.objects.filter(household_id__in=households)
        return [
            (person_id, households[household_id])
            for household_id, person_id in memberships.values_list("household_id", "person_id")
        ]

    def search_by_identifier(
        self, queryset: QuerySet[Household], term: str
    ) -> QuerySet[Household] | None:
        if fin := _parse(normalize_fin, term):
            return queryset.filter(memberships__person__fin=fin).distinct()
        registry_id = term.upper()
        if len(registry_id) <= HOUSEHOLD_ID_MAX_LENGTH:
            return queryset.filter(registry_id=registry_id)
        return None


@admin.register(HouseholdMembership)
class HouseholdMembershipAdmin(IdentifierSearchAdmin[HouseholdMembership]):
    list_display = ("household", "person", "relation", "joined_on", "left_on")
    list_filter = ("relation", ("left_on", admin.EmptyFieldListFilter))
    list_select_related = ("household", "person")
    raw_id_fields = ("household", "person")
    search_help_text = _("Enter a member's FİN.")
    search_help_text_unmatched = _("Nothing was searched: enter the FİN of a member.")

    def persons_shown(
        self, objs: list[HouseholdMembership]
    ) -> list[tuple[int | None, HouseholdMembership]]:
        return [(membership.person_id, membership) for membership in objs]

    def search_by_identifier(
        self, queryset: QuerySet[HouseholdMembership], term: str
    ) -> QuerySet[HouseholdMembership] | None:
        if fin := _parse(normalize_fin, term):
            return queryset.filter(person__fin=fin)
        return None


@admin.register(Employer)
class EmployerAdmin(IdentifierSearchAdmin[Employer]):
    list_display = ("voen", "name", "legal_form", "region")
    list_filter = ("legal_form", "region")
    readonly_fields = ("created_at", "updated_at")
    search_help_text = _("Enter a VÖEN (10 digits).")
    search_help_text_unmatched = _("Nothing was searched: enter a VÖEN (10 digits).")

    def search_by_identifier(
        self, queryset: QuerySet[Employer], term: str
    ) -> QuerySet[Employer] | None:
        if voen := _parse(normalize_voen, term):
            return queryset.filter(voen=voen)
        return None
