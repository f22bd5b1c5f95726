"""The audit trail can be added to and never changed or emptied through the application."""

import pytest

from meis.audit.models import AuditAction, AuditEvent, AuditTrailIsAppendOnly
from meis.audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return audit_record(action=AuditAction.OTHER, actor=None, purpose="test")


def test_an_event_is_recorded(event):
    assert AuditEvent.objects.filter(pk=event.pk, purpose="test").exists()


def test_an_event_cannot_be_changed(event):
    event.purpose = "rewritten"
    with pytest.raises(AuditTrailIsAppendOnly):
        event.save()


def test_an_event_cannot_be_deleted(event):
    with pytest.raises(AuditTrailIsAppendOnly):
        event.delete()


def test_the_trail_cannot_be_updated_in_bulk(event):
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(purpose="rewritten")


def test_the_trail_cannot_be_deleted_in_bulk(event):
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()
