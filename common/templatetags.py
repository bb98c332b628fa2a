"""Template filters and tags every template has without `{% load %}` (TEMPLATES
builtins): money and percentages shown through the one rounding rule
(common.money); a place (`{% place %}`) and "label: value" (`{% labelled %}`) in
the reader's language's punctuation; and a visitor's own part of a page
(`{% per_visitor %}`, common.page_cache)."""

from decimal import Decimal

from django import template
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from common.money import CENT, round_half_up
from common.page_cache import own_part

register = template.Library()

# What a template shows for a figure that is not known (never a raw "None").
UNKNOWN = "—"


@register.filter
def money(value):
    """¥ and the amount to the fen, half up: `{{ order.total|money }}`."""
    shown = amount(value)
    return shown if shown == UNKNOWN else f"¥{shown}"


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


def _pattern(msgid: str, **values) -> str:
    """A translated pattern filled with escaped values (safe HTML)."""
    escaped = {name: conditional_escape(value) for name, value in values.items()}
    return mark_safe(conditional_escape(gettext(msgid)) % escaped)


@register.simple_tag
def place(village, county=None, link=False):
    """A village in its county (counties.models.place): `{% place village %}`;
    `county` for an order's county at the time of sale, `link=True` to link the
    county's public page."""
    county = county or village.county
    county_html = (
        format_html(
            '<a href="{}">{}</a>', reverse("county", args=[county.code]), county.label
        )
        if link
        else county.label
    )
    # counties.models.place's pattern, the county as HTML.
    return _pattern(
        "%(village)s, %(county)s", village=village.label, county=county_html
    )


@register.simple_tag
def labelled(label, *values, href="", strong=False):
    """`label: value` with the language's colon (full width in Chinese): a form
    error after its field (`href`: the field's id, linked), a fact after its name
    (`strong`: the label in bold). Several values are shown apart by " · "."""
    if href:
        label = format_html('<a href="#{}">{}</a>', href, label)
    if strong:
        label = format_html("<strong>{}</strong>", label)
    value = mark_safe(" · ".join(conditional_escape(value) for value in values))
    return _pattern("%(label)s: %(value)s", label=label, value=value)


@register.simple_tag(takes_context=True)
def per_visitor(context, name, **arguments):
    """The visitor's own part of a page: template `name` rendered with the page's
    context and `arguments` (plain values). On a page kept for every visitor
    (common.page_cache) it is rendered again for each, from `arguments` and the
    context processors alone."""
    template = context.template.engine.get_template(name)
    with context.push(**arguments):
        html = template.render(context)
    return own_part(context.get("request"), name, arguments, html)
