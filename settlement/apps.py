"""App configuration for settlement: the ledger posts from the orders app's money
signals (settlement.receivers), and the payout notifications' texts are
registered with notifications."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SettlementConfig(AppConfig):
    name = "settlement"
    verbose_name = _("Settlement")

    def ready(self):
        from notifications.messages import register
        from notifications.models import Notification
        from settlement import receivers, selectors

        receivers.connect()
        kind = Notification.Kind
        register(kind.PAYOUT_SENT, selectors.payout_sent_message, selectors.payout_sms)
        register(
            kind.PAYOUT_HELD, selectors.payout_held_message, selectors.payout_held_sms
        )
        register(kind.PAYOUT_FAILED, selectors.payout_failed_message)
        register(kind.PAYOUT_ACCOUNT_TO_CHECK, selectors.payout_account_message)
