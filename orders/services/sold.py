"""The products' sold counts: a paid order's units added, and every count
recomputed from the orders after a bulk load."""

from django.db.models import OuterRef, Sum

from catalogue.services.stock import units_sold_add, units_sold_recount
from orders.models import SOLD, Order, OrderLine


def count_sold(orders: list[Order]) -> None:
    """Add paid orders' units to their products' sold counts, product rows in
    primary-key order across all the orders (as checkout locks them)."""
    per_product = (
        OrderLine.objects.filter(order__in=orders)
        .values("product_id")
        .annotate(units=Sum("quantity"))
        .order_by("product_id")
    )
    units_sold_add(lines=per_product.values_list("product_id", "units"))


def products_recount_sold() -> int:
    """Recompute every product's sold count from the orders, set-based (after bulk
    loads such as seed_demo's). Returns the number of products updated."""
    sold = (
        OrderLine.objects.filter(product=OuterRef("pk"), order__status__in=SOLD)
        .values("product")
        .annotate(units=Sum("quantity"))
        .values("units")
    )
    return units_sold_recount(sold=sold)
