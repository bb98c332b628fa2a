"""The shipping fee against a table of cases written here: weights rounded up
to whole kilograms (at least one), by piece, groups of provinces at their own
prices, the free-shipping threshold, and provinces not delivered to."""

from decimal import Decimal

import pytest

from shipping.fees import Parcel, Terms, fee
from shipping.models import ChargeBy

D = Decimal
BY_WEIGHT = Terms(
    charge_by=ChargeBy.WEIGHT,
    first=D("8.00"),
    additional=D("4.00"),
    free_over=D("99.00"),
    groups={"540000": (D("20.00"), D("12.00")), "650000": (D("20.00"), D("12.00"))},
    not_delivered=frozenset({"810000"}),
)
BY_PIECE = Terms(charge_by=ChargeBy.PIECE, first=D("6.00"), additional=D("1.50"))
FREE = Terms(
    charge_by=ChargeBy.WEIGHT, first=D("8.00"), additional=D("4.00"), free_over=D(0)
)

CASES = [
    # terms, province, kg, pieces, goods, fee
    (BY_WEIGHT, "110000", "0.500", 1, "30.00", "8.00"),  # under 1 kg is 1 kg
    (BY_WEIGHT, "110000", "1.000", 1, "30.00", "8.00"),
    (BY_WEIGHT, "110000", "1.001", 1, "30.00", "12.00"),  # a gram over: 2 kg
    (BY_WEIGHT, "110000", "5.000", 2, "98.99", "24.00"),  # 8 + 4 × 4
    (BY_WEIGHT, "110000", "5.000", 2, "99.00", "0.00"),  # the threshold reached
    (BY_WEIGHT, "540000", "2.500", 1, "30.00", "44.00"),  # Tibet: 20 + 12 × 2
    (BY_WEIGHT, "650000", "0.200", 1, "150.00", "0.00"),  # free to a group too
    (BY_WEIGHT, "810000", "1.000", 1, "30.00", None),  # Hong Kong: not delivered
    (BY_WEIGHT, "810000", "1.000", 1, "150.00", None),  # not even above it
    (BY_PIECE, "440000", "30.000", 1, "30.00", "6.00"),  # the weight is not read
    (BY_PIECE, "440000", "0.100", 3, "30.00", "9.00"),  # 6 + 1.50 × 2
    (BY_PIECE, "440000", "0.100", 0, "0.00", "6.00"),  # at least one piece
    (FREE, "110000", "40.000", 9, "1.00", "0.00"),  # free from ¥0: always
]


@pytest.mark.parametrize("terms, province, kg, pieces, goods, expected", CASES)
def test_the_fee_of_each_case(terms, province, kg, pieces, goods, expected):
    parcel = Parcel(weight_kg=D(kg), pieces=pieces, goods=D(goods))
    got = fee(terms, province, parcel)
    assert got == (None if expected is None else D(expected))
    if got is not None:
        assert got.as_tuple().exponent == -2  # to the fen
