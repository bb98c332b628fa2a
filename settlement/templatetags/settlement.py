"""Template tags of settlement: the farmer's earnings in brief, for pages other
apps render (the farmer's home), which load it by name and so import nothing."""

from django import template

from settlement.selectors import earnings_of

register = template.Library()


@register.inclusion_tag("settlement/_earnings_summary.html")
def earnings_summary(farmer):
    """This month's earnings and payouts and the balances, with a link."""
    return {"earnings": earnings_of(farmer)}
