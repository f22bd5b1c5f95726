from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "meis.stats"  # not "statistics": that is the standard library's module
    verbose_name = _("Statistics")
