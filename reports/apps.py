"""App configuration for reports."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from orders.signals import sale_changed
        from reports import receivers, signals

        sale_changed.connect(
            receivers.order_sale_changed, dispatch_uid="reports.sale_changed"
        )
        signals.export_requested.connect(receivers.export_requested)
