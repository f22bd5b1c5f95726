"""`meis demo load`: demo registry data, staff role groups and demo users (demo only).

The composition root of the demo: registry people and the groups' permissions from
`meis.demo.people`, the demo staff (password + TOTP, centres) from `meis.demo.staff`, the
seed e-service catalogue, the facts, the applications filed and decided through the case engine
(`meis.demo.applications`: an award on an application for each rules-backed service, and a
refusal to appeal), and the proactive run that grants the demo people's other awards.

Idempotent: a second run changes nothing. Refuses to run without MEIS_DEMO (or DEBUG) or `--force`,
because demo users have a published password.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from meis.appointments.services import pickups_open
from meis.catalog.services import catalog_import_seed
from meis.certificates.signing import demo_ca_ensure
from meis.demo.api_clients import api_clients_demo_load
from meis.demo.applications import ApplicationsResult, applications_demo_load
from meis.demo.disability import DemoDisability, disability_demo_load
from meis.demo.employers import employers_demo_load
from meis.demo.employment import DemoEmployment, employment_demo_load
from meis.demo.payments import payments_demo_load
from meis.demo.people import registry_demo_load
from meis.demo.staff import DEMO_PASSWORD, DEMO_STAFF, accounts_demo_load
from meis.jobcentre.services import employment_daily_run
from meis.labour.models import Contract
from meis.labour.synthetic import contracts_generate
from meis.proactive.models import ProactiveRun, RunMode, RunStatus
from meis.proactive.sources import FULL_DEFAULT
from meis.registry.synthetic import GeneratorError
from meis.usage.services import rollup_refresh
from meis.veterans.synthetic import veterans_generate


class Command(BaseCommand):
    help = "Demo data. `load` fills an empty registry and creates one demo user per staff role."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = actions.add_parser(
            "load", help="Load the demo data (idempotent).", description=__doc__
        )
        load.add_argument(
            "--force",
            action="store_true",
            help="Load without MEIS_DEMO or DEBUG (demo passwords are public: never in production).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load":
            self.load(force=options["force"])

    def load(self, *, force: bool) -> None:
        if not (settings.DEBUG or settings.MEIS_DEMO) and not force:
            raise CommandError(
                "Refusing to create demo users with a public password outside the demo (DEBUG "
                "and MEIS_DEMO are off); set MEIS_DEMO=1, or pass --force on a demo server."
            )
        try:
            today = datetime.date.today()  # noqa: DTZ011 — civil date
            result = registry_demo_load(on=today)
            staff_lines = accounts_demo_load()
            catalogue = catalog_import_seed()
            # Insurance records, disability decisions and births for the demo people; then the
            # applications, before the proactive run that grants what the others are entitled
            # to and would otherwise take the applicants first (all idempotent).
            call_command("proactive", "generate-facts", "--seed", "2020", stdout=self.stdout)
            # The registers behind the Presidential stipends, which the run grants (issue 17).
            veterans_generate(seed=2020, on=today)
            applications = applications_demo_load(on=today)
            self.proactive_demo_run()
            # What the approvals left to collect in person is announced now, not at the next
            # hourly job: the demo pensioner books its pickup (issue 18).
            pickups_open()
            # The statistics read daily rollups; sum the demo's uses now, not at the next tick.
            usage = rollup_refresh()
            api_clients = api_clients_demo_load()
            employer = employers_demo_load(on=today)
            # The employment-contracts register's history of the demo people since July 2014,
            # after the decisions above (it is the register as imported; idempotent).
            if not Contract.objects.exists():
                contracts_generate(seed=2020, as_of=today)
            # A worker dismissed for staff reduction and vacancies for them; the day's
            # employment job offers the unemployment benefit by letter (issue 16).
            employment = employment_demo_load(on=today)
            employment_daily_run(on=today)
            # The disability register: a referral decided, appealed and decided again; the
            # payments it grounds granted and recalculated (issue 17).
            # Its decisions' extracts are signed: the demo key is made now if `make run` has not
            # made it yet (idempotent; a configured key is never replaced).
            demo_ca_ensure()
            disability = disability_demo_load(on=today)
            # Last month's payroll, a bank's returns and a late death's overpayment (issue 23).
            payments = payments_demo_load(on=today)
        except (GeneratorError, DatabaseError) as error:
            first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
            raise CommandError(f"Cannot load the demo data: {first_line}") from None
        self.stdout.write(f"Usage statistics: {usage}.")
        if result.generated_people:
            self.stdout.write(f"Generated {result.generated_people:,} demo people.")
        self.stdout.write(
            f"E-service catalogue: {catalogue.services} services, "
            f"{catalogue.versions_created} new versions."
        )
        self.stdout.write("")
        self.stdout.write(f"Demo staff users (password for all: {DEMO_PASSWORD})")
        self.stdout.write(f"  {'username':<20} {'role':<22} superuser")
        users = {u.username: u for u in User.objects.filter(username__in=_usernames())}
        for staff in DEMO_STAFF:
            user = users.get(staff.username)
            superuser = bool(user and user.is_superuser)
            self.stdout.write(f"  {staff.username:<20} {staff.role.value:<22} {superuser}")
        for line in staff_lines:
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write("Demo citizens (sign in with the document number and FİN)")
        self.stdout.write(f"  {'FİN':<9} {'document':<13} {'phone':<15} name")
        for citizen in result.citizens:
            self.stdout.write(
                f"  {citizen.fin:<9} {citizen.document_number:<13} {citizen.phone:<15} "
                f"{citizen.name}"
            )
        self.applications_print(applications)
        if employer.representative is not None:
            rep = employer.representative
            self.stdout.write("")
            self.stdout.write(
                f"Demo employer representative of {employer.name} (VÖEN {employer.voen}; sign "
                "in as a citizen, then Employer in the menu)"
            )
            self.stdout.write(
                f"  {rep.fin:<9} {rep.document_number:<13} {rep.phone:<15} {rep.name}"
            )
        self.employment_print(employment)
        self.disability_print(disability)
        self.stdout.write("\n".join(payments.lines()))
        self.stdout.write("")
        self.stdout.write(
            "Demo API clients (POST /api/v1/token with grant_type=client_credentials; "
            "documentation at /api/v1/docs)"
        )
        self.stdout.write(f"  {'client id':<17} {'secret':<26} {'institution':<22} scopes")
        for client in api_clients:
            self.stdout.write(
                f"  {client.key_id:<17} {client.secret:<26} {client.institution:<22} "
                f"{' '.join(client.scopes)}"
            )

    def employment_print(self, employment: DemoEmployment) -> None:
        worker = employment.dismissed
        if worker is None:
            return
        self.stdout.write("")
        self.stdout.write(
            f"Demo worker dismissed by {employment.employer_name} for staff reduction "
            f"(offered the unemployment benefit; {employment.vacancies} vacancies posted)"
        )
        self.stdout.write(
            f"  {worker.fin:<9} {worker.document_number:<13} {worker.phone:<15} {worker.name}"
        )

    def disability_print(self, disability: DemoDisability) -> None:
        person = disability.person
        if person is None:
            return
        self.stdout.write("")
        first, appeal = disability.first, disability.appeal
        story = (f"degree {first.degree} on {first.decided_on}" if first else "no decision") + (
            f", degree {appeal.degree} on appeal on {appeal.decided_on}" if appeal else ""
        )
        self.stdout.write(
            "Demo person with a disability decision (" + story + "; demo-clinic refers, "
            "demo-commission and demo-commission-2 or demo-central and demo-central-2 decide)"
        )
        self.stdout.write(
            f"  {person.fin:<9} {person.document_number:<13} {person.phone:<15} {person.name}"
        )

    def applications_print(self, result: ApplicationsResult) -> None:
        self.stdout.write("")
        self.stdout.write(
            f"Demo citizens' applications at {result.centre or '?'} "
            f"({result.filed} filed now; sign in as the applicant with the document number and "
            "FİN; the refusal can be appealed)"
        )
        self.stdout.write(
            f"  {'reference':<18} {'service':<32} {'FİN':<9} {'document':<13} outcome"
        )
        for line in result.applications:
            self.stdout.write(
                f"  {line.reference:<18} {line.service:<32} {line.fin:<9} "
                f"{line.document_number:<13} {line.outcome}"
            )
        for service, why in result.skipped:
            self.stdout.write(f"  skipped {service}: {why}")

    def proactive_demo_run(self) -> None:
        """One full proactive run for the demo registry, approved by the demo administrator.

        The run is larger than the four-eyes threshold, so it waits like a real one would; the
        demo shows the second pair of eyes (`demo-admin`, not the system that started it).
        """
        if not ProactiveRun.objects.filter(mode=RunMode.FULL).exists():
            # The default schemes, and the Presidential stipends (a full run of theirs is asked
            # for by name: their daily run follows the registers' new statuses).
            schemes = [*FULL_DEFAULT, "presidential_stipend"]
            call_command(
                "proactive",
                "run",
                "--full",
                *[f"--scheme={s}" for s in schemes],
                stdout=self.stdout,
            )
        waiting = ProactiveRun.objects.filter(status=RunStatus.AWAITING_APPROVAL)
        for run_id in waiting.values_list("pk", flat=True):
            call_command(
                "proactive", "approve", str(run_id), "--as", "demo-admin", stdout=self.stdout
            )


def _usernames() -> list[str]:
    return [staff.username for staff in DEMO_STAFF]
