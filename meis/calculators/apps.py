from django.apps import AppConfig


class CalculatorsConfig(AppConfig):
    """Public calculators and the `meis rules` command (thin over meis.rules)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "meis.calculators"
