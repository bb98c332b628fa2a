"""Reading shipping templates and pickup points: the terms the fee reads, for
many storefronts in four queries; a template's groups; the pickup points each
storefront's buyers may choose; the points a user keeps."""

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Q, QuerySet

from accounts.selectors import scoped
from farmers.models import Farmer
from shipping.fees import DEFAULT_TERMS, Terms
from shipping.models import PickupPoint, ShippingTemplate


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


def offers_pickup(farmer_id: int) -> bool:
    return ShippingTemplate.objects.filter(
        farmer_id=farmer_id, offers_pickup=True
    ).exists()


def pickup_choices(farmer_ids: Iterable[int]) -> dict[int, list[PickupPoint]]:
    """The open pickup points of each storefront's county, for the storefronts
    that offer pickup (the others have none). Two queries."""
    counties = dict(
        Farmer.objects.filter(
            pk__in=set(farmer_ids), shipping_template__offers_pickup=True
        ).values_list("pk", "household__village__county_id")
    )
    points: dict[int, list[PickupPoint]] = {}
    for point in PickupPoint.objects.filter(
        county_id__in=set(counties.values()), active=True
    ):
        points.setdefault(point.county_id, []).append(point)
    return {farmer: points.get(county, []) for farmer, county in counties.items()}


def pickup_points_visible_to(user) -> QuerySet[PickupPoint]:
    """Staff: every point; officials: their counties' points."""
    return scoped(
        PickupPoint.objects.select_related("county"),
        user,
        official=lambda u: Q(county__officials=u),
    )
