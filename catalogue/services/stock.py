"""Stock, in one place: lock listings before taking from them, take, put back, and
count what is sold. Every write is one UPDATE per product row, in primary-key
order, so two checkouts that share products wait for each other instead of
deadlocking. The orders app says what to take or return; the rules are here."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from catalogue.models import Product


def stock_as_seen(product: Product, fields: dict, stock_seen: int | None) -> None:
    """A form sends back the stock it showed (`stock_seen`). Left as it was, it is
    not a change (sales since then must not be undone); changed while sales moved
    it, it is refused so the farmer sees the real figure first."""
    if stock_seen is None or "stock" not in fields:
        return
    if fields["stock"] == stock_seen:
        del fields["stock"]
    elif product.stock != stock_seen:
        raise ValidationError(
            _(
                "The stock changed while you were editing (orders came in): it is "
                "now %(stock)s. Check it and save again."
            )
            % {"stock": product.stock},
            code="stock_changed",
        )


def stock_lock(product_ids: Iterable[int]) -> dict[int, Product]:
    """Lock the rows in primary-key order, for reading the stock that is about to
    be taken (inside the caller's transaction)."""
    rows = (
        Product.objects.select_for_update(of=("self",))
        .select_related("farmer__user", "farmer__household__village")
        .filter(pk__in=sorted(product_ids))
        .order_by("pk")
    )
    return {product.pk: product for product in rows}


def stock_take(*, product_id: int, quantity: int) -> None:
    """Take `quantity` units; never below zero (a ValidationError instead of a
    silent oversell)."""
    taken = Product.objects.filter(pk=product_id, stock__gte=quantity).update(
        stock=F("stock") - quantity
    )
    if taken != 1:
        raise ValidationError(_("Out of stock."), code="stock")


def stock_return(*, lines: Iterable[tuple[int, int]], were_sold: bool) -> None:
    """Put (product id, quantity) lines back, and off the sold count when they
    were counted as sold."""
    for product_id, quantity in sorted(lines):
        Product.objects.filter(pk=product_id).update(
            stock=F("stock") + quantity,
            units_sold=F("units_sold") - (quantity if were_sold else 0),
        )


def units_sold_add(*, lines: Iterable[tuple[int, int]]) -> None:
    """Add (product id, units) to the sold counts."""
    for product_id, units in sorted(lines):
        Product.objects.filter(pk=product_id).update(units_sold=F("units_sold") + units)


def units_sold_recount(*, sold: QuerySet) -> int:
    """Set every product's sold count from `sold`, a subquery of one product's
    units sold (OuterRef("pk")), set-based (after bulk loads such as the demo's).
    Returns the number of products updated."""
    return Product.objects.update(units_sold=Coalesce(Subquery(sold), 0))
