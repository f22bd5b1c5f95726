"""The QR code's short address /V/<code>: capitals for a small QR, a redirect to the check page."""

from __future__ import annotations

import pytest
import segno
from django.test import Client

from meis.accounts.tests.conftest import signed_in_citizen_client
from meis.certificates.codes import code_new
from meis.certificates.rendering import qr_url, verify_url
from meis.certificates.tests.test_journey import code_in, get_certificate

pytestmark = [pytest.mark.django_db]


def test_the_qr_address_is_short_capitals_and_fits_the_alphanumeric_mode(settings):
    code = code_new()
    assert qr_url(code) == f"HTTPS://MEIS.EXAMPLE/V/{code}"
    qr = segno.make_qr(qr_url(code), error="m")
    assert qr.mode == "alphanumeric"
    assert qr.version == 3  # byte mode for /verify/<code>/ needs version 4
    settings.CERTIFICATE_VERIFY_BASE_URL = "https://Host.example:8443/meis/"
    assert qr_url(code) == f"HTTPS://HOST.EXAMPLE:8443/meis/V/{code}"  # a path keeps its case
    assert verify_url(code) == f"https://Host.example:8443/meis/verify/{code}/"


@pytest.mark.slow
def test_the_short_address_in_either_case_leads_to_the_certificate(pensioner, catalogue):
    code = code_in(get_certificate(signed_in_citizen_client(pensioner)))
    bank = Client(REMOTE_ADDR="10.5.5.5", HTTP_ACCEPT_LANGUAGE="en")
    for path in (f"/V/{code}", f"/v/{code.lower()}/", f"/V/{code.replace('-', '')}/"):
        response = bank.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/en/verify/")
        page = bank.get(path, follow=True)
        assert page.status_code == 200
        assert "İsmayıl qızı" in page.content.decode()


def test_a_malformed_code_gets_the_same_answer_as_an_unknown_one(catalogue):
    client = Client(REMOTE_ADDR="10.6.6.6", HTTP_ACCEPT_LANGUAGE="en")
    unknown = client.get("/V/ZZZZZ-ZZZZZ-ZZZZZ", follow=True)
    malformed = client.get("/v/not-a-code!?x=1", follow=True)
    too_long = client.get("/V/" + "Z" * 500, follow=True)
    assert unknown.status_code == malformed.status_code == too_long.status_code == 404
    assert (
        unknown.content.decode().replace("ZZZZZ-ZZZZZ-ZZZZZ", "")
        == malformed.content.decode().replace("not-a-code!", "")
        == too_long.content.decode().replace("Z" * 40, "")
    )


def test_the_short_address_does_not_bypass_the_rate_limit(settings, catalogue):
    settings.CERTIFICATE_VERIFY_LIMIT_PER_ADDRESS = 2
    client = Client(REMOTE_ADDR="10.7.7.7")
    answers = [client.get("/V/ZZZZZ-ZZZZZ-ZZZZZ", follow=True).status_code for _ in range(4)]
    assert answers[-1] == 429
