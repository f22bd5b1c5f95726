"""bench/load.py's data: run in its own process (Django here, Locust's gevent in the driver).

    .venv/bin/python -m bench._load_seed --citizens 6000 --readers 400 --out data.json

On the database of DATABASE_URL, already migrated: the seed catalogue; N synthetic citizens
(person with a verified mobile number, valid identity card, citizen account and a signed-in
session written by Django's own `login()`, as bench/submit.py does); the first `--readers` of
them with one targeted-assistance application each (`case_submit`, two PDFs), for status reads;
a few e-certificates issued by `certificate_issue` (their check codes, for the checks); and a
case worker of the applicants' centre with a signed-in, OTP-verified session. Writes the JSON
bench/load.py reads: per citizen FİN, card number, phone, session and reference.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SERVICE = "targeted-social-assistance"


def seed(citizens: int, readers: int, certificates: int) -> dict[str, Any]:  # noqa: PLR0915
    from django.contrib.auth.models import AnonymousUser, User
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bench.submit import citizens_create, iban, small_pdf
    from meis.accounts.models import StaffProfile
    from meis.accounts.services import staff_groups_ensure
    from meis.cases.services import case_submit
    from meis.catalog.selectors import eservice_version_current
    from meis.centres.models import ServiceCentre
    from meis.certificates.services import certificate_issue
    from meis.registry.models import IdentityDocument, Person

    made, centre_id = citizens_create(citizens)
    people = list(Person.objects.filter(last_name="Benchmarkov").order_by("pk"))
    for index, person in enumerate(people):
        person.verified_phone = f"+99455{index:07d}"
    Person.objects.bulk_update(people, ["verified_phone"], batch_size=2000)
    # A biometric card's number as the sign-in form checks it: AA and 7 digits.
    documents = list(IdentityDocument.objects.filter(person__in=people))
    for document in documents:
        document.number = "AA" + document.number[2:]
    IdentityDocument.objects.bulk_update(documents, ["number"], batch_size=2000)
    cards = {document.person_id: document.number for document in documents}
    centre = ServiceCentre.objects.get(pk=centre_id)
    version = eservice_version_current(code=SERVICE)
    pdf = small_pdf("MEIS load test")
    rows: list[dict[str, Any]] = []
    for index, (person, citizen) in enumerate(zip(people, made, strict=True)):
        reference = ""
        if index < readers:
            uploads = [
                (code, SimpleUploadedFile(f"{code}.pdf", pdf, "application/pdf"))
                for code in ("identity_card", "family_composition_certificate")
            ]
            reference = case_submit(
                person=person,
                version=version,
                answers={
                    "members": "4",
                    "income_12_months_qepik": "4800",
                    "has_vehicle": "no",
                    "contact_phone": "050 123 45 67",
                    "bank_account_iban": iban(),
                },
                channel="portal",
                actor=AnonymousUser(),
                centre=centre,
                contact_channel="portal",
                contact_value="",
                idempotency_key=str(uuid.uuid4()),
                documents=uploads,
            ).case.reference
        rows.append(
            {
                "fin": person.fin,
                "card": cards[person.pk],
                "phone": person.verified_phone,
                "session": citizen.session_id,
                "reference": reference,
            }
        )
    codes = []
    for person in people[readers : readers + certificates]:
        issued = certificate_issue(
            person=person,
            type_code="pension",
            language="az",
            recipient="Bank",
            actor=AnonymousUser(),
        )
        codes.append(issued.code)
    worker = User.objects.create_user(username="load-worker", password=uuid.uuid4().hex)
    worker.groups.add(staff_groups_ensure()["case_worker"])
    StaffProfile.objects.create(
        user=worker, centre=centre, subsystems=["targeted_assistance"], institution="DOST"
    )
    device = TOTPDevice.objects.create(user=worker, name="load", confirmed=True)
    client = Client()
    client.force_login(worker)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return {
        "citizens": rows,
        "readers": readers,
        "centre": centre_id,
        "certificates": codes,
        "worker": client.cookies["sessionid"].value,
    }


def sessions_renew(data_file: Path, count: int) -> None:
    """Sign seeded citizens in again (`--reuse`: sessions end after 15 idle minutes): those
    with an application and the next `count` who have not applied yet."""
    from django.test import Client

    from meis.accounts.services import citizen_account_get_or_create
    from meis.registry.models import Person

    data = json.loads(data_file.read_text())
    readers, first = data["readers"], data["readers"] + data.get("applied", 0)
    renewed = data["citizens"][:readers] + data["citizens"][first : first + count]
    people = Person.objects.in_bulk([c["fin"] for c in renewed], field_name="fin")
    for citizen in renewed:
        client = Client()
        client.force_login(citizen_account_get_or_create(person=people[citizen["fin"]]))
        citizen["session"] = client.cookies["sessionid"].value
    data_file.write_text(json.dumps(data))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--citizens", type=int, default=0)
    parser.add_argument("--readers", type=int, default=0)
    parser.add_argument("--certificates", type=int, default=20)
    parser.add_argument("--out", required=True)
    parser.add_argument("--sessions-only", action="store_true", help="renew the sessions")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meis.settings")
    import django

    django.setup()
    started = time.perf_counter()
    if args.sessions_only:
        sessions_renew(Path(args.out), args.citizens)
        print(f"sessions renewed in {time.perf_counter() - started:.0f} s", flush=True)
        return
    data = seed(args.citizens, args.readers, args.certificates)
    Path(args.out).write_text(json.dumps(data))
    print(
        f"seeded {args.citizens} citizens ({args.readers} with an application), "
        f"{len(data['certificates'])} certificates, a case worker "
        f"in {time.perf_counter() - started:.0f} s",
        flush=True,
    )


if __name__ == "__main__":
    main()
