from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from meis.notifications.models import Status


class MessageSearchForm(forms.Form):
    fin = forms.CharField(label=_("FİN"), max_length=7, required=False)
    case_reference = forms.CharField(label=_("Case reference"), max_length=64, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *Status.choices], required=False
    )
