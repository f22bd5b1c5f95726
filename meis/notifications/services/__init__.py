"""Writes of the outbox: queue (`outbox`), send (`delivery`), set-based queueing (`bulk`),
attachments (`attachments`).

The outbox's public names are re-exported here: callers write
`from meis.notifications.services import notification_queue`.
"""

from meis.notifications.services.outbox import (
    FINISHED,
    ONE_TIME_CODE_KEPT_FOR,
    RECEIPT_STATUSES,
    MessageNotResendable,
    delivery_task_of_transaction,
    inbox_item_mark_read,
    message_contents_redact,
    message_resend,
    notification_queue,
    notification_queue_to_contact,
    outbox_sweep,
    outbox_wake,
    sms_receipt_record,
    template_version_create,
)

__all__ = [
    "FINISHED",
    "ONE_TIME_CODE_KEPT_FOR",
    "RECEIPT_STATUSES",
    "MessageNotResendable",
    "delivery_task_of_transaction",
    "inbox_item_mark_read",
    "message_contents_redact",
    "message_resend",
    "notification_queue",
    "notification_queue_to_contact",
    "outbox_sweep",
    "outbox_wake",
    "sms_receipt_record",
    "template_version_create",
]
