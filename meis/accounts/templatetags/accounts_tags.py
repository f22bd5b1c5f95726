from django import template
from django.utils.translation import gettext_lazy as _

from meis.accounts.roles import role_label as _role_label
from meis.audit.purposes import purpose_label as _purpose_label

register = template.Library()


# Roles an audit event may carry that are not staff or citizen roles.
_OTHER_ROLES = {
    "verifier": _("Someone checking a certificate"),
    "api_client": _("An institution's information system"),
}


@register.filter
def role_label(code: str) -> str:
    """The translated names of the role codes stored on an audit event (comma-separated)."""
    return ", ".join(
        str(_OTHER_ROLES[part]) if part in _OTHER_ROLES else _role_label(part)
        for part in str(code).split(",")
        if part
    )


@register.filter
def purpose_label(stored: str) -> str:
    """A purpose code an institution's system gave (meis.audit.purposes) in the reader's words."""
    return _purpose_label(stored)
