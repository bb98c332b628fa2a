"""Reading shipping templates: the terms the fee reads, for many storefronts
in three queries, and one storefront's template with its groups for its page."""

from collections.abc import Iterable

from shipping.fees import DEFAULT_TERMS, Terms
from shipping.models import RateProvince, ShippingTemplate


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


def templates() -> "ShippingTemplate.objects":
    return ShippingTemplate.objects.prefetch_related(
        "rates__provinces", "not_delivered"
    )


def terms_for(farmer_ids: Iterable[int]) -> dict[int, Terms]:
    """Each storefront's terms; the default for one with no template saved (a
    storefront bulk-loaded, never opened through the models). Four queries."""
    farmer_ids = set(farmer_ids)
    saved = {
        template.farmer_id: terms_of(template)
        for template in templates().filter(farmer_id__in=farmer_ids)
    }
    return {farmer_id: saved.get(farmer_id, DEFAULT_TERMS) for farmer_id in farmer_ids}


def template_groups(template: ShippingTemplate) -> list[tuple[object, list[str]]]:
    """A template's rates, each with its provinces' codes, in order."""
    codes: dict[int, list[str]] = {}
    for link in RateProvince.objects.filter(template=template).order_by("province"):
        codes.setdefault(link.rate_id, []).append(link.province_id)
    return [(rate, codes.get(rate.pk, [])) for rate in template.rates.all()]
