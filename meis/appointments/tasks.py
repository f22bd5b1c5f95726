"""Scheduled work of the appointment book: thin, calls the services; safe to run twice."""

from __future__ import annotations


def appointments_hourly() -> str:
    """Open pickups for new decisions; send the day-before and the unclaimed reminders."""
    from meis.appointments.services import (
        appointment_reminders_send,
        pickups_open,
        pickups_unclaimed_remind,
    )

    opened = pickups_open()
    reminded = appointment_reminders_send()
    unclaimed = pickups_unclaimed_remind()
    return f"pickups opened {opened}, reminders {reminded}, unclaimed reminders {unclaimed}"
