from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "meis.monitoring"

    def ready(self) -> None:
        from meis.monitoring import checks  # noqa: F401 — registers the deployment check
