from django import template

from meis.accounts.roles import role_label as _role_label

register = template.Library()


@register.filter
def role_label(code: str) -> str:
    """The translated names of the role codes stored on an audit event (comma-separated)."""
    return ", ".join(_role_label(part) for part in str(code).split(",") if part)
