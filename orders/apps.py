"""App configuration for orders: an anonymous cart merges into the buyer's at
sign-in, and the order and reconciliation notifications' texts are registered
with notifications."""

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _


def _merge_cart(sender, request, user, **kwargs):
    from orders.services.cart import SESSION_KEY, cart_merge

    cart_id = request.session.pop(SESSION_KEY, None) if request else None
    if cart_id:
        cart_merge(anonymous_cart_id=cart_id, buyer=user)


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Orders")

    def ready(self):
        from notifications.messages import register
        from notifications.models import Notification
        from orders import (
            checks,  # noqa: F401  (registers the system checks)
            selectors,
        )

        user_logged_in.connect(_merge_cart, dispatch_uid="orders.merge_cart")
        kind = Notification.Kind
        register(
            kind.ORDER_PAID, selectors.order_paid_message, selectors.order_paid_sms
        )
        register(kind.SHIP_SOON, selectors.ship_soon_message, selectors.ship_soon_sms)
        register(kind.FARMER_ORDER_PAID, selectors.farmer_order_paid_message)
        register(
            kind.ORDER_SHIPPED,
            selectors.order_shipped_message,
            selectors.order_shipped_sms,
        )
        register(kind.ORDER_COMPLETES_SOON, selectors.order_completes_soon_message)
        register(kind.PAYMENTS_TO_CHECK, selectors.payments_to_check_message)
        register(kind.REFUND_FAILED, selectors.refund_failed_message)
