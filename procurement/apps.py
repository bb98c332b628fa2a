"""App configuration for work units: their admins and buyers land on /units/,
notifications learn what an acceptance notice and a payment reminder say, a
unit's monthly purchases follow its decided orders' changes, and the receipt
font is checked."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = _("Work units")

    def ready(self):
        from accounts.selectors import home_rule_register
        from notifications.messages import register
        from notifications.models import Notification
        from orders.buyers import buyer_rule_register
        from orders.signals import sale_changed
        from procurement import checks  # noqa: F401 (registers the system check)
        from procurement.messages import (
            goods_decided_message,
            payment_overdue_message,
        )
        from procurement.selectors import home_for, unit_orders_stay_the_units
        from procurement.services.purchases import unit_purchases_follow

        sale_changed.connect(unit_purchases_follow, dispatch_uid="unit_purchases")
        home_rule_register(home_for)
        buyer_rule_register(unit_orders_stay_the_units)
        register(Notification.Kind.UNIT_GOODS_DECIDED, goods_decided_message)
        register(Notification.Kind.UNIT_PAYMENT_OVERDUE, payment_overdue_message)
