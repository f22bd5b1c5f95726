"""Background work of the outbox: thin, calls services, safe to run twice."""

from __future__ import annotations

from django_tasks import task


@task()
def message_deliver(message: int | str) -> str:
    """Claim the message and send it; a message already claimed or sent is left alone.

    `message` is the message's public id (a UUID string); tasks enqueued before it was
    (the message's pk, an int) still run.
    """
    from meis.notifications.services import message_send

    if isinstance(message, int):
        return message_send(message_id=message)
    return message_send(public_id=message)
