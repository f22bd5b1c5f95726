"""Scheduled work of payments: thin, calls the services; safe to run twice."""

from __future__ import annotations

import datetime

from django.utils import timezone


def cards_daily() -> str:
    """Cards for recipients still without an account after the grace period (none ordered
    twice: an open order is never repeated). Nothing when no bank issues cards."""
    from meis.payments.models import Bank
    from meis.payments.services.cards import CARD_GRACE_DAYS, card_orders_place

    if not Bank.objects.filter(issues_cards=True, is_active=True).exists():
        return "no card bank"
    since = timezone.now() - datetime.timedelta(days=CARD_GRACE_DAYS)
    return str(card_orders_place(actor=None, granted_before=since))
