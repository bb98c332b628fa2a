"""Writes about the cart: find or start it, add, change and remove lines; an
anonymous visitor's cart (its id kept in the session) merges into the buyer's at
sign-in. How checkout sees the cart is orders.selectors.cart_view."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Product, ProductStatus
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
