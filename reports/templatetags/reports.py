"""Template filters for report tables."""

from django import template

register = template.Library()


@register.filter
def get_item(row: dict, key: str):
    """A table row's value for a column key."""
    return row.get(key)
