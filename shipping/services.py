"""Writing shipping templates: the default a storefront opens with, and a
template saved whole by the farmer or their assistant (checked, then written
in one transaction, and audited)."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role
from audit.models import AuditEvent
from audit.services import diff, record, snapshot
from common.money import to_fen
from counties.models import Division
from counties.selectors import counties_visible_to
from shipping.fees import DEFAULT_TERMS, Terms
from shipping.models import (
    ChargeBy,
    PickupPoint,
    RateProvince,
    ShippingRate,
    ShippingTemplate,
)
from shipping.selectors import groups_of, terms_of

FIELDS = (
    "charge_by",
    "first",
    "additional",
    "free_over",
    "not_delivered",
    "groups",
    "offers_pickup",
)
POINT_FIELDS = ("name", "kind", "address", "opening_hours", "phone", "active")


@dataclass(frozen=True)
class Group:
    """Destination provinces (codes) at one price."""

    provinces: tuple[str, ...]
    first: Decimal
    additional: Decimal


def _summary(terms: Terms) -> dict:
    """A template's terms as the audit trail keeps them: plain values, groups
    as "codes: first + additional"."""
    return {
        "charge_by": terms.charge_by,
        "first": to_fen(terms.first),
        "additional": to_fen(terms.additional),
        "free_over": None if terms.free_over is None else to_fen(terms.free_over),
        "not_delivered": sorted(terms.not_delivered),
        "groups": [
            f"{','.join(codes)}: {to_fen(first)} + {to_fen(additional)}"
            for codes, first, additional in groups_of(terms)
        ],
    }


def _check(terms: Terms, groups: list[Group]) -> None:
    """Refuse negative fees, a negative threshold, an unknown province, and a
    province in two groups or both in a group and left out."""
    errors = []
    prices = [terms.first, terms.additional] + [
        price for group in groups for price in (group.first, group.additional)
    ]
    if any(price < 0 for price in prices):
        errors.append(_("Shipping fees cannot be negative."))
    if terms.free_over is not None and terms.free_over < 0:
        errors.append(_("The free-shipping amount cannot be below ¥0."))
    named = [code for group in groups for code in group.provinces]
    named += list(terms.not_delivered)
    known = set(
        Division.objects.filter(
            pk__in=named, level=Division.Level.PROVINCE
        ).values_list("pk", flat=True)
    )
    if set(named) - known:
        errors.append(_("Choose provinces from the list."))
    seen, twice = set(), set()
    for code in named:
        (twice if code in seen else seen).add(code)
    if twice:
        names = Division.objects.filter(pk__in=twice).values_list("name", flat=True)
        errors.append(
            _("A province can be in only one group, and not also left out: %(names)s.")
            % {"names": "、".join(names)}
        )
    if any(not group.provinces for group in groups):
        errors.append(_("Choose at least one province for each group."))
    if terms.charge_by not in ChargeBy.values:
        errors.append(_("Choose how shipping is charged."))
    if errors:
        raise ValidationError(errors, code="invalid")


def _write(template: ShippingTemplate, terms: Terms, groups: list[Group]) -> None:
    template.charge_by = terms.charge_by
    template.first = terms.first
    template.additional = terms.additional
    template.free_over = terms.free_over
    template.save()
    template.rates.all().delete()
    for group in groups:
        rate = ShippingRate.objects.create(
            template=template, first=group.first, additional=group.additional
        )
        RateProvince.objects.bulk_create(
            RateProvince(template=template, rate=rate, province_id=code)
            for code in group.provinces
        )
    template.not_delivered.set(terms.not_delivered)


@transaction.atomic
def template_default(farmer) -> ShippingTemplate:
    """Give `farmer`'s storefront the default template, unless it has one."""
    template, created = ShippingTemplate.objects.get_or_create(
        farmer=farmer,
        defaults={
            "charge_by": DEFAULT_TERMS.charge_by,
            "first": DEFAULT_TERMS.first,
            "additional": DEFAULT_TERMS.additional,
        },
    )
    if created:
        _write(
            template,
            DEFAULT_TERMS,
            [Group(*group) for group in groups_of(DEFAULT_TERMS)],
        )
    return template


@transaction.atomic
def template_save(
    *,
    farmer,
    actor,
    charge_by: str,
    first: Decimal,
    additional: Decimal,
    free_over: Decimal | None,
    not_delivered: list[str],
    groups: list[Group],
    offers_pickup: bool = False,
) -> ShippingTemplate:
    """Replace `farmer`'s template whole. Nothing is written unless all of it
    is right; the change is audited, whoever makes it."""
    terms = Terms(
        charge_by=charge_by,
        first=first,
        additional=additional,
        free_over=free_over,
        groups={
            code: (group.first, group.additional)
            for group in groups
            for code in group.provinces
        },
        not_delivered=frozenset(not_delivered),
    )
    _check(terms, groups)
    template_default(farmer)
    template = ShippingTemplate.objects.select_for_update().get(farmer=farmer)
    before = {**_summary(terms_of(template)), "offers_pickup": template.offers_pickup}
    template.offers_pickup = offers_pickup
    _write(template, terms, groups)
    after = {**_summary(terms), "offers_pickup": offers_pickup}
    old, new = diff(before, after, FIELDS)
    if new or old:
        record(
            actor=actor,
            action=AuditEvent.Action.SHIPPING_CHANGED,
            subject=template,
            farmer=farmer,
            before=old,
            after=new,
        )
    return template


@transaction.atomic
def pickup_point_save(*, actor, point: PickupPoint | None = None, **fields):
    """Open a pickup point (`point` None) or change one, as staff or an
    official of its county; validated as the model says, and audited."""
    county = fields.get("county") or point.county
    if (
        actor.role != Role.STAFF
        and not counties_visible_to(actor).filter(pk=county.pk).exists()
    ):
        raise ValidationError(
            _("You keep the pickup points of your own counties only."),
            code="not_allowed",
        )
    before = None if point is None else snapshot(point, POINT_FIELDS)
    point = point or PickupPoint()
    for name, value in fields.items():
        setattr(point, name, value)
    point.full_clean()
    point.save()
    old, new = diff(before, point, POINT_FIELDS)
    record(
        actor=actor,
        action=AuditEvent.Action.PICKUP_POINT_SAVED,
        subject=point,
        county=point.county,
        before=old,
        after=new,
    )
    return point
