from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from meis.accounts.admin_reads import PersonReadsAdmin
from meis.notifications.events import EventCode
from meis.notifications.models import Attachment, Message, Template
from meis.notifications.services import (
    MessageNotResendable,
    message_resend,
    template_version_create,
)


@admin.register(Template)
class TemplateAdmin(admin.ModelAdmin[Template]):
    """Saving a change writes the next version; messages keep the version they were sent with."""

    list_display = ["event", "language", "version", "email_subject", "sms_segments", "created_at"]
    list_filter = ["event", "language"]
    readonly_fields = ["version", "sms_segments", "created_at", "created_by"]
    fields = [
        "event",
        "language",
        "version",
        "email_subject",
        "email_text",
        "email_html",
        "sms_text",
        "sms_segments",
        "created_at",
        "created_by",
    ]

    @admin.display(description=_("SMS length"))
    def sms_segments(self, template: Template) -> str:
        length = template.sms_length
        return _("%(segments)d segment(s), %(encoding)s, %(units)d characters") % {
            "segments": length.segments,
            "encoding": length.encoding,
            "units": length.units,
        }

    def save_model(
        self, request: HttpRequest, obj: Template, form: ModelForm[Template], change: bool
    ) -> None:
        template_version_create(template=obj, actor=request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Template | None = None) -> bool:
        return False


class AttachmentInline(admin.TabularInline[Attachment, Message]):
    model = Attachment
    fields = readonly_fields = ("file_name", "content_type", "size", "sha256", "is_available")
    extra = 0
    can_delete = False

    @admin.display(description=_("kept"), boolean=True)
    def is_available(self, attachment: Attachment) -> bool:
        return attachment.is_available

    def has_add_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return False


@admin.register(Message)
class MessageAdmin(PersonReadsAdmin[Message]):
    """Read-only: content and history are what was sent; staff only re-send."""

    inlines = [AttachmentInline]

    list_display = [
        "created_at",
        "person",
        "event",
        "channel",
        "status",
        "attempts",
        "case_reference",
    ]
    list_filter = ["status", "channel", "event"]
    search_fields = ["person__fin", "case_reference", "=public_id", "provider_reference"]
    list_select_related = ["person"]
    actions = ["resend"]

    # A one-time code is a key to the person's account while it is valid: no page shows it.
    SECRET_FIELDS = ("subject", "body_text", "body_html")

    def get_fields(  # type: ignore[override]  # plain names, as the supertype allows
        self, request: HttpRequest, obj: Message | None = None
    ) -> list[str]:
        fields = [field.name for field in Message._meta.fields]
        if obj is not None and obj.event == EventCode.ONE_TIME_CODE:
            fields = [name for name in fields if name not in self.SECRET_FIELDS]
            fields.append("content_hidden")
        return fields

    def get_readonly_fields(self, request: HttpRequest, obj: Message | None = None) -> list[str]:
        return self.get_fields(request, obj)

    read_purpose = "admin message"

    def persons_shown(self, objs: list[Message]) -> list[tuple[int | None, Message]]:
        """A message is a read of its addressee's data (a search by FİN or any other)."""
        return [(message.person_id, message) for message in objs]

    @admin.display(description=_("content"))
    def content_hidden(self, message: Message) -> str:
        return str(_("A one-time code: its text is shown to no one."))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return False

    @admin.action(description=_("Re-send the selected failed messages"), permissions=["resend"])
    def resend(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        done = 0
        for message in queryset:
            try:
                message_resend(message=message, actor=request.user, request=request)
                done += 1
            except MessageNotResendable:
                continue
        self.message_user(
            request, _("%(count)d message(s) queued again.") % {"count": done}, messages.SUCCESS
        )

    def has_resend_permission(self, request: HttpRequest, *args: Any) -> bool:
        return request.user.has_perm("notifications.resend_message")
