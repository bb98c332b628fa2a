"""What each kind of notification says, rendered when shown (in the reader's
language) or e-mailed (in the site's language, LANGUAGE_CODE)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.models import Notification

K = Notification.Kind


@dataclass(frozen=True)
class Message:
    title: str
    text: str
    url: str


def render(notification: Notification) -> Message:
    order = notification.order
    url = reverse("orders:detail", args=[order.pk]) if order else ""
    title = notification.get_kind_display()
    if notification.kind == K.FARMER_NEEDS_HELP:
        from assistants.dashboard import help_rule_labels

        farmer = notification.farmer
        text = _("%(shop)s needs help: %(reason)s.") % {
            "shop": farmer.shop_name,
            "reason": help_rule_labels().get(notification.reason, notification.reason),
        }
        url = reverse("assistants:farmer_detail", args=[farmer.pk])
    elif notification.kind == K.ORDER_PAID:
        text = _(
            "Order %(number)s (¥%(total)s) is paid. Please ship it within 48 hours."
        ) % {
            "number": order.number,
            "total": order.total,
        }
    elif notification.kind == K.FARMER_ORDER_PAID:
        text = _("%(shop)s has a paid order %(number)s (¥%(total)s) to ship.") % {
            "shop": order.farmer.shop_name,
            "number": order.number,
            "total": order.total,
        }
    else:
        shipment = getattr(order, "shipment", None)
        text = _(
            "Your order %(number)s from %(shop)s has shipped: %(carrier)s, "
            "tracking number %(tracking)s."
        ) % {
            "number": order.number,
            "shop": order.farmer.shop_name,
            "carrier": shipment.carrier if shipment else "",
            "tracking": shipment.tracking_number if shipment else "",
        }
    return Message(title=str(title), text=text, url=url)
