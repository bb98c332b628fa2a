"""Placing a checkout: one order per storefront, stock taken under a lock on the
product rows in primary-key order (never read, then written), prices always the
server's, and an idempotency key so a double submit places the orders once."""

import uuid
from collections.abc import Collection
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assistants.selectors import assignments_in_force
from catalogue.models import Product
from catalogue.services.stock import stock_lock, stock_take
from counties.divisions import division_parse
from counties.models import Division
from counties.selectors import division_path, divisions_within
from orders.carts import cart_view, for_sale, pickups_apply
from orders.models import (
    Address,
    Cart,
    Checkout,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Payment,
)
from orders.providers import PROVIDERS, enabled_providers
from orders.services.transitions import record_paid

# One checkout's most (the money columns hold far more; this keeps a slip of the
# finger, or an abuse, from being placed at all).
MAX_CHECKOUT_TOTAL = Decimal("1000000")


def _refuse_what_changed(view, products: dict[int, Product], quote: str) -> None:
    """Every line must still be for sale, in stock, and at the price the buyer was
    shown (`quote`); otherwise nothing is placed and the buyer looks again."""
    problems = []
    for line in view.lines:
        product = products[line.product.pk]
        if not for_sale(product):
            problems.append(
                _("“%(title)s” is no longer for sale.") % {"title": product.title}
            )
        elif product.stock < line.quantity:
            problems.append(
                _("Only %(stock)s left of “%(title)s”.")
                % {"stock": product.stock, "title": product.title}
            )
        line.product, line.price = product, product.price
    if problems:
        raise ValidationError(
            [ValidationError(problem, code="unavailable") for problem in problems]
        )
    if view.total > MAX_CHECKOUT_TOTAL:
        raise ValidationError(
            _("Orders over ¥%(max)s cannot be placed online; contact the farmers.")
            % {"max": MAX_CHECKOUT_TOTAL},
            code="too_large",
        )
    if view.quote != quote:
        raise ValidationError(
            _(
                "Prices, quantities or shipping fees changed since you looked. "
                "Check the new totals, then place the order again."
            ),
            code="changed",
        )


def _region(division: Division | None, region: str) -> tuple[Division | None, str]:
    """An address's district and its names: those of the division chosen, or
    what a region typed names (best effort), with the text kept."""
    if division is not None:
        if divisions_within(division.pk).exists():
            raise ValidationError(
                _("Choose the city and the district too."), code="region"
            )
        names = [d.name for d in division_path(division.pk)]
        # A municipality's city has its name ("北京市 北京市"): said once.
        kept = [name for n, name in enumerate(names) if not n or name != names[n - 1]]
        return division, " ".join(kept)
    return division_parse(region, Division.objects.all()), region


def addresses_locate(address_model=Address, division_model=Division) -> int:
    """Give each address typed before the divisions the district its text
    names, best effort (a migration passes its historical models; the demo's
    bulk-loaded addresses too). Returns how many it located."""
    divisions = list(division_model.objects.all())
    unplaced = address_model.objects.filter(division__isnull=True)
    located = 0
    for region in set(unplaced.values_list("region", flat=True)):
        found = division_parse(region, divisions)
        if found is not None:
            located += unplaced.filter(region=region).update(division=found.pk)
    return located


@transaction.atomic
def address_add(
    *,
    buyer,
    recipient: str,
    phone: str,
    street: str,
    division: Division | None = None,
    region: str = "",
):
    """Add an address to the buyer's book (validated as the model says), in a
    district chosen from the divisions (the pages), or a region typed (the
    API's older clients)."""
    division, region = _region(division, region)
    address = Address(
        buyer=buyer,
        recipient=recipient,
        phone=phone,
        division=division,
        region=region,
        street=street,
    )
    address.full_clean()
    address.save()
    return address


def checkout_place(
    *,
    buyer,
    cart: Cart | None,
    address: Address,
    provider: str,
    idempotency_key: uuid.UUID,
    quote: str,
    offered: Collection[str] | None = None,
    completes_on_acceptance: bool = False,
    pickups: dict[int, int] | None = None,
) -> Checkout:
    """Place the cart as one order per storefront, paid by one of the `offered`
    providers (the site's enabled ones unless told); a unit's orders complete on
    acceptance; `pickups` (farmer id → pickup point id) are collected instead of
    delivered, with no fee. Placing the same key again returns the first
    checkout and places nothing."""
    existing = Checkout.objects.filter(buyer=buyer, idempotency_key=idempotency_key)
    if existing.exists():
        return existing.get()
    if address.buyer_id != buyer.pk:
        raise ValidationError(_("Choose one of your addresses."), code="address")
    if provider not in (enabled_providers() if offered is None else offered):
        raise ValidationError(_("Choose a payment method."), code="provider")
    try:
        return _place(
            buyer,
            cart,
            address,
            provider,
            idempotency_key,
            quote,
            completes_on_acceptance,
            pickups or {},
        )
    except IntegrityError:
        # The same key placed by a parallel request, which committed first.
        if existing.exists():
            return existing.get()
        raise


@transaction.atomic
def _place(
    buyer,
    cart,
    address,
    provider,
    idempotency_key,
    quote,
    completes_on_acceptance,
    pickups,
) -> Checkout:
    # The key's row first: a parallel request with the same key waits here.
    checkout = Checkout.objects.create(
        buyer=buyer,
        idempotency_key=idempotency_key,
        provider=provider,
        total=0,
    )
    view = cart_view(cart, to=address.province)
    if not view.lines:
        raise ValidationError(_("Your cart is empty."), code="empty")
    if address.province is None:
        raise ValidationError(
            _(
                "Choose this address's province, city and district: add it again "
                "from the lists, so the shipping fee can be worked out."
            ),
            code="address_region",
        )
    products = stock_lock([line.product.pk for line in view.lines])
    _refuse_what_changed(view, products, quote)
    # The buyer saw the delivery fees (the quote) and that pickup is free.
    pickups_apply(view, pickups)
    for group in view.groups:
        if not group.delivers:
            raise ValidationError(
                _("“%(shop)s” does not deliver to this address's province.")
                % {"shop": group.farmer.shop_name},
                code="not_delivered",
            )
    for line in view.lines:  # under the lock, so never refused; a guard
        stock_take(product_id=line.product.pk, quantity=line.quantity)
    now = timezone.now()
    # Paid on delivery or on account: confirmed now, to ship unpaid.
    on_delivery = not PROVIDERS[provider].online
    assistants = dict(
        assignments_in_force()
        .filter(farmer__in=[group.farmer for group in view.groups])
        .values_list("farmer_id", "assistant_id")
    )
    orders = []
    for group in view.groups:
        farmer = products[group.lines[0].product.pk].farmer
        village = farmer.household.village
        order = Order.objects.create(
            checkout=checkout,
            buyer=buyer,
            farmer=farmer,
            county_id=village.county_id,
            village=village,
            assistant_id=assistants.get(farmer.pk),
            status=OrderStatus.PAID if on_delivery else OrderStatus.PENDING_PAYMENT,
            total=group.total,
            shipping_fee=group.shipping,
            recipient=address.recipient,
            phone=address.phone,
            shipping_address=(
                f"{group.pickup.name} {group.pickup.address}"
                if group.pickup
                else f"{address.region} {address.street}"
            ),
            pickup_point=group.pickup,
            placed_at=now,
            completes_on_acceptance=completes_on_acceptance,
            paid_at=now if on_delivery else None,
            expires_at=None if on_delivery else now + PROVIDERS[provider].pays_within(),
        )
        OrderLine.objects.bulk_create(
            OrderLine(
                order=order,
                product=line.product,
                title=line.product.title,
                unit=line.product.unit,
                unit_price=line.price,
                quantity=line.quantity,
                line_total=line.total,
            )
            for line in group.lines
        )
        events = [OrderEvent(order=order, type=OrderEvent.Type.PLACED, actor=buyer)]
        if on_delivery:
            events.append(
                OrderEvent(order=order, type=OrderEvent.Type.CONFIRMED, actor=buyer)
            )
        OrderEvent.objects.bulk_create(events)
        orders.append(order)
    checkout.total = view.total
    checkout.save(update_fields=["total"])
    Payment.objects.create(checkout=checkout, provider=provider, amount=view.total)
    cart.items.filter(pk__in=[line.item.pk for line in view.lines]).delete()
    if on_delivery:
        record_paid(orders)
    return checkout
