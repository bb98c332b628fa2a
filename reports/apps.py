"""App configuration for reports: the report definitions register for exports."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from reports import (  # noqa: F401 - they register their exports
            income,
            performance,
            sales,
            targeting,
            training_effect,
        )
