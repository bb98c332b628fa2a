"""Template filters every template has without `{% load %}` (TEMPLATES builtins):
money and percentages shown through the one rounding rule (config.money)."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from config.money import CENT, round_half_up

register = template.Library()

# What a template shows for a figure that is not known (never a raw "None").
UNKNOWN = "—"


@register.filter
def money(value):
    """¥ and the amount to the fen, half up: `{{ order.total|money }}`."""
    if value is None or value == "":
        return UNKNOWN
    return f"¥{number_format(round_half_up(value, CENT), 2)}"


@register.filter
def amount(value):
    """The amount to the fen without the sign, for text that has its own ¥."""
    if value is None or value == "":
        return UNKNOWN
    return number_format(round_half_up(value, CENT), 2)


@register.filter
def percent(value, places=1):
    """A percentage to `places` decimals, half up, with its sign."""
    if value is None or value == "":
        return UNKNOWN
    places = int(places)
    return f"{number_format(round_half_up(value, Decimal(1).scaleb(-places)), places)}%"
