"""The admin's pages that show people's data, read through the access funnel (issue 22).

A ModelAdmin that shows people's data derives from `PersonReadsAdmin` and says whose data each
object shows (`persons_shown`). Then a change-list page is a read of each listed person's data,
recorded in one insert per page, and opening an object is a read through
`person_get_for_actor` (which decides and audits; a refusal is a 404) — or, for an object that
shows several people (a household), a read of each. Each shows in that person's "who looked at
my data"."""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse

from meis.accounts.access import PersonNotFound, person_get_for_actor, persons_listed_for_actor

M = TypeVar("M", bound=Model)


class PersonReadsAdmin(admin.ModelAdmin[M]):
    # The purpose recorded: "<read_purpose>" for an object, "… list" / "… search" for a page.
    read_purpose = "admin"

    def persons_shown(self, objs: list[M]) -> list[tuple[int | None, M]]:
        """Whose data each object shows, as (person id, object) pairs; none by default."""
        return []

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            kind = "search" if changelist.query else "list"
            persons_listed_for_actor(
                actor=request.user,
                listed=self.persons_shown(list(changelist.result_list)),
                purpose=f"{self.read_purpose} {kind}",
                request=request,
            )
        return response

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        shown = [(pk, o) for pk, o in self.persons_shown([obj]) if pk is not None] if obj else []
        if len(shown) == 1:
            try:
                person_get_for_actor(
                    actor=request.user,
                    person_id=shown[0][0],
                    purpose=self.read_purpose,
                    request=request,
                )
            except PersonNotFound:
                raise Http404 from None
        elif shown:
            persons_listed_for_actor(
                actor=request.user, listed=shown, purpose=self.read_purpose, request=request
            )
        return super().change_view(request, object_id, form_url, extra_context)
