"""Template tags for report tables: a whole cell from Python, one tag per cell,
where an {% include %} per cell cost most of a large report's rendering; and a
summary figure's value, written by the same rule as a cell."""

from django import template
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.translation import gettext as _

from common.templatetags import UNKNOWN, money
from reports.definitions import FLAG, PERCENT, YUAN

register = template.Library()


def _text(kind: str, value, bar: int | None = None):
    """A value as text by its kind; `bar`: the width of a GMV bar, per cent."""
    if value is None:
        return UNKNOWN
    if bar is not None:
        return format_html(
            '<span class="cell-bar" style="width: {}%"></span>{}', bar, money(value)
        )
    if kind == YUAN:
        return money(value)
    if kind == PERCENT:
        return format_html("{}%", localize(value))
    if kind == FLAG:
        if value:
            return format_html('<span class="badge ok">{}</span>', _("Yes"))
        return _("No")
    return localize(value)


@register.simple_tag
def report_cell(table, column, row: dict):
    """A row's cell for a column: its value to sort by, and its text."""
    value = row.get(column.key)
    bar = None
    if column.key == "gmv" and table.peak and value is not None:
        bar = round(float(value) / float(table.peak) * 100)
    return format_html(
        '<td data-value="{}">{}</td>',
        "" if value is None else localize(value),
        _text(column.kind, value, bar),
    )


@register.simple_tag
def report_figure(figure):
    """A summary figure's value."""
    return _text(figure.kind, figure.value)
