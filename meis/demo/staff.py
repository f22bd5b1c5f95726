"""Demo staff, role groups and centre registrations for `make run` (never for production data).

`accounts_demo_load()` is idempotent. Every demo staff user has the same password and the same
TOTP secret, printed with the credentials, so a demonstrator can add it to any authenticator app
or run `meis demo_totp` to print the current code.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.contrib.auth.models import Group, User
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from meis.accounts.models import ServiceCentreRegistration, StaffProfile
from meis.accounts.roles import STAFF_ROLES, Role, Subsystem
from meis.centres.models import ServiceCentre
from meis.registry.models import DocumentStatus, IdentityDocument, Person

DEMO_PASSWORD = "demo-password-2020"  # noqa: S105 — published demo credential
DEMO_TOTP_KEY = b"meis-demo-totp-key!!".hex()  # 20 bytes, the RFC 6238 default length
DEMO_REGISTERED_PEOPLE = 5


@dataclass(frozen=True)
class DemoStaff:
    username: str
    role: Role
    centre_code: str | None
    subsystems: tuple[Subsystem, ...]
    institution: str


DEMO_STAFF = (
    DemoStaff(
        "demo-caseworker",
        Role.CASE_WORKER,
        "baku-1",
        (Subsystem.TARGETED_ASSISTANCE, Subsystem.PENSIONS),
        "Baku DOST centre No. 1",
    ),
    DemoStaff(
        "demo-caseworker-2",
        Role.CASE_WORKER,
        "baku-2",
        (Subsystem.TARGETED_ASSISTANCE, Subsystem.PENSIONS),
        "Baku DOST centre No. 2",
    ),
    DemoStaff("demo-centre-head", Role.CENTRE_HEAD, "baku-1", (), "Baku DOST centre No. 1"),
    # The employment officer: registrations, referrals and the unemployment-benefit cases.
    DemoStaff(
        "demo-employment",
        Role.CASE_WORKER,
        "baku-1",
        (Subsystem.EMPLOYMENT,),
        "Baku DOST centre No. 1",
    ),
    DemoStaff("demo-operator", Role.CALL_CENTRE_OPERATOR, None, (), "Call centre 142"),
    # The disability register's demo (meis.demo.disability): the chair and a member of Baku's
    # regional commission No. 1, of the central commission (it takes the appeals), and a doctor
    # of Baku's central polyclinic.
    DemoStaff(
        "demo-commission",
        Role.COMMISSION_MEMBER,
        "baku-1",
        (Subsystem.DISABILITY,),
        "Medical-social expert commission",
    ),
    DemoStaff(
        "demo-commission-2",
        Role.COMMISSION_MEMBER,
        None,
        (Subsystem.DISABILITY,),
        "Medical-social expert commission",
    ),
    DemoStaff(
        "demo-central", Role.COMMISSION_MEMBER, None, (Subsystem.DISABILITY,), "Central commission"
    ),
    DemoStaff(
        "demo-central-2",
        Role.COMMISSION_MEMBER,
        None,
        (Subsystem.DISABILITY,),
        "Central commission",
    ),
    DemoStaff("demo-clinic", Role.MEDICAL_STAFF, None, (), "Baku central polyclinic"),
    DemoStaff("demo-inspector", Role.LABOUR_INSPECTOR, None, (), "State Labour Inspection"),
    DemoStaff("demo-analyst", Role.ANALYST, None, (), "Ministry of Labour"),
    DemoStaff("demo-auditor", Role.AUDITOR, None, (), "Ministry of Labour"),
    DemoStaff("demo-admin", Role.ADMINISTRATOR, None, (), "Ministry of Labour"),
)


def demo_totp_secret_base32() -> str:
    return base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()


def demo_totp_now() -> str:
    totp = TOTP(bytes.fromhex(DEMO_TOTP_KEY))
    return f"{totp.token():06d}"


@transaction.atomic
def accounts_demo_load() -> list[str]:
    """Create the role groups, the demo staff and demo registrations; return lines to print."""
    for role in STAFF_ROLES:
        Group.objects.get_or_create(name=role)
    for staff in DEMO_STAFF:
        _demo_staff_create(staff)
    lines = [
        f"Staff sign-in (/az/staff/sign-in/): password {DEMO_PASSWORD!r}, TOTP secret "
        f"{demo_totp_secret_base32()} (or run `meis demo_totp` for the current code)",
        "  users: " + ", ".join(staff.username for staff in DEMO_STAFF),
    ]
    lines += _demo_registrations()
    return lines


def _demo_staff_create(staff: DemoStaff) -> None:
    user, _ = User.objects.get_or_create(username=staff.username)
    user.set_password(DEMO_PASSWORD)
    user.is_staff = user.is_superuser = staff.role == Role.ADMINISTRATOR
    user.save()
    user.groups.set([Group.objects.get(name=staff.role)])
    centre = ServiceCentre.objects.filter(code=staff.centre_code).first()
    StaffProfile.objects.update_or_create(
        user=user,
        defaults={
            "centre": centre,
            "subsystems": list(staff.subsystems),
            "institution": staff.institution,
        },
    )
    TOTPDevice.objects.update_or_create(
        user=user, name="demo", defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
    )


def _demo_registrations() -> list[str]:
    """Register a few people with a phone and a valid card at Baku DOST centre No. 1."""
    centre = ServiceCentre.objects.filter(code="baku-1").first()
    if centre is None:
        return []
    people = (
        Person.objects.filter(
            verified_phone__isnull=False,
            died_on__isnull=True,
            documents__status=DocumentStatus.VALID,
        )
        .distinct()
        .order_by("id")[:DEMO_REGISTERED_PEOPLE]
    )
    lines = ["Citizens registered at Baku DOST centre No. 1 (sign in at /az/sign-in/):"]
    for person in people:
        ServiceCentreRegistration.objects.get_or_create(
            reference=f"DEMO-{person.pk}",
            defaults={
                "person": person,
                "centre": centre,
                "subsystem": Subsystem.TARGETED_ASSISTANCE,
            },
        )
        document = IdentityDocument.objects.filter(
            person=person, status=DocumentStatus.VALID
        ).first()
        lines.append(f"  {document.number if document else '?'} + FİN {person.fin}")
    lines.append("  codes appear at /az/dev/messages/ (MEIS_DEMO only)")
    return lines
