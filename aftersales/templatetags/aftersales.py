"""The order page's after-sales part ({% order_aftersales order %}): the
order's cases, and for its buyer the way to ask. The orders' template loads it
by name, so orders import nothing of after-sales."""

from django import template

from aftersales.selectors import may_ask

register = template.Library()


@register.inclusion_tag("aftersales/_order.html", takes_context=True)
def order_aftersales(context, order):
    request = context.get("request")
    user = getattr(request, "user", None)
    is_buyer = user is not None and user.pk == order.buyer_id
    return {
        "order": order,
        "cases": order.aftersales.all(),
        "can_ask": is_buyer and may_ask(order),
    }
