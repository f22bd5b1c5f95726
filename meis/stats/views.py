"""The statistics pages: the public page, the analysts' dashboard (with a CSV of each table), and
the open-data files. They read the usage rollups only: no personal data, no raw events."""

from __future__ import annotations

import datetime

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meis.accounts.access import actor_roles
from meis.accounts.decorators import staff_required
from meis.accounts.roles import Role
from meis.core.downloads import download_headers_set
from meis.core.formats import day, month_year
from meis.core.replica import replica_reads
from meis.disability.selectors import register_counts as disability_counts
from meis.employment.selectors import register_counts
from meis.stats import opendata
from meis.stats.charts import Chart, Series
from meis.stats.forms import PeriodForm, default_period
from meis.stats.labels import Labels
from meis.stats.report import report_for
from meis.usage.models import UsageKind
from meis.usage.selectors import (
    PROACTIVE_GROUPS,
    Callbacks,
    Period,
    callbacks,
    decision_timeliness,
    extent,
    kind_total,
    proactive_by_group,
    uses_by,
    uses_over_time,
    uses_total,
    volumes,
)

DASHBOARD_ROLES = frozenset({Role.ANALYST, Role.ADMINISTRATOR})
SUPPRESSED_BELOW = opendata.SUPPRESSED_BELOW
TOP_SERVICES = 15


def group_labels() -> dict[str, str]:
    return {
        "old_age_pensions": _("Old-age pensions"),
        "disability_pensions": _("Disability pensions"),
        "survivor_pensions": _("Survivor pensions"),
        "benefits": _("Benefits"),
        "targeted_assistance": _("Targeted social assistance"),
        "stipends": _("Presidential stipends"),
    }


def _step_label(start: datetime.date, step: str) -> str:
    if step == "month":
        return month_year(start)
    if step == "week":
        return _("week of %(day)s") % {"day": day(start)}
    return day(start)


# --- The public page ---------------------------------------------------------------------------


@replica_reads
def public(request: HttpRequest) -> HttpResponse:
    """This year's headline figures and their trend, as the latest refresh of the rollups left
    them (every few minutes): cached until the next refresh."""
    today = timezone.localdate()
    refreshed = extent().refreshed_at
    stamp = refreshed.isoformat() if refreshed else "never"
    key = f"statistics:public:{translation.get_language()}:{today.isoformat()}:{stamp}"
    context = cache.get(key)
    if context is None:
        context = {**_public_context(today), "refreshed_at": refreshed}
        cache.set(key, context, 3600)
    return render(request, "stats/public.html", context)


def _public_context(last: datetime.date) -> dict[str, object]:
    year = Period(start=last.replace(month=1, day=1), end=last)
    months_start = (last.replace(day=1) - datetime.timedelta(days=335)).replace(day=1)
    trend = uses_over_time(Period(start=months_start, end=last), step="month")
    channel_labels = Labels()
    channels = uses_by(year, "channel")
    proactive = proactive_by_group(year)
    groups = group_labels()
    report = report_for(year)
    return {
        "last": last,
        "year": last.year,
        "uses": report.e_service_uses,
        "proactive_total": report.proactive_total,
        "certificates_issued": report.certificates_issued,
        "certificates_verified": report.certificates_verified,
        "proactive": [(groups[group], proactive[group]) for group in PROACTIVE_GROUPS],
        "charts": [
            _suppressed_chart(
                Chart(
                    key="uses-by-month",
                    title=_("E-service uses by month"),
                    kind="bar",
                    category=_("Month"),
                    labels=[month_year(start) for start, _n in trend],
                    series=[Series(_("Uses"), [n for _s, n in trend])],
                )
            ),
            _suppressed_chart(
                Chart(
                    key="uses-by-channel",
                    title=_("E-service uses in %(year)s by channel") % {"year": last.year},
                    kind="bar",
                    category=_("Channel"),
                    labels=[channel_labels.channel(code) for code, _n in channels],
                    series=[Series(_("Uses"), [n for _c, n in channels])],
                    horizontal=True,
                )
            ),
        ],
        "suppressed_below": SUPPRESSED_BELOW,
    }


def _suppressed_chart(chart: Chart) -> Chart:
    """Counts from 1 to 9 are not published: the chart draws nothing, the table says so."""
    for series in chart.series:
        series.values = [
            None if value is not None and 0 < value < SUPPRESSED_BELOW else value
            for value in series.values
        ]
    chart.formats = ["suppressed"] * len(chart.series)
    return chart


# --- Open data -------------------------------------------------------------------------------


@replica_reads
def open_data(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "stats/open_data.html",
        {"years": opendata.years_published(), "licence": opendata.LICENCE},
    )


@replica_reads
def datapackage(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(
        opendata.datapackage(opendata.years_published()), json_dumps_params={"ensure_ascii": False}
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def open_data_file(request: HttpRequest, year: int, fmt: str) -> StreamingHttpResponse:
    if fmt not in ("csv", "json") or year not in opendata.years_published():
        raise Http404
    if fmt == "csv":
        response = StreamingHttpResponse(
            opendata.csv_chunks(year), content_type="text/csv; charset=utf-8"
        )
    else:
        response = StreamingHttpResponse(
            opendata.json_chunks(year), content_type="application/json; charset=utf-8"
        )
    download_headers_set(
        response, name=f"usage-{year}", content_type=response["Content-Type"], inline=True
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


# --- The analysts' dashboard ---------------------------------------------------------------------


@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not actor_roles(request.user) & DASHBOARD_ROLES:
        raise PermissionDenied
    form = PeriodForm(request.GET if "start" in request.GET else default_period())
    if not form.is_valid():
        return render(request, "stats/dashboard.html", {"form": form}, status=400)
    period = form.period()
    step = form.cleaned_data["step"]
    charts = _dashboard_charts(period, step)
    wanted = request.GET.get("csv", "")
    if wanted:
        chart = next((c for c in charts if c.key == wanted), None)
        if chart is None:
            raise Http404
        response = HttpResponse(chart.csv())
        name = f"meis-{chart.key}-{period.start.isoformat()}-{period.end.isoformat()}"
        download_headers_set(response, name=name, content_type="text/csv; charset=utf-8")
        return response
    year = Period(
        start=period.end.replace(month=1, day=1),
        end=period.end,
        region=period.region,
        centre=period.centre,
    )
    return render(
        request,
        "stats/dashboard.html",
        {
            "form": form,
            "period": period,
            "uses": uses_total(period),
            "uses_year": uses_total(year),
            "year": period.end.year,
            "charts": charts,
            "query": request.GET.urlencode(),
            "extent": extent(),
            "employment": register_counts(on=timezone.localdate()),
            "disability": disability_counts(on=timezone.localdate()),
        },
    )


# The employment service's register (issue 16): what changed in the period, from usage events.
EMPLOYMENT_KINDS = (
    UsageKind.JOB_SEEKER_REGISTERED,
    UsageKind.JOB_SEEKER_ENDED,
    UsageKind.VACANCY_POSTED,
    UsageKind.VACANCY_CLOSED,
    UsageKind.REFERRAL,
    UsageKind.PLACEMENT,
)


def _employment_chart(period: Period) -> Chart:
    registered = dict(uses_by(period, "outcome", kinds=[UsageKind.JOB_SEEKER_REGISTERED]))
    kinds = [kind for kind in EMPLOYMENT_KINDS if kind != UsageKind.JOB_SEEKER_REGISTERED]
    rows: list[tuple[str, int]] = [
        (str(_("Registered as unemployed")), registered.get("unemployed", 0)),
        (str(_("Registered as job seekers")), registered.get("job_seeker", 0)),
    ]
    rows += [(str(kind.label), kind_total(period, kind)) for kind in kinds]
    return Chart(
        key="employment",
        title=_("Employment service: registrations, vacancies and placements"),
        kind="bar",
        category=_("What happened"),
        labels=[label for label, _n in rows],
        series=[Series(_("Number"), [n for _label, n in rows])],
        horizontal=True,
    )


def _dashboard_charts(period: Period, step: str) -> list[Chart]:
    labels = Labels()
    over_time = uses_over_time(period, step=step)
    services = uses_by(period, "service_code")
    channels = uses_by(period, "channel")
    regions = uses_by(period, "region")
    proactive = proactive_by_group(period)
    groups = group_labels()
    issued = dict(uses_by(period, "service_code", kinds=[UsageKind.CERTIFICATE_ISSUED]))
    checked = dict(uses_by(period, "service_code", kinds=[UsageKind.CERTIFICATE_VERIFIED]))
    certificate_codes = sorted(set(issued) | set(checked), key=lambda c: -issued.get(c, 0))
    by_service = decision_timeliness(period, by="service_code")
    by_centre = decision_timeliness(period, by="centre_code")
    calls = volumes(period, UsageKind.CALL, by="service_code")
    walk_in = volumes(period, UsageKind.TICKET, by="centre_code")
    call_backs = callbacks(period)
    step_titles = {
        "day": _("E-service uses by day"),
        "week": _("E-service uses by week"),
        "month": _("E-service uses by month"),
    }
    return [
        Chart(
            key="uses-over-time",
            title=step_titles[step],
            kind="line" if len(over_time) > 31 else "bar",
            category=_("Period"),
            labels=[_step_label(start, step) for start, _n in over_time],
            series=[Series(_("Uses"), [n for _s, n in over_time])],
        ),
        Chart(
            key="uses-by-service",
            title=_("E-service uses by service"),
            kind="bar",
            category=_("E-service"),
            labels=[labels.service(code) for code, _n in services],
            series=[Series(_("Uses"), [n for _c, n in services])],
            horizontal=True,
            plotted_rows=TOP_SERVICES,
        ),
        Chart(
            key="uses-by-channel",
            title=_("E-service uses by channel"),
            kind="bar",
            category=_("Channel"),
            labels=[labels.channel(code) for code, _n in channels],
            series=[Series(_("Uses"), [n for _c, n in channels])],
            horizontal=True,
        ),
        Chart(
            key="uses-by-region",
            title=_("E-service uses by economic region"),
            kind="bar",
            category=_("Region"),
            labels=[labels.region(code) for code, _n in regions],
            series=[Series(_("Uses"), [n for _c, n in regions])],
            horizontal=True,
        ),
        Chart(
            key="proactive",
            title=_("Assigned without an application"),
            kind="bar",
            category=_("What was assigned"),
            labels=[groups[group] for group in PROACTIVE_GROUPS],
            series=[Series(_("Assignments"), [proactive[group] for group in PROACTIVE_GROUPS])],
            horizontal=True,
        ),
        Chart(
            key="certificates",
            title=_("E-certificates issued and checked"),
            kind="bar",
            category=_("Certificate"),
            labels=[labels.service(code) for code in certificate_codes],
            series=[
                Series(_("Issued"), [issued.get(code, 0) for code in certificate_codes]),
                Series(_("Checked"), [checked.get(code, 0) for code in certificate_codes]),
            ],
            horizontal=True,
        ),
        _timeliness_chart(
            "decisions-by-service",
            _("Decisions within the legal deadline, by service"),
            _("E-service"),
            [(labels.service(row.key), row) for row in by_service],
        ),
        _timeliness_chart(
            "decisions-by-centre",
            _("Decisions within the legal deadline, by centre"),
            _("Centre"),
            [(labels.centre(row.key), row) for row in by_centre],
        ),
        Chart(
            key="calls",
            title=_("Calls to 142 by topic"),
            kind="bar",
            category=_("Topic"),
            labels=[labels.topic(row.key) for row in calls],
            series=[
                Series(_("Calls"), [row.count for row in calls]),
                Series(
                    _("Average length, minutes"),
                    [_minutes(row.average_seconds) for row in calls],
                ),
            ],
            horizontal=True,
            formats=["count", "decimal"],
            plotted_series=1,
        ),
        _callbacks_chart(call_backs, labels),
        _employment_chart(period),
        Chart(
            key="walk-in",
            title=_("Walk-in visitors and their wait, by centre"),
            kind="bar",
            category=_("Centre"),
            labels=[labels.centre(row.key) for row in walk_in],
            series=[
                Series(_("Visitors called"), [row.count for row in walk_in]),
                Series(
                    _("Average wait, minutes"),
                    [_minutes(row.average_seconds) for row in walk_in],
                ),
            ],
            horizontal=True,
            formats=["count", "decimal"],
            plotted_series=1,
        ),
    ]


def _callbacks_chart(rows: list[Callbacks], labels: Labels) -> Chart:
    """Call backs by topic, and all topics together in the table's last row (not drawn)."""
    table = [(labels.topic(row.key), row) for row in rows]
    if rows:
        table.append((_("All topics"), sum(rows[1:], rows[0])))
    return Chart(
        key="call-backs",
        title=_("Call backs promised on 142 calls, by topic"),
        kind="bar",
        category=_("Topic"),
        labels=[label for label, _row in table],
        series=[
            Series(_("Promised"), [row.requested for _l, row in table]),
            Series(_("Called back"), [row.done for _l, row in table]),
            Series(_("Called back by the deadline"), [row.on_time for _l, row in table]),
            Series(_("Not reached"), [row.unreachable for _l, row in table]),
            Series(
                _("Average wait for the call back, hours"),
                [_hours(row.average_wait_seconds) for _l, row in table],
            ),
        ],
        horizontal=True,
        formats=["count", "count", "count", "count", "decimal"],
        plotted_series=3,
        plotted_rows=len(rows),
        note=_(
            "MEİS has no telephone exchange, so it does not know how long a caller waited for "
            "142 to answer. The wait here runs from the promise of a call back to the call that "
            "reached the person; a call back is due by the end of the next working day."
        ),
    )


def _hours(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 3600, 1)


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def _timeliness_chart(key: str, title: str, category: str, rows: list) -> Chart:  # type: ignore[type-arg]
    return Chart(
        key=key,
        title=title,
        kind="bar",
        category=category,
        labels=[label for label, _row in rows],
        series=[
            Series(
                _("Within the deadline, %"),
                [
                    None if row.on_time_share is None else round(100 * row.on_time_share, 1)
                    for _l, row in rows
                ],
            ),
            Series(_("Decisions"), [row.decisions for _l, row in rows]),
            Series(_("Median, working days"), [row.median_working_days for _l, row in rows]),
        ],
        horizontal=True,
        formats=["decimal", "count", "decimal"],
        plotted_series=1,
    )
