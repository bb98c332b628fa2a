"""Demo work units for seed_demo: County C's government, a school canteen there,
and a city trade union, each with this year's budget and its people, logins
demo_unit_admin and demo_unit_buyer (the government's). In the county-c-2018 preset
each has a year of orders placed through the services: one a month in the eleven
months before this one, paid by transfer, shipped and accepted (some in part),
then moved back to their month; and this month the government's accepted (one
in part) and one awaiting its transfer, the school's awaiting acceptance.
Seeded once: a unit already there is left as it is."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import Role, User
from catalogue.models import Product, ProductStatus
from counties.divisions import division_parse
from counties.models import County, Division
from demo.backdating import checkout_back_date
from orders.carts import cart_view
from orders.models import Address, Cart, PaymentProviderCode
from orders.services.cart import cart_add
from orders.services.checkout import checkout_place
from orders.services.transfers import transfer_received
from orders.services.transitions import order_complete, order_ship, orders_pay
from procurement.models import UnitMember, UnitRole, WorkUnit
from procurement.selectors import invite_by_token, unit_by_staff_link
from procurement.services.acceptance import order_accept
from procurement.services.purchases import unit_month_rebuild
from procurement.services.staff import staff_join, staff_link_make
from procurement.services.units import (
    budget_set,
    invite_accept,
    invite_create,
    unit_order_place,
    unit_register,
)

# (name, English name, type, county code, budget, [(username, name, role)])
DEMO_UNITS = [
    (
        "C县人民政府",
        "County C People's Government",
        "government",
        "529901",
        Decimal("600000"),
        [
            ("demo_unit_admin", "赵敏", UnitRole.ADMIN),
            ("demo_unit_buyer", "孙强", UnitRole.BUYER),
        ],
    ),
    (
        "C县第一中学食堂",
        "County C No. 1 Middle School Canteen",
        "school",
        "529901",
        Decimal("240000"),
        [("demo_school_admin", "周丽", UnitRole.ADMIN)],
    ),
    (
        "湖州市总工会",
        "Huzhou Federation of Trade Unions",
        "trade_union",
        "339901",
        Decimal("900000"),
        [("demo_union_admin", "吴磊", UnitRole.ADMIN)],
    ),
]
UNIT_LOGINS = ("demo_unit_admin", "demo_unit_buyer")
BANK_TRANSFER = PaymentProviderCode.BANK_TRANSFER
ON_ACCOUNT = PaymentProviderCode.ON_ACCOUNT


def seed_units(*, staff, password: str, orders: bool) -> int:
    """The demo units, with their orders if `orders` (the case study's preset:
    the small preset's order history is pinned); returns how many orders were
    placed."""
    placed = 0
    for name, name_en, kind, code, budget, people in DEMO_UNITS:
        county = County.objects.get(code=code)
        if WorkUnit.objects.filter(county=county, name=name).exists():
            continue
        unit, token = unit_register(
            name=name,
            name_en=name_en,
            kind=kind,
            county=county,
            actor=staff,
            pays_on_account=kind == "government",
        )
        members = []
        for n, (username, person, role) in enumerate(people):
            user = User.objects.create(
                username=username, first_name=person, role=Role.BUYER, password=password
            )
            if n:
                token = invite_create(
                    unit=unit, role=role, note=person, actor=members[0].user
                )
            members.append(invite_accept(invite=invite_by_token(token), user=user))
            Address.objects.create(
                buyer=user,
                recipient=person,
                phone=f"1370000{len(members):04d}",
                region=f"{county.province} {county.name}",
                division_id=_division(county),
                street=f"{name} 收发室",
            )
        budget_set(
            unit=unit, year=timezone.localdate().year, amount=budget, actor=staff
        )
        if orders:
            placed += _orders(members[-1], staff, kind=kind)
        if orders and kind == "trade_union":
            placed += _staff_purchases(unit, members[0], password)
    return placed


def _staff_purchases(unit, admin: UnitMember, password: str) -> int:
    """One of the union's staff opens its staff link and buys for themselves:
    two orders paid online, shipped and received, counted toward the union."""
    token = staff_link_make(unit=unit, actor=admin.user)
    shopper = User.objects.create(
        username="demo_union_staff",
        first_name="钱芳",
        role=Role.BUYER,
        password=password,
    )
    staff_join(unit=unit_by_staff_link(token), user=shopper)
    address = Address.objects.create(
        buyer=shopper,
        recipient=shopper.first_name,
        phone="13700009999",
        region=f"{unit.county.province} {unit.county.name}",
        division_id=_division(unit.county),
        street="工会大楼 3 楼",
    )
    placed = 0
    for product in _products(2, 7):
        cart, _created = Cart.objects.get_or_create(buyer=shopper)
        cart_add(cart=cart, product_id=product.pk, quantity=2)
        checkout = checkout_place(
            buyer=shopper,
            cart=cart,
            address=address,
            provider=PaymentProviderCode.SIMULATED,
            idempotency_key=uuid.uuid4(),
            quote=cart_view(cart, to=address.province).quote,
            offered=[PaymentProviderCode.SIMULATED],
        )
        for order in orders_pay(orders=list(checkout.orders.all())):
            order_ship(
                order=order,
                actor=order.farmer.user,
                carrier="ems",
                tracking_number=f"EM{order.pk:09d}CN",
            )
            order_complete(order=order, actor=shopper)
            placed += 1
    return placed


def _products(count: int, skip: int) -> list[Product]:
    """Listings of County C's demo farmers with stock, one per farmer."""
    rows = (
        Product.objects.filter(
            status=ProductStatus.ACTIVE,
            stock__gte=12,
            farmer__household__village__county__code="529901",
        )
        .select_related("farmer")
        .order_by("farmer_id", "pk")
    )
    picked, farmers = [], set()
    for product in rows:
        if product.farmer_id not in farmers:
            farmers.add(product.farmer_id)
            picked.append(product)
    return picked[skip : skip + count]


def _division(county) -> str | None:
    """The county's own division where the shipped divisions have it, else
    what its province and name locate."""
    if Division.objects.filter(pk=county.code).exists():
        return county.code
    found = division_parse(f"{county.province} {county.name}", Division.objects.all())
    return found.pk if found else None


def _place(member: UnitMember, products, reference: str, provider=BANK_TRANSFER):
    cart, _created = Cart.objects.get_or_create(buyer=member.user)
    for product in products:
        cart_add(cart=cart, product_id=product.pk, quantity=min(product.stock // 3, 40))
    address = member.user.addresses.first()
    return unit_order_place(
        member=member,
        cart=cart,
        address=address,
        deliver_by=timezone.localdate() + timedelta(days=5),
        purchase_reference=reference,
        idempotency_key=uuid.uuid4(),
        quote=cart_view(cart, to=address.province).quote,
        provider=provider,
    )


def _paid_and_shipped(checkout, staff, bank_reference: str) -> list:
    payment = checkout.payments.get()
    transfer_received(
        payment=payment,
        bank_reference=bank_reference,
        amount=payment.amount,
        actor=staff,
    )
    return _shipped(checkout)


def _shipped(checkout) -> list:
    orders = list(checkout.orders.select_related("farmer__user").order_by("pk"))
    for order in orders:
        order_ship(
            order=order,
            actor=order.farmer.user,
            carrier="ems",
            tracking_number=f"EM{order.pk:09d}CN",
        )
    return orders


def _orders(member: UnitMember, staff, *, kind: str) -> int:
    """This month's orders (the school's waiting for its acceptance, the
    government's accepted, one in part, one awaiting its transfer, and one on
    account, accepted, its transfer due), and a
    past year of monthly orders, accepted, one in four in part."""
    placed = _past_year(member, staff, kind)
    if kind == "trade_union":
        return placed
    if kind == "school":  # shipped, waiting for its acceptance
        checkout = _place(member, _products(2, 6), "SC-2026-011")
        _paid_and_shipped(checkout, staff, "B-DEMO-SC-0001")
        return placed + checkout.orders.count()
    checkout = _place(member, _products(3, 0), "CG-2026-031")
    first, *others = _paid_and_shipped(checkout, staff, "B-DEMO-CG-0001")
    _accept(member, first, refuse=2)
    for order in others:
        _accept(member, order)
    waiting = _place(member, _products(1, 3), "CG-2026-047")  # transfer awaited
    # On account: shipped unpaid, accepted, its transfer due within the month.
    owed = _place(member, _products(1, 4), "CG-2026-052", provider=ON_ACCOUNT)
    for order in _shipped(owed):
        _accept(member, order)
    return placed + sum(c.orders.count() for c in (checkout, waiting, owed))


def _accept(member: UnitMember, order, refuse: int = 0) -> None:
    line = order.lines.order_by("pk").first()
    order_accept(
        unit_order=order.unit_order,
        actor=member.user,
        accepted={line.pk: line.quantity - refuse} if refuse else {},
        reason="两件包装破损，已拍照。" if refuse else "",
    )


def _past_year(member: UnitMember, staff, kind: str) -> int:
    """An order a month in each of the eleven months before this one, placed,
    paid, shipped and accepted through the services, then moved back to its
    month (demo.backdating)."""
    placed = 0
    today = timezone.localdate()
    for months_ago in range(11, 0, -1):
        index = today.year * 12 + today.month - 1 - months_ago
        day = date(index // 12, index % 12 + 1, 8 + months_ago)
        skip = (months_ago * 2 + len(kind)) % 9
        reference = f"{kind[:2].upper()}-{day:%Y%m}"
        checkout = _place(member, _products(2, skip), reference)
        orders = _paid_and_shipped(checkout, staff, f"B-DEMO-{reference}")
        for n, order in enumerate(orders):
            _accept(member, order, refuse=1 if (months_ago + n) % 4 == 0 else 0)
        checkout_back_date(checkout, day)
        unit_month_rebuild(member.unit_id, day)
        placed += len(orders)
    unit_month_rebuild(member.unit_id, today)
    return placed
