"""Money and percentages: one rounding rule for every figure the platform shows,
stores, exports or serves. Amounts are yuan to the fen, rounded half up (四舍五入),
never to even; a float (SQLite hands some aggregates back as floats) is read by its
shortest decimal form, so 1585.305 stays 1585.305 before it is rounded."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DecimalField

CENT = Decimal("0.01")
TENTH = Decimal("0.1")
# A stored amount of money: its DecimalField's options (yuan, to the fen).
MONEY = {"max_digits": 12, "decimal_places": 2}
# A stored sum of many amounts (the summary tables): two digits more.
MONEY_TOTAL = {"max_digits": 14, "decimal_places": 2}
# The output type of a database sum of amounts (Sum(..., output_field=…)).
TOTAL_FIELD = DecimalField(**MONEY_TOTAL)


def decimal(value) -> Decimal:
    """`value` as a Decimal; None is 0."""
    if value is None:
        return Decimal("0")
    if isinstance(value, float):
        return Decimal(repr(value))
    return value if isinstance(value, Decimal) else Decimal(value)


def round_half_up(value, places: Decimal = CENT) -> Decimal:
    """`value` rounded half up to `places` (the fen unless told)."""
    return decimal(value).quantize(places, rounding=ROUND_HALF_UP)


def to_fen(value) -> Decimal:
    """An amount of yuan to the fen, half up; None is ¥0.00."""
    return round_half_up(value, CENT)
