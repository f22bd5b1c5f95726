"""The service navigation: what each kind of visitor can reach from every page.

An anonymous visitor finds the catalogue, the calculators, certificate checking and sign-in; a
signed-in citizen their own record, applications, awards, certificates and messages; a staff
member the pages their roles may open (and nothing else: a link a role cannot use is not shown).
Which pages a role may open is decided by the pages themselves; this list only mirrors it.
Every visitor's items fit on one row at 1280 px in Azerbaijani, English and Russian
(tests/browser/test_navigation_fits.py): a new item needs room, or a place on a home page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meis.accounts.access import PERSONAL_DATA_ROLES, actor_roles, citizen_count, citizen_person_id
from meis.accounts.roles import Role


@dataclass(frozen=True)
class NavigationItem:
    label: str | Promise
    href: str
    is_current: bool


@dataclass(frozen=True)
class Destination:
    label: Promise
    url_name: str
    # Who sees it: given the roles held, whether the link is shown.
    shown_to: Callable[[frozenset[Role]], bool] = lambda roles: True
    # A number shown after the label ("Inbox (2)"), when there is one.
    count: Callable[[HttpRequest], int] | None = None


def _inbox_unread(request: HttpRequest) -> int:
    # Read with the signed-in citizen's other facts (meis.notifications registers it).
    return citizen_count(request.user, "inbox_unread")


PUBLIC = (
    Destination(_("E-services"), "catalog:list"),
    Destination(_("Calculators"), "calculators:index"),
    Destination(_("DOST centres"), "centres:directory"),
    Destination(_("Check a certificate"), "certificates:verify"),
    Destination(_("Sign in"), "accounts:citizen_sign_in"),
)
CITIZEN = (
    Destination(_("E-services"), "catalog:list"),
    Destination(_("My record"), "accounts:my_record"),
    Destination(_("My applications"), "cases:my_applications"),
    Destination(_("My awards"), "awards:my_awards"),
    Destination(_("My certificates"), "certificates:mine"),
    # "My appointments" and "DOST centres" are on the home page (Start here): with them, the
    # row is wider than the page in Russian (tests/browser/test_navigation_fits.py).
    Destination(_("Inbox"), "inbox:inbox", count=_inbox_unread),
    # Only for a person bound to an employer as its representative (issue 15).
    Destination(_("Employer"), "employers:list", lambda roles: Role.EMPLOYER in roles),
)
STAFF = (
    Destination(_("My work"), "accounts:staff_home"),
    Destination(
        _("Case queue"),
        "backoffice:queue",
        lambda roles: bool(roles & {Role.CASE_WORKER, Role.CENTRE_HEAD}),
    ),
    Destination(
        _("E-mail"),
        "mailintake:queue",
        lambda roles: bool(roles & {Role.CASE_WORKER, Role.CENTRE_HEAD}),
    ),
    Destination(
        _("Walk-in queue"),
        "walkin_staff:counters",
        lambda roles: bool(roles & {Role.CASE_WORKER, Role.CENTRE_HEAD}),
    ),
    Destination(
        _("Appointments"),
        "appointments:day_list",
        lambda roles: bool(roles & {Role.CASE_WORKER, Role.CENTRE_HEAD}),
    ),
    Destination(
        _("Calls"),
        "callcentre:calls",
        lambda roles: Role.CALL_CENTRE_OPERATOR in roles,
    ),
    # The desks are named by what they hold: "Certificate desk" and "Message desk" are too
    # long in Azerbaijani and Russian for the row to fit.
    Destination(
        _("Certificates"),
        "certificates:staff_desk",
        lambda roles: bool(roles & PERSONAL_DATA_ROLES),
    ),
    Destination(
        _("Labour inspection"),
        "inspection:home",
        lambda roles: Role.LABOUR_INSPECTOR in roles,
    ),
    Destination(
        _("Statistics"),
        "statistics:dashboard",
        lambda roles: bool(roles & {Role.ANALYST, Role.ADMINISTRATOR}),
    ),
    Destination(
        _("Proactive runs"),
        "proactive:report",
        lambda roles: bool(roles & {Role.ANALYST, Role.ADMINISTRATOR}),
    ),
    Destination(
        _("Audit trail"),
        "audit:search",
        lambda roles: bool(roles & {Role.AUDITOR, Role.ADMINISTRATOR}),
    ),
    Destination(
        _("Messages"),
        "notifications:staff_message_list",
        lambda roles: Role.ADMINISTRATOR in roles,
    ),
    Destination(_("Administration"), "admin:index", lambda roles: Role.ADMINISTRATOR in roles),
)


def navigation(request: HttpRequest) -> dict[str, list[NavigationItem]]:
    """The navigation for this visitor, the current page marked."""
    user = getattr(request, "user", None)
    destinations: tuple[Destination, ...]
    if user is None or not user.is_authenticated:
        destinations, roles = PUBLIC, frozenset[Role]()
    elif citizen_person_id(user) is not None:
        destinations, roles = CITIZEN, actor_roles(user)
    else:
        destinations, roles = STAFF, actor_roles(user)
    home = reverse("portal:home")
    items = [NavigationItem(_("Home"), home, request.path == home)]
    for destination in destinations:
        if not destination.shown_to(roles):
            continue
        try:
            href = reverse(destination.url_name)
        except NoReverseMatch:  # an app whose pages are not mounted in this deployment
            continue
        label: str | Promise = destination.label
        if destination.count is not None and (count := destination.count(request)):
            label = _("%(label)s (%(count)d)") % {"label": label, "count": count}
        items.append(NavigationItem(label, href, request.path.startswith(href)))
    return {"navigation": items}
