"""App configuration for orders: an anonymous cart merges into the buyer's at
sign-in."""

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _


def _merge_cart(sender, request, user, **kwargs):
    from orders.cart import SESSION_KEY, cart_merge

    cart_id = request.session.pop(SESSION_KEY, None) if request else None
    if cart_id:
        cart_merge(anonymous_cart_id=cart_id, buyer=user)


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Orders")

    def ready(self):
        user_logged_in.connect(_merge_cart, dispatch_uid="orders.merge_cart")
