"""A product's rating as the catalogue keeps it (for its pages and the "best
rated" sort): the reviews app hands down the average and number of the
reviews it shows."""

from decimal import Decimal

from catalogue.models import Product
from common.money import round_half_up


def product_rating_set(*, product_id: int, average, count: int) -> None:
    """Store the product's shown reviews' average (to two places, half up;
    none without reviews) and number."""
    Product.objects.filter(pk=product_id).update(
        rating=round_half_up(average, Decimal("0.01")) if count else None,
        ratings=count,
    )
