"""Goods that came back while their order stands (refused at a unit's
acceptance): back in stock, and recorded on the line, so a later cancel or
refund of the order restocks only the rest. The sold count keeps them, as it
counts the units of orders paid and kept (products_recount_sold's rule)."""

from django.db import transaction
from django.db.models import F

from catalogue.services.stock import stock_return
from orders.models import OrderLine


@transaction.atomic
def lines_returned(*, returned: dict[int, int]) -> None:
    """`returned[line id]` units of each line are back; lines by primary key,
    then their products by primary key (stock_return), as every path locks."""
    lines = dict(
        OrderLine.objects.filter(pk__in=returned).values_list("pk", "product_id")
    )
    for pk in sorted(returned):
        OrderLine.objects.filter(pk=pk).update(returned=F("returned") + returned[pk])
    stock_return(
        lines=[(lines[pk], n) for pk, n in returned.items() if n], were_sold=False
    )
