"""App configuration for settlement: the ledger posts from the orders app's money
signals (settlement.receivers), and the payout notifications' texts are
registered with notifications."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SettlementConfig(AppConfig):
    name = "settlement"
    verbose_name = _("Settlement")

    def ready(self):
        from settlement import receivers

        receivers.connect()
