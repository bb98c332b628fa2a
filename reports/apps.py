"""App configuration for reports."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import post_delete, post_save

        from common.signals import records_written
        from orders.signals import sale_changed
        from reports import receivers, signals
        from reports.registry import REPORTS

        sale_changed.connect(
            receivers.order_sale_changed, dispatch_uid="reports.sale_changed"
        )
        signals.export_requested.connect(receivers.export_requested)
        # The records the cached reports read (reports.cache).
        for label in {label for report in REPORTS.values() for label in report.records}:
            model = apps.get_model(label)
            uid = f"reports.records.{label}"
            post_save.connect(receivers.record_saved, model, dispatch_uid=uid)
            post_delete.connect(receivers.record_saved, model, dispatch_uid=f"{uid}-")
            records_written.connect(
                receivers.record_saved, model, dispatch_uid=f"{uid}+"
            )
