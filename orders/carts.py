"""The cart as checkout sees it: grouped by storefront (one order each), with
current prices, each line's problem, the pickup points each storefront
offers, and, once the destination's province is known, each storefront's
shipping fee by its template (shipping.fees)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from catalogue.models import Product, ProductStatus
from orders.models import Cart, CartItem
from shipping.fees import Parcel, fee
from shipping.selectors import pickup_choices, terms_for


def for_sale(product: Product) -> bool:
    """Active and its farmer's account active (as public_products selects)."""
    return product.status == ProductStatus.ACTIVE and product.farmer.user.is_active


@dataclass
class Line:
    """A cart line as checkout sees it now."""

    item: CartItem
    product: Product
    quantity: int
    price: Decimal
    problems: list[str] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return self.price * self.quantity

    @property
    def price_changed(self) -> bool:
        return self.price != self.item.price_seen


@dataclass
class StoreGroup:
    """The part of the cart that becomes one storefront's order. `shipping` is
    its fee to the destination: None until the destination is known, or where
    the storefront does not deliver (`delivers` False)."""

    farmer: object
    lines: list[Line]
    shipping: Decimal | None = None
    delivers: bool = True
    # The pickup points its buyer may choose (shipping.selectors.pickup_choices),
    # and the one chosen (no shipping fee).
    pickups: list = field(default_factory=list)
    pickup: object = None

    @property
    def goods(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal("0"))

    @property
    def total(self) -> Decimal:
        """What its order will cost: the goods, and the fee once known."""
        return self.goods + (self.shipping or 0)

    @property
    def parcel(self) -> Parcel:
        return Parcel(
            weight_kg=sum(
                (line.product.net_weight_kg * line.quantity for line in self.lines),
                Decimal("0"),
            ),
            pieces=sum(line.quantity for line in self.lines),
            goods=self.goods,
        )


@dataclass
class CartView:
    groups: list[StoreGroup]
    # The destination's province (its code), if known.
    to: str | None = None

    @property
    def lines(self) -> list[Line]:
        return [line for group in self.groups for line in group.lines]

    @property
    def goods(self) -> Decimal:
        return sum((group.goods for group in self.groups), Decimal("0"))

    @property
    def shipping(self) -> Decimal:
        return sum((group.shipping or 0 for group in self.groups), Decimal("0"))

    @property
    def total(self) -> Decimal:
        return self.goods + self.shipping

    @property
    def offers_pickup(self) -> bool:
        return any(group.pickups for group in self.groups)

    @property
    def count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def blocked(self) -> bool:
        """Something in the cart cannot be bought as it stands."""
        return any(line.problems for line in self.lines) or not all(
            group.delivers for group in self.groups
        )

    @property
    def quote(self) -> str:
        """What the buyer was shown: product, quantity and price of every line,
        and each shipping fee above ¥0. Checkout refuses to charge anything
        else."""
        lines = [
            f"{line.product.pk}:{line.quantity}:{line.price}"
            for line in sorted(self.lines, key=lambda line: line.product.pk)
        ]
        fees = [
            f"ship:{group.farmer.pk}:{group.shipping}"
            for group in sorted(self.groups, key=lambda group: group.farmer.pk)
            if group.shipping
        ]
        return ";".join(lines + fees)


def pickups_apply(view: CartView, chosen: dict[int, int]) -> None:
    """Collect at the points `chosen` (storefront's farmer id → point id)
    instead of delivery: no fee for those groups. A point not offered to a
    storefront's buyers is refused."""
    for group in view.groups:
        point_id = chosen.get(group.farmer.pk)
        if not point_id:
            continue
        point = next((p for p in group.pickups if p.pk == point_id), None)
        if point is None:
            raise ValidationError(
                _("“%(shop)s” has no such pickup point: choose one of its list.")
                % {"shop": group.farmer.shop_name},
                code="pickup",
            )
        group.pickup, group.shipping, group.delivers = point, Decimal("0"), True
    unknown = set(chosen) - {group.farmer.pk for group in view.groups}
    if any(chosen[farmer] for farmer in unknown):
        raise ValidationError(_("Choose a pickup point of a storefront in your cart."))


def _ship(groups: list[StoreGroup], to: str) -> None:
    """Each group's fee to province `to`, by its storefront's template."""
    terms = terms_for(group.farmer.pk for group in groups)
    for group in groups:
        group.shipping = fee(terms[group.farmer.pk], to, group.parcel)
        group.delivers = group.shipping is not None


def cart_view(cart: Cart | None, to: str | None = None) -> CartView:
    """The cart grouped by storefront, with current prices and each line's
    problem (gone from sale, not enough stock, price changed), the pickup
    points each storefront offers, and the fees to province `to` if given.
    Five queries, and four more for the fees."""
    if cart is None:
        return CartView(groups=[], to=to)
    items = cart.items.select_related("product__farmer__user")
    groups: dict[int, StoreGroup] = {}
    for item in items:
        product = item.product
        line = Line(
            item=item, product=product, quantity=item.quantity, price=product.price
        )
        if not for_sale(product):
            line.problems.append(_("No longer for sale: remove it to continue."))
        elif product.stock < item.quantity:
            line.problems.append(
                _("Only %(stock)s left: lower the quantity.") % {"stock": product.stock}
                if product.stock
                else _("Out of stock: remove it to continue.")
            )
        group = groups.setdefault(
            product.farmer_id, StoreGroup(farmer=product.farmer, lines=[])
        )
        group.lines.append(line)
    view = CartView(groups=list(groups.values()), to=to)
    if to is not None and view.groups:
        _ship(view.groups, to)
    if view.groups:
        choices = pickup_choices(groups)
        for group in view.groups:
            group.pickups = choices.get(group.farmer.pk, [])
    return view
