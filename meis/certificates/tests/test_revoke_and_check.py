"""Revoking asks first, and a revoked certificate's check tells its status and issuer only.

The holder's "Revoke" link opens a page that says what revoking does; only its POST (with the
CSRF token) revokes. A verifier who checks a revoked code learns the kind of certificate, its
issuer and the revocation date — not whom it was about nor what it stated. An expired one and an
unknown code each say so plainly.
"""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format

from meis.accounts.services import citizen_account_get_or_create
from meis.accounts.tests.conftest import signed_in_citizen_client
from meis.certificates.models import Certificate
from meis.certificates.tests.conftest import bank_api
from meis.certificates.tests.test_journey import code_in, get_certificate

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_revoke_asks_for_confirmation_before_it_revokes(pensioner, catalogue):
    holder = signed_in_citizen_client(pensioner)
    get_certificate(holder)
    certificate = Certificate.objects.get()

    listing = holder.get("/en/certificates/").content.decode()
    assert f'href="/en/certificates/{certificate.pk}/revoke/"' in listing

    asked = holder.get(f"/en/certificates/{certificate.pk}/revoke/")
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "Are you sure you want to revoke this certificate?" in page
    assert "it cannot be made valid again" in page
    assert 'href="/en/certificates/"' in page  # "No, keep it" goes back
    assert "csrfmiddlewaretoken" in page
    certificate.refresh_from_db()
    assert certificate.status == "issued"

    done = holder.post(
        f"/en/certificates/{certificate.pk}/revoke/", {"reason": "Lost the printout"}
    )
    assert done.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == "revoked"
    assert certificate.revoked_reason == "Lost the printout"
    again = holder.get(f"/en/certificates/{certificate.pk}/revoke/").content.decode()
    assert "This certificate is already revoked" in again
    assert "Yes, revoke" not in again


def test_revoking_without_the_csrf_token_is_refused(pensioner, catalogue):
    get_certificate(signed_in_citizen_client(pensioner))
    certificate = Certificate.objects.get()
    holder = Client(enforce_csrf_checks=True)
    holder.force_login(citizen_account_get_or_create(person=pensioner))
    assert holder.post(f"/en/certificates/{certificate.pk}/revoke/").status_code == 403
    certificate.refresh_from_db()
    assert certificate.status == "issued"


def test_another_citizen_cannot_open_the_confirmation(pensioner, other_citizen, catalogue):
    get_certificate(signed_in_citizen_client(pensioner))
    certificate = Certificate.objects.get()
    intruder = signed_in_citizen_client(other_citizen)
    assert intruder.get(f"/en/certificates/{certificate.pk}/revoke/").status_code == 404


def test_a_revoked_certificate_shows_its_status_and_issuer_not_the_holder(pensioner, catalogue):
    holder = signed_in_citizen_client(pensioner)
    code = code_in(get_certificate(holder, language="en"))
    certificate = Certificate.objects.get()
    holder.post(f"/en/certificates/{certificate.pk}/revoke/")
    certificate.refresh_from_db()

    bank = Client()
    page = bank.get(f"/en/verify/{code}/").content.decode()
    assert certificate.revoked_at is not None
    revoked_on = timezone.localdate(certificate.revoked_at)
    with translation.override("en"):
        expected = date_format(revoked_on, "j E Y")
    assert f"This certificate was revoked on {expected}" in page
    assert "Ministry of Labour" in page  # the issuer
    assert certificate.facts["title"] in page  # the kind of certificate
    assert "İsmayıl qızı" not in page
    assert "Gülşən" not in page
    assert pensioner.fin not in page
    assert "Kapital Bank" not in page  # whom it was presented to
    for _label, value in certificate.facts["rows"]:
        assert f">{value}<" not in page

    api = bank_api().get(f"/api/v1/certificates/{code}").json()
    assert api["status"] == "revoked"
    assert api["facts"] == []
    assert api["presented_to"] is None
    assert api["issuer"]


def test_an_expired_certificate_and_an_unknown_code_read_clearly(pensioner, catalogue):
    code = code_in(get_certificate(signed_in_citizen_client(pensioner), language="en"))
    Certificate.objects.update(expires_on=datetime.date(2020, 1, 31))

    expired = Client().get(f"/en/verify/{code}/").content.decode()
    assert "Expired" in expired
    assert "This certificate was valid until 31 January 2020" in expired

    unknown = Client().get("/en/verify/ZZZZZ-ZZZZZ-ZZZZZ/")
    assert unknown.status_code == 404
    assert "No certificate has this code" in unknown.content.decode()


def test_staff_who_do_not_serve_the_holder_cannot_revoke_by_code(pensioner, catalogue):
    # Issue 22: a case worker of another centre could revoke anyone's certificate by its code.
    from meis.audit.models import AuditAction, AuditEvent
    from meis.certificates.services import CertificateError, certificate_revoke_by_code
    from meis.certificates.tests.test_journey import _operator

    code = code_in(get_certificate(signed_in_citizen_client(pensioner)))
    stranger = _operator()  # no call with the holder on the line

    with translation.override("en"), pytest.raises(CertificateError, match="No certificate has"):
        certificate_revoke_by_code(code=code, actor=stranger, reason="Looks wrong", request=None)

    assert Certificate.objects.get().status == "issued"
    refused = AuditEvent.objects.get(action=AuditAction.ACCESS_REFUSED, actor=stranger)
    assert refused.person == pensioner
