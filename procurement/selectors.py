"""Reads about work units: whose unit a user is in, which units a user may see
(its members; officials of its county; staff), its members and open
invitations, an invitation by its token, the share reserved in a year, the
unit's orders, what it owes on account, and the bank transfers staff wait for
and send back."""

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from accounts.models import Role
from accounts.selectors import scoped
from assistants.selectors import assigned_farmers
from common.money import round_half_up, to_fen
from counties.selectors import counties_visible_to
from orders.dues import is_credit, on_account, transfers_due
from orders.models import (
    Payment,
    Refund,
    RefundStatus,
)
from orders.providers import codes_where
from procurement.models import (
    Acceptance,
    Channel,
    Invoice,
    MonthlyUnitPurchases,
    ReservedShare,
    SupplierRating,
    UnitBudget,
    UnitInvite,
    UnitMember,
    UnitOrder,
    UnitRole,
    WorkUnit,
)


def membership_of(user) -> UnitMember | None:
    """The user's place in a unit, with the unit; None outside every unit."""
    if not user.is_authenticated or user.role != Role.BUYER:
        return None
    return UnitMember.objects.select_related("unit__county").filter(user=user).first()


def home_for(user) -> str | None:
    """A unit's admins and buyers land on their unit's page."""
    return "procurement:home" if membership_of(user) is not None else None


def units_visible_to(user) -> QuerySet[WorkUnit]:
    """Units a user may read: staff all; officials those of their counties; a
    buyer their own unit."""
    return scoped(
        WorkUnit.objects.select_related("county"),
        user,
        official=lambda u: Q(county__in=counties_visible_to(u)),
        buyer=lambda u: Q(members__user=u),
    )


def units_reported_to(user) -> QuerySet[WorkUnit]:
    """Units whose reports a user reads: staff all; officials those of their
    counties; a unit's admins their own (its buyers do not)."""
    return scoped(
        WorkUnit.objects.select_related("county"),
        user,
        official=lambda u: Q(county__in=counties_visible_to(u)),
        buyer=lambda u: Q(members__user=u, members__role=UnitRole.ADMIN),
    )


def members_of(unit: WorkUnit) -> QuerySet[UnitMember]:
    return unit.members.select_related("user").order_by("role", "joined_at", "pk")


def admins_of(unit: WorkUnit) -> QuerySet[UnitMember]:
    return unit.members.filter(role=UnitRole.ADMIN)


def unit_orders_stay_the_units(user) -> Q:
    """orders.buyers: of a work unit's orders, a buyer acts only on those of the
    unit they still belong to (a removed member no longer sees or cancels one)."""
    member = UnitMember.objects.filter(
        user_id=user.pk, unit__orders__order=OuterRef("pk")
    )
    return Q(completes_on_acceptance=False) | Q(Exists(member))


def manages(unit: WorkUnit, user) -> bool:
    """Whether `user` may manage the unit: staff, or one of its admins."""
    return user.role == Role.STAFF or admins_of(unit).filter(user=user).exists()


def invites_open(unit: WorkUnit) -> QuerySet[UnitInvite]:
    """Invitations not yet used, withdrawn or expired, newest first."""
    return unit.invites.filter(
        used_at__isnull=True,
        withdrawn_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("created_by")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def unit_by_staff_link(token: str) -> WorkUnit | None:
    """The unit whose current staff link's token this is; None for any other."""
    if not token:
        return None
    return WorkUnit.objects.filter(staff_link_hash=token_hash(token)).first()


def staff_unit_of(user) -> WorkUnit | None:
    """The unit `user` shops for as one of its staff, if any."""
    if not user.is_authenticated:
        return None
    return WorkUnit.objects.filter(staff_shoppers__user=user).first()


def invite_by_token(token: str) -> UnitInvite | None:
    """The open invitation a link's token names; None for any other token."""
    if not token or len(token) > 64 or not token.isascii():
        return None
    return (
        UnitInvite.objects.select_related("unit__county", "created_by")
        .filter(
            token_hash=token_hash(token),
            used_at__isnull=True,
            withdrawn_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )


def reserved_share_for(unit: WorkUnit, year: int) -> Decimal:
    """The share of the unit's budget reserved for produce from poverty
    counties in `year`: its province's, else the national one, else the
    setting's default."""
    rows = dict(
        ReservedShare.objects.filter(
            year=year, province__in=["", unit.county.province]
        ).values_list("province", "share")
    )
    return rows.get(
        unit.county.province,
        rows.get("", settings.UNIT_RESERVED_SHARE),
    )


def budget_of(unit: WorkUnit, year: int) -> UnitBudget | None:
    return unit.budgets.filter(year=year).first()


def unit_orders(unit: WorkUnit) -> QuerySet[UnitOrder]:
    """The unit's orders, newest first, with what a row shows."""
    return unit_orders_of(WorkUnit.objects.filter(pk=unit.pk))


def unit_orders_of(units: QuerySet[WorkUnit]) -> QuerySet[UnitOrder]:
    """The orders of `units` (a scope), newest first, with what a row shows."""
    return (
        UnitOrder.objects.filter(unit__in=units)
        .select_related("order__farmer", "unit", "acceptance")
        .order_by("-order__placed_at", "-pk")
    )


def unit_orders_supplied_by(user) -> QuerySet[UnitOrder]:
    """Unit orders a seller side may act on (invoices) and read: a farmer's own
    storefront's, an assistant's farmers', all for staff."""
    return scoped(
        _for_rows(UnitOrder.objects.all()),
        user,
        assistant=lambda u: Q(order__farmer__in=assigned_farmers(user=u).values("pk")),
        farmer=lambda u: Q(order__farmer__user=u),
    )


def unit_orders_visible_to(user) -> QuerySet[UnitOrder]:
    """Unit orders a user may read (the invoice, the receipt): the unit's
    members, officials of the unit's county or of the county supplying it, the
    seller side (unit_orders_supplied_by), staff."""
    return scoped(
        _for_rows(UnitOrder.objects.all()),
        user,
        official=lambda u: (
            Q(unit__county__in=counties_visible_to(u))
            | Q(order__county__in=counties_visible_to(u))
        ),
        assistant=lambda u: Q(order__farmer__in=assigned_farmers(user=u).values("pk")),
        farmer=lambda u: Q(order__farmer__user=u),
        buyer=lambda u: Q(unit__members__user=u),
    )


def _for_rows(rows: QuerySet[UnitOrder]) -> QuerySet[UnitOrder]:
    return rows.select_related(
        "order__farmer", "unit__county", "acceptance", "invoice", "rating"
    ).order_by("-order__placed_at", "-pk")


def acceptance_of(unit_order: UnitOrder):
    """The unit's decision on the order's goods, with its lines; None before."""
    return (
        Acceptance.objects.filter(unit_order=unit_order)
        .select_related("decided_by")
        .prefetch_related("lines__line", "photos")
        .first()
    )


def invoice_of(unit_order: UnitOrder) -> Invoice | None:
    return Invoice.objects.filter(unit_order=unit_order).first()


def rating_of(unit_order: UnitOrder) -> SupplierRating | None:
    return (
        SupplierRating.objects.filter(unit_order=unit_order)
        .select_related("rated_by")
        .first()
    )


def transfers_awaited(user) -> QuerySet[Payment]:
    """Bank transfers staff wait for (staff only), oldest first, each with what
    is due now (`due`; orders.dues) and the unit its orders were placed for
    (`unit_id`; not the buyer's unit now: they may have left it): before
    shipping, and on account once the unit decided on all the goods."""
    placed_for = UnitOrder.objects.filter(order__checkout=OuterRef("checkout"))
    rows = (
        transfers_due()
        .select_related("checkout__buyer")
        .annotate(unit_id=Subquery(placed_for.values("unit")[:1]))
        .order_by("created_at", "pk")
    )
    return rows if user.is_authenticated and user.role == Role.STAFF else rows.none()


def account_payments_of(unit: WorkUnit) -> QuerySet[Payment]:
    """What the unit owes on account now, oldest first (`due`, `decided_at`)."""
    placed = UnitOrder.objects.filter(order__checkout=OuterRef("checkout"), unit=unit)
    return (
        transfers_due()
        .filter(Exists(placed), provider__in=on_account())
        .order_by("created_at", "pk")
    )


def transfer_refunds_to_send(user) -> QuerySet[Refund]:
    """Refunds of payments by bank transfer staff still have to send back to the
    unit's account (staff only), oldest first, with the order and the unit that
    placed it (not the buyer's unit now: they may have left it). What is refunded
    on account before the unit paid is a credit: nothing goes back."""
    rows = (
        Refund.objects.filter(
            payment__provider__in=codes_where(by_transfer=True),
            status=RefundStatus.SUCCEEDED,
            provider_refund_id="",
        )
        .exclude(is_credit())
        .select_related("order__farmer", "order__unit_order__unit", "payment__checkout")
        .order_by("requested_at", "pk")
    )
    return rows if user.is_authenticated and user.role == Role.STAFF else rows.none()


@dataclass(frozen=True)
class QuotaProgress:
    """A unit's year against its reserved share. `bought`: the goods from key
    poverty counties the unit accepted that year, each line's accepted quantity
    at its price (the 832 rule: a unit's purchase is a sale once accepted; what
    it refused never counts), and its staff's own completed purchases from them
    (`staff`), from its monthly purchases."""

    year: int
    budget: Decimal | None
    share: Decimal
    reserved: Decimal | None  # budget × share, to the fen
    bought: Decimal
    staff: Decimal  # of `bought`, what its staff bought for themselves
    remaining: Decimal | None  # what is still to buy (never below 0)
    percent: Decimal | None  # bought / reserved × 100


def purchases_of(unit: WorkUnit, year: int) -> QuerySet[MonthlyUnitPurchases]:
    """The unit's monthly purchases of `year`."""
    return MonthlyUnitPurchases.objects.filter(
        unit=unit, month__gte=date(year, 1, 1), month__lte=date(year, 12, 1)
    )


def quota_progress(unit: WorkUnit, year: int) -> QuotaProgress:
    totals = (
        purchases_of(unit, year)
        .filter(county__is_key_poverty_county=True)
        .aggregate(
            total=Sum("amount"), staff=Sum("amount", filter=Q(channel=Channel.STAFF))
        )
    )
    bought = to_fen(totals["total"])
    budget = budget_of(unit, year)
    share = reserved_share_for(unit, year)
    reserved = to_fen(budget.amount * share) if budget else None
    return QuotaProgress(
        year=year,
        budget=budget.amount if budget else None,
        share=share,
        reserved=reserved,
        bought=bought,
        staff=to_fen(totals["staff"]),
        remaining=max(reserved - bought, Decimal(0)) if reserved is not None else None,
        percent=round_half_up(bought / reserved * 100, Decimal("0.1"))
        if reserved
        else None,
    )
