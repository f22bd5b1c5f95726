"""Background work of the outbox: thin, calls services, safe to run twice."""

from __future__ import annotations

from django_tasks import task


@task()
def message_deliver(message_id: int) -> str:
    """Claim the message and send it; a message already claimed or sent is left alone."""
    from meis.notifications.services import message_send

    return message_send(message_id=message_id)
