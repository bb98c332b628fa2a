"""The one rounding rule: half up (四舍五入) to the fen, for Decimals, floats and
the template filters."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from common.money import round_half_up, to_fen
from reports.definitions import growth, money, ratio


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1585.305"), Decimal("1585.31")),  # to even would give .30
        (Decimal("0.125"), Decimal("0.13")),
        (Decimal("2.675"), Decimal("2.68")),
        (Decimal("-0.005"), Decimal("-0.01")),
        (1585.305, Decimal("1585.31")),  # a float from SQLite, read as written
        (2.675, Decimal("2.68")),  # its binary value is 2.67499…
        (None, Decimal("0.00")),
        (Decimal("3"), Decimal("3.00")),
    ],
)
def test_money_rounds_half_up_to_the_fen(value, expected):
    assert to_fen(value) == expected
    assert str(to_fen(value)) == str(expected)


def test_report_arithmetic_rounds_half_up():
    # 3170.61 / 2 = 1585.305 exactly
    assert ratio(Decimal("3170.61"), 2) == Decimal("1585.31")
    assert money(Decimal("0.125")) == Decimal("0.13")
    # 1 / 8 × 100 = 12.5 per cent to the fen; growth to a tenth: 0.25 → 0.3
    assert ratio(1, 8, 100) == Decimal("12.50")
    assert growth(Decimal("100.25"), Decimal("100")) == Decimal("0.3")
    assert growth(Decimal("100.35"), Decimal("100")) == Decimal("0.4")
    assert round_half_up(Decimal("12.45"), Decimal("0.1")) == Decimal("12.5")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_money_filter_shows_two_places_and_never_none(language):
    template = Template(
        "{{ a|money }} {{ b|money }} {{ c|money }} {{ d|amount }} {{ e|percent }}"
    )
    with translation.override(language):
        text = template.render(
            Context(
                {
                    "a": Decimal("742.800000000000"),
                    "b": Decimal("1585.305"),
                    "c": None,
                    "d": Decimal("1039.92000000000"),
                    "e": Decimal("12.45"),
                }
            )
        )
    assert text == "¥742.80 ¥1585.31 — 1039.92 12.5%"
