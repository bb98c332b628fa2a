"""The product page's shipping fee ({% parcel_shipping farmer weight price %}, each
visitor's own part of the page: common.page_cache): one unit sent to the buyer's
latest address's province, or, for a visitor without an address, the
storefront's fee for its first kilogram or piece.
It lives with the orders because the address book does; the catalogue's
template loads it by name."""

from decimal import Decimal

from django import template

from orders.selectors import addresses_of
from shipping.fees import Parcel, fee
from shipping.selectors import terms_for

register = template.Library()


@register.inclusion_tag("orders/_product_shipping.html", takes_context=True)
def parcel_shipping(context, farmer, weight, price):
    """One unit of `weight` kg and `price` (numbers, or their text: the page
    cache keeps them as text) from `farmer`'s storefront (an id)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    address = addresses_of(user).first() if user is not None else None
    farmer = int(farmer)
    terms = terms_for([farmer])[farmer]
    parcel = Parcel(weight_kg=Decimal(str(weight)), pieces=1, goods=Decimal(str(price)))
    if address is None or address.province is None:
        base = Decimal("0.00") if terms.free_over == 0 else terms.first
        return {"to": None, "fee": base, "free_over": terms.free_over}
    return {
        "to": address.region.split()[0] if address.region else "",
        "fee": fee(terms, address.province, parcel),
        "delivers": address.province not in terms.not_delivered,
        "free_over": terms.free_over,
    }
