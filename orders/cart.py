"""The cart: add, change and remove lines; an anonymous visitor's cart (its id kept
in the session) merges into the buyer's at sign-in; and the cart as checkout sees
it, with each line's current price and stock and what changed since it was added."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Product, ProductStatus
from farmers.models import Farmer
from orders.models import MAX_QUANTITY, Cart, CartItem

SESSION_KEY = "cart_id"


def cart_for(request, *, create: bool = False) -> Cart | None:
    """The cart of the request's buyer, or of the anonymous session."""
    user = request.user
    if user.is_authenticated:
        cart = Cart.objects.filter(buyer=user).first()
        if cart is None and create:
            try:
                with transaction.atomic():
                    cart = Cart.objects.create(buyer=user)
            except IntegrityError:  # a parallel request created it
                cart = Cart.objects.get(buyer=user)
        return cart
    cart_id = request.session.get(SESSION_KEY)
    cart = Cart.objects.filter(pk=cart_id, buyer=None).first() if cart_id else None
    if cart is None and create:
        cart = Cart.objects.create()
        request.session[SESSION_KEY] = cart.pk
    return cart


def _check_quantity(quantity: int, product: Product) -> None:
    if quantity < 1:
        raise ValidationError(_("The quantity must be at least 1."), code="too_few")
    if quantity > min(product.stock, MAX_QUANTITY):
        raise ValidationError(
            _("Only %(stock)s left of “%(title)s”.")
            % {"stock": product.stock, "title": product.title},
            code="too_many",
        )


def for_sale(product: Product) -> bool:
    """Active and its farmer's account active (as public_products selects)."""
    return product.status == ProductStatus.ACTIVE and product.farmer.user.is_active


def _buyable(product_id: int) -> Product:
    product = (
        Product.objects.filter(
            pk=product_id, status=ProductStatus.ACTIVE, farmer__user__is_active=True
        )
        .only("pk", "title", "price", "stock")
        .first()
    )
    if product is None:
        raise ValidationError(
            _("This product is no longer for sale."), code="unavailable"
        )
    return product


@transaction.atomic
def cart_add(*, cart: Cart, product_id: int, quantity: int) -> CartItem:
    """Add `quantity` of a product for sale, on top of what the cart holds. The
    cart row is locked first, so two quick taps add twice, never fail."""
    Cart.objects.select_for_update().filter(pk=cart.pk).first()
    product = _buyable(product_id)
    item = CartItem.objects.filter(cart=cart, product=product).first()
    if quantity < 1:
        _check_quantity(quantity, product)
    total = quantity + (item.quantity if item else 0)
    _check_quantity(total, product)
    if item is None:
        item = CartItem.objects.create(
            cart=cart, product=product, quantity=total, price_seen=product.price
        )
    else:
        item.quantity = total
        item.save(update_fields=["quantity"])
    Cart.objects.filter(pk=cart.pk).update(updated_at=timezone.now())
    return item


@transaction.atomic
def cart_set_quantity(*, cart: Cart, product_id: int, quantity: int) -> None:
    """Set a line's quantity; 0 removes it. The price seen is refreshed, because
    the buyer is looking at the current one."""
    item = cart.items.select_for_update().filter(product_id=product_id).first()
    if item is None:
        raise ValidationError(_("This product is not in your cart."), code="missing")
    if quantity == 0:
        item.delete()
        return
    product = _buyable(product_id)
    _check_quantity(quantity, product)
    item.quantity = quantity
    item.price_seen = product.price
    item.save(update_fields=["quantity", "price_seen"])


def cart_remove(*, cart: Cart, product_id: int) -> None:
    cart.items.filter(product_id=product_id).delete()


@transaction.atomic
def cart_merge(*, anonymous_cart_id: int, buyer) -> None:
    """Move an anonymous cart's lines into `buyer`'s cart at sign-in. A product in
    both keeps the larger quantity (the same produce added twice is one intent)."""
    source = Cart.objects.filter(pk=anonymous_cart_id, buyer=None).first()
    if source is None:
        return
    target, _created = Cart.objects.get_or_create(buyer=buyer)
    existing = {item.product_id: item for item in target.items.select_for_update()}
    for item in source.items.all():
        kept = existing.get(item.product_id)
        if kept is None:
            item.cart = target
            item.save(update_fields=["cart"])
        elif item.quantity > kept.quantity:
            kept.quantity = item.quantity
            kept.price_seen = item.price_seen
            kept.save(update_fields=["quantity", "price_seen"])
    source.delete()


def cart_purge_abandoned(*, before) -> int:
    """Delete anonymous carts last touched before `before`; returns how many."""
    deleted, by_model = Cart.objects.filter(
        buyer__isnull=True, updated_at__lt=before
    ).delete()
    return by_model.get(Cart._meta.label, 0)


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
    """The part of the cart that becomes one storefront's order."""

    farmer: Farmer
    lines: list[Line]

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal("0"))


@dataclass
class CartView:
    groups: list[StoreGroup]

    @property
    def lines(self) -> list[Line]:
        return [line for group in self.groups for line in group.lines]

    @property
    def total(self) -> Decimal:
        return sum((group.total for group in self.groups), Decimal("0"))

    @property
    def count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def blocked(self) -> bool:
        """Something in the cart cannot be bought as it stands."""
        return any(line.problems for line in self.lines)

    @property
    def quote(self) -> str:
        """What the buyer was shown: product, quantity and price of every line.
        Checkout refuses to charge anything else."""
        return ";".join(
            f"{line.product.pk}:{line.quantity}:{line.price}"
            for line in sorted(self.lines, key=lambda line: line.product.pk)
        )


def cart_view(cart: Cart | None) -> CartView:
    """The cart grouped by storefront, with current prices and each line's problem
    (gone from sale, not enough stock, price changed). Three queries."""
    if cart is None:
        return CartView(groups=[])
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
    return CartView(groups=list(groups.values()))
