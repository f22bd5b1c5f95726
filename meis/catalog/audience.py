"""Who a service is for, in words: the text the catalogue shows a visitor outside a service's
audience, and the case engine refuses an application with (`meis.cases.access`).

The audience itself is data (`audience` in a definition: citizen, employer, staff_on_behalf);
the rule that enforces it is the case engine's. This module only says, in the reader's language,
who may apply and how, so that both places say the same thing.
"""

from __future__ import annotations

import enum

from django.utils.translation import gettext as _


class Applying(enum.StrEnum):
    """As whom someone is trying to apply."""

    CITIZEN = "citizen"  # for themselves, signed in with their own identity card and FİN
    EMPLOYER = "employer"  # as an employer's representative
    STAFF = "staff"  # a member of staff, on a citizen's behalf (call centre, service centre)


def audience_allows(
    *, for_citizens: bool, for_employers: bool, for_staff_on_behalf: bool, applying: Applying
) -> bool:
    """Whether a service with this audience takes an application from `applying`.

    A service for employers is not a case: representatives notify on the employer's pages of
    the register (meis.employers), so the application pages take nothing from them.
    """
    if applying == Applying.STAFF:
        return for_staff_on_behalf
    if applying == Applying.CITIZEN:
        return for_citizens
    return False


def audience_refusal(
    *,
    service: str,
    for_citizens: bool,
    for_employers: bool,
    for_staff_on_behalf: bool,
    applying: Applying,
) -> str:
    """Why `applying` cannot apply for `service` (its name), and who can and how."""
    values = {"service": service}
    if applying == Applying.STAFF:
        if for_employers and not for_citizens:
            return (
                _("“%(service)s” is for employers: staff cannot file it on a citizen's behalf.")
                % values
            )
        return (
            _(
                "“%(service)s” cannot be filed on a citizen's behalf: the citizen applies for it "
                "online, signed in as themselves."
            )
            % values
        )
    if applying == Applying.EMPLOYER:
        if for_employers:
            return (
                _(
                    "“%(service)s” is not an application: employers send it on the employer's "
                    "pages. Open “Employer” in the menu."
                )
                % values
            )
        return (
            _(
                "“%(service)s” is for citizens: each person applies for themselves, signed in with "
                "their own identity card and FİN. You are signed in as an employer's "
                "representative: sign out, then sign in as yourself to apply."
            )
            % values
        )
    if for_employers:
        return (
            _(
                "“%(service)s” is for employers: an employer's representative sends it for the "
                "employer. You are signed in as a citizen, so you cannot send it."
            )
            % values
        )
    return (
        _("“%(service)s” is not applied for online: apply at a DOST service centre or call 142.")
        % values
    )
