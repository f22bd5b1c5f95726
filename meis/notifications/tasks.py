"""Background work of the outbox: thin, calls services, safe to run twice."""

from __future__ import annotations

from django_tasks import task


@task()
def outbox_deliver() -> str:
    """Send every due message, in batches over one connection, until none is due.

    Enqueued once per transaction that queues messages (and by the sweep, and deferred for
    retries); any number may run at once: each claims its own batches.
    """
    from meis.notifications.services.delivery import outbox_deliver_due

    return outbox_deliver_due()


@task()
def message_deliver(message: int | str) -> str:
    """Claim one message and send it; a message already claimed or sent is left alone.

    Tasks of earlier versions (one per message) still run: `message` is the message's public
    id (a UUID string) or, older still, its pk.
    """
    from meis.notifications.services.delivery import message_send

    if isinstance(message, int):
        return message_send(message_id=message)
    return message_send(public_id=message)
