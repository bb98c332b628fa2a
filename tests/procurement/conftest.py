"""A work unit with its admin, made through the services (as the pages do)."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from orders.carts import cart_view
from orders.models import Cart
from orders.services.cart import cart_add
from procurement.selectors import invite_by_token
from procurement.services.units import (
    invite_accept,
    invite_create,
    unit_order_place,
    unit_register,
)
from tests.factories import CountyFactory, UserFactory


def joined(unit, role="buyer", *, by, user=None):
    """`user` (a new buyer unless given) joins `unit` through an invitation
    `by` makes; returns the membership."""
    token = invite_create(unit=unit, role=role, note="", actor=by)
    return invite_accept(invite=invite_by_token(token), user=user or UserFactory())


@pytest.fixture
def staff():
    return UserFactory(role=Role.STAFF)


@pytest.fixture
def unit_and_admin(staff):
    """A school in a Guizhou county, and its first admin (joined by its link)."""
    unit, token = unit_register(
        name="县第一中学",
        name_en="County No. 1 Middle School",
        kind="school",
        county=CountyFactory(province="贵州省"),
        actor=staff,
    )
    admin = UserFactory(role=Role.BUYER)
    invite_accept(invite=invite_by_token(token), user=admin)
    return unit, admin


def unit_checkout(buyer, lines, *, reference="HT-9", provider="bank_transfer"):
    """`buyer` (a unit member with an address) places `lines` ((product,
    quantity) pairs) for their unit through the unit's checkout service, to be
    delivered in four days."""
    cart, _created = Cart.objects.get_or_create(buyer=buyer)
    for product, quantity in lines:
        cart_add(cart=cart, product_id=product.pk, quantity=quantity)
    return unit_order_place(
        member=buyer.unit_membership,
        cart=cart,
        address=buyer.addresses.get(),
        deliver_by=timezone.localdate() + timedelta(days=4),
        purchase_reference=reference,
        idempotency_key=uuid.uuid4(),
        quote=cart_view(cart, to=buyer.addresses.get().province).quote,
        provider=provider,
    )
