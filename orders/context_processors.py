"""`ship_within_hours` in every template: the shipping limit that order pages and
the dashboards name (orders.selectors.SHIP_WITHIN_HOURS)."""

from orders.selectors import SHIP_WITHIN_HOURS


def shipping_limit(request) -> dict:
    return {"ship_within_hours": SHIP_WITHIN_HOURS}
