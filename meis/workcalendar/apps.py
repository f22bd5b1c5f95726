from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkCalendarConfig(AppConfig):
    """Legal time: the national working-day calendar, centre closures, deadline arithmetic.

    The package is `meis.workcalendar`, not `meis.calendar`: `meis/manage.py` lives inside the
    `meis` directory, so `python meis/manage.py` puts that directory first on `sys.path`, where a
    `calendar` package would shadow the standard library's `calendar` module (used by `email`,
    `http.cookiejar` and Django itself). See docs/adr/0009-legal-calendar.md.
    """

    name = "meis.workcalendar"
    label = "workcalendar"
    verbose_name = _("Legal calendar")
