"""Appointments at DOST centres (növbə) and the pickup of documents by prior notice.

Owns `Slot` (a counter's appointment time at a centre, with its capacity), `Appointment` (a
person's booked seat in a slot, for an e-service) and `Pickup` (a decided case whose result is
handed over in person: ready, reminded, handed over). Writes: `services.py` (book, cancel,
reschedule, no-show, pickups opened from decisions, reminders through `meis.notifications`'
outbox, the handover after the person is identified through `meis.registry.selectors`).
Reads: `selectors.py` (free times from `meis.centres.selectors`' hours, regimes and
`meis.workcalendar` closures; a person's appointments; a counter's day list). A 142 operator
books for the caller of their open call (`meis.accounts.selectors.call_current`).
"""
