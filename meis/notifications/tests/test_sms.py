"""SMS through a local HTTP server playing the gateway; delivery receipts signed with HMAC."""

import json

import pytest

from meis.notifications.models import Status
from meis.notifications.services.delivery import message_send
from meis.notifications.tests.test_outbox import queue_decision
from meis.notifications.views import SIGNATURE_HEADER, signature_for

SECRET = "receipt-secret"


def sms_for(person):
    [message] = queue_decision(person, channels=("sms",))
    return message


def test_an_sms_is_posted_as_json_with_the_token_and_a_reference(sms_gateway, person):
    message = sms_for(person)

    assert message_send(message_id=message.pk) == Status.SENT

    [request] = sms_gateway.requests
    message.refresh_from_db()
    assert request["path"] == "/v1/messages"
    assert request["headers"]["Authorization"] == "Bearer gateway-token"
    assert request["headers"]["Idempotency-Key"] == str(message.public_id)
    assert request["json"] == {
        "to": "+994501234567",
        "text": message.body_text,
        "reference": str(message.public_id),
    }
    assert "qərar qəbul edilib" in request["json"]["text"]
    assert message.provider_reference == "gw-1"


def test_a_gateway_that_does_not_answer_in_time_is_a_temporary_failure(
    sms_gateway, person, settings
):
    settings.SMS_GATEWAY_TIMEOUT = 0.3
    sms_gateway.hang = True
    message = sms_for(person)

    assert message_send(message_id=message.pk) == Status.FAILED_TEMPORARILY
    message.refresh_from_db()
    assert "unreachable" in message.last_error


def test_a_gateway_error_500_is_a_temporary_failure(sms_gateway, person):
    sms_gateway.status = 500
    message = sms_for(person)

    assert message_send(message_id=message.pk) == Status.FAILED_TEMPORARILY
    message.refresh_from_db()
    assert message.last_error == "SMS gateway answered HTTP 500"


def test_a_gateway_refusal_400_is_a_permanent_failure(sms_gateway, person):
    sms_gateway.status = 400
    message = sms_for(person)

    assert message_send(message_id=message.pk) == Status.FAILED_PERMANENTLY


def _receipt(client, body, signature):
    return client.post(
        "/callbacks/sms/",
        data=body,
        content_type="application/json",
        headers={SIGNATURE_HEADER: signature},
    )


@pytest.fixture
def sent_sms(sms_gateway, person, settings):
    settings.SMS_CALLBACK_SECRET = SECRET
    message = sms_for(person)
    message_send(message_id=message.pk)
    return message


def test_a_receipt_with_a_bad_signature_is_refused(client, sent_sms):
    body = json.dumps({"reference": str(sent_sms.public_id), "status": "delivered"}).encode()

    response = _receipt(client, body, signature_for(body, "wrong-secret"))

    sent_sms.refresh_from_db()
    assert response.status_code == 403
    assert sent_sms.status == Status.SENT


def test_a_receipt_without_a_signature_is_refused(client, sent_sms):
    body = json.dumps({"reference": str(sent_sms.public_id), "status": "delivered"}).encode()

    assert _receipt(client, body, "").status_code == 403


def test_receipts_are_refused_while_no_secret_is_configured(client, sent_sms, settings):
    settings.SMS_CALLBACK_SECRET = ""
    body = json.dumps({"reference": str(sent_sms.public_id), "status": "delivered"}).encode()

    assert _receipt(client, body, signature_for(body, "")).status_code == 403


def test_a_signed_receipt_marks_the_sms_delivered(client, sent_sms):
    body = json.dumps({"reference": str(sent_sms.public_id), "status": "delivered"}).encode()

    response = _receipt(client, body, signature_for(body, SECRET))

    sent_sms.refresh_from_db()
    assert response.status_code == 200
    assert sent_sms.status == Status.DELIVERED
    assert sent_sms.delivered_at is not None


def test_a_signed_failure_receipt_marks_the_sms_failed(client, sent_sms):
    body = json.dumps(
        {"reference": str(sent_sms.public_id), "status": "expired", "error": "handset off"}
    ).encode()

    _receipt(client, body, signature_for(body, SECRET))

    sent_sms.refresh_from_db()
    assert sent_sms.status == Status.FAILED_PERMANENTLY
    assert "handset off" in sent_sms.last_error


def test_a_receipt_for_an_unknown_message_is_not_found(client, sent_sms):
    body = json.dumps(
        {"reference": "00000000-0000-0000-0000-000000000000", "status": "delivered"}
    ).encode()

    assert _receipt(client, body, signature_for(body, SECRET)).status_code == 404
