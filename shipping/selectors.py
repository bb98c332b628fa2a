"""Reading shipping templates: the terms the fee reads, for many storefronts
in three queries, and one storefront's template with its groups for its page."""

from collections.abc import Iterable
from decimal import Decimal

from shipping.fees import DEFAULT_TERMS, Terms
from shipping.models import ShippingTemplate


def terms_of(template: ShippingTemplate) -> Terms:
    """A saved template as the fee reads it (its rates' provinces and the
    provinces it leaves out prefetched, or read here)."""
    groups = {
        link.province_id: (rate.first, rate.additional)
        for rate in template.rates.all()
        for link in rate.provinces.all()
    }
    return Terms(
        charge_by=template.charge_by,
        first=template.first,
        additional=template.additional,
        free_over=template.free_over,
        groups=groups,
        not_delivered=frozenset(p.pk for p in template.not_delivered.all()),
    )


def terms_for(farmer_ids: Iterable[int]) -> dict[int, Terms]:
    """Each storefront's terms; the default for one with no template saved (a
    storefront bulk-loaded, never opened through the models). Four queries."""
    farmer_ids = set(farmer_ids)
    saved = {
        template.farmer_id: terms_of(template)
        for template in ShippingTemplate.objects.filter(
            farmer_id__in=farmer_ids
        ).prefetch_related("rates__provinces", "not_delivered")
    }
    return {farmer_id: saved.get(farmer_id, DEFAULT_TERMS) for farmer_id in farmer_ids}


def groups_of(terms: Terms) -> list[tuple[tuple[str, ...], Decimal, Decimal]]:
    """A template's groups as (provinces' codes, first, additional): the
    provinces at the same prices together, by code."""
    by_price: dict[tuple, list[str]] = {}
    for code, price in sorted(terms.groups.items()):
        by_price.setdefault(price, []).append(code)
    return [(tuple(codes), *price) for price, codes in by_price.items()]
