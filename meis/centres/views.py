"""The public directory of DOST centres: status now, hours, contacts, notices."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from meis.centres.clock import centres_now
from meis.centres.selectors import centre_status, centres_for_directory


def directory(request: HttpRequest) -> HttpResponse:
    now = centres_now()
    centres = centres_for_directory()
    rows = [(centre, centre_status(centre=centre, at=now)) for centre in centres]
    return render(request, "centres/directory.html", {"rows": rows, "now": now})
