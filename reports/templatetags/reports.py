"""Template tags for report tables: a whole cell from Python, one tag per cell,
where an {% include %} per cell cost most of a large report's rendering."""

from django import template
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.translation import gettext as _

from config.templatetags import amount, money
from reports.definitions import FLAG, MONEY, PERCENT

register = template.Library()


def _text(table, column, value):
    if value is None:
        return "—"
    if column.key == "gmv" and table.peak:
        width = round(float(value) / float(table.peak) * 100)
        return format_html(
            '<span class="cell-bar" style="width: {}%"></span>¥{}',
            width,
            amount(value),
        )
    if column.kind == MONEY:
        return money(value)
    if column.kind == PERCENT:
        return format_html("{}%", localize(value))
    if column.kind == FLAG:
        if value:
            return format_html('<span class="badge ok">{}</span>', _("Yes"))
        return _("No")
    return localize(value)


@register.simple_tag
def report_cell(table, column, row: dict):
    """A row's cell for a column: its value to sort by, and its text."""
    value = row.get(column.key)
    return format_html(
        '<td data-value="{}">{}</td>',
        "" if value is None else localize(value),
        _text(table, column, value),
    )
