"""The product page's shipping fee ({% product_shipping product %}): one unit
sent to the buyer's latest address's province, or, for a visitor (whose page
is cached for everyone), the storefront's fee for its first kilogram or piece.
It lives with the orders because the address book does; the catalogue's
template loads it by name."""

from decimal import Decimal

from django import template

from orders.selectors import addresses_of
from shipping.fees import Parcel, fee
from shipping.selectors import terms_for

register = template.Library()


@register.inclusion_tag("orders/_product_shipping.html", takes_context=True)
def product_shipping(context, product):
    request = context.get("request")
    user = getattr(request, "user", None)
    address = addresses_of(user).first() if user is not None else None
    terms = terms_for([product.farmer_id])[product.farmer_id]
    parcel = Parcel(weight_kg=product.net_weight_kg, pieces=1, goods=product.price)
    if address is None or address.province is None:
        base = Decimal("0.00") if terms.free_over == 0 else terms.first
        return {"to": None, "fee": base, "free_over": terms.free_over}
    return {
        "to": address.region.split()[0] if address.region else "",
        "fee": fee(terms, address.province, parcel),
        "delivers": address.province not in terms.not_delivered,
        "free_over": terms.free_over,
    }
