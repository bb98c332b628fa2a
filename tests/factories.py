"""factory_boy factories shared by the test suite."""

import uuid
from datetime import date
from decimal import Decimal

import factory

from accounts.models import Role, User
from assistants.models import Assignment, Assistant
from audit.models import AuditEvent
from audit.selectors import history
from catalogue.models import PHOTOS, Category, Product, ProductStatus, ProductUnit
from catalogue.selectors import HISTORY_ACTIONS
from catalogue.services.listings import LISTING_FIELDS
from counties.models import County, PovertyLine, PovertyLineMethod, Village
from farmers.models import Farmer, Household, RegisterStatus
from orders.carts import cart_view
from orders.models import Address, Cart, Order, PaymentProviderCode
from orders.services.cart import cart_add
from orders.services.checkout import checkout_place
from orders.services.transitions import orders_pay
from shipping.models import ChargeBy, ShippingTemplate
from shipping.services import template_save

# An income survey's figures that pass every check (net income per head ¥2,000).
SURVEY_FIGURES = {
    "members": 4,
    "other_agriculture": Decimal("3000.00"),
    "wages": Decimal("6000.00"),
    "business": Decimal("0"),
    "transfers": Decimal("1200.00"),
    "dibao": Decimal("800.00"),
    "other_income": Decimal("0"),
    "production_costs": Decimal("2000.00"),
    "living_costs": Decimal("5000.00"),
}


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County

    name = factory.Sequence(lambda n: f"Test County {n}")
    code = factory.Sequence(lambda n: f"{100000 + n:06d}")
    province = "Guizhou"
    is_key_poverty_county = True


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    county = factory.SubFactory(CountyFactory)
    name = factory.Sequence(lambda n: f"Village {n}")


class PovertyLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PovertyLine

    county = None
    year = 2018
    method = PovertyLineMethod.ABSOLUTE
    amount = Decimal("2995.00")
    source_note = "test"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    role = Role.BUYER
    is_staff = factory.LazyAttribute(lambda u: u.role == Role.STAFF)
    password = factory.django.Password("correct-horse-battery-9")


class AssistantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assistant

    user = factory.SubFactory(UserFactory, role=Role.ASSISTANT)
    county = factory.SubFactory(CountyFactory)


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    village = factory.SubFactory(VillageFactory)
    head_name = factory.Sequence(lambda n: f"Head {n}")
    members = 4
    status = RegisterStatus.NEVER_REGISTERED

    class Params:
        registered = factory.Trait(
            status=RegisterStatus.REGISTERED,
            registration_number=factory.Sequence(lambda n: f"R{n:08d}"),
            registration_year=2016,
            poverty_causes=["illness"],
        )


class FarmerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Farmer
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, role=Role.FARMER)
    household = factory.SubFactory(HouseholdFactory)
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    shop_name = factory.Sequence(lambda n: f"Shop {n}")
    slug = factory.Sequence(lambda n: f"shop-{n}")

    @factory.post_generation
    def ships_free(farmer, create, extracted, **kwargs):
        """The storefront opens with the default shipping template; the tests
        of anything but shipping want its orders to cost their lines, so it
        ships free unless `ships_free=False`."""
        if create and extracted is not False:
            ShippingTemplate.objects.filter(farmer=farmer).update(free_over=0)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    assistant = factory.SubFactory(AssistantFactory)
    farmer = factory.LazyAttribute(
        lambda a: FarmerFactory(household__village__county=a.assistant.county)
    )
    started_on = date(2018, 1, 1)
    assigned_by = factory.SelfAttribute("assistant.user")


def farmer_of(assistant, **kwargs) -> Farmer:
    """A farmer in the assistant's county, actively assigned to them."""
    farmer = FarmerFactory(household__village__county=assistant.county, **kwargs)
    AssignmentFactory(assistant=assistant, farmer=farmer)
    return farmer


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = "honey"
    name_zh = "蜂蜜"
    name_en = "Honey"


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    farmer = factory.SubFactory(FarmerFactory)
    category = factory.SubFactory(CategoryFactory)
    title = factory.Sequence(lambda n: f"Mountain honey {n}")
    description = "Raw honey from the hills."
    unit = ProductUnit.BOTTLE
    net_weight_kg = Decimal("0.500")
    price = Decimal("68.00")
    stock = 20
    created_by = factory.SelfAttribute("farmer.user")


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    buyer = factory.SubFactory(UserFactory)
    recipient = "李明"
    phone = "13800000000"
    region = "湖北省 武汉市 洪山区"
    division_id = "420111"
    street = "珞喻路 1 号"


def place_checkout(buyer, items, *, provider=PaymentProviderCode.SIMULATED, key=None):
    """Put `items` ([(product, quantity)]) in `buyer`'s cart and place it, as the
    checkout page does (with the quote the buyer was shown)."""
    cart, _ = Cart.objects.get_or_create(buyer=buyer)
    for product, quantity in items:
        cart_add(cart=cart, product_id=product.pk, quantity=quantity)
    address = Address.objects.filter(buyer=buyer).first() or AddressFactory(buyer=buyer)
    return checkout_place(
        buyer=buyer,
        cart=cart,
        address=address,
        provider=provider,
        idempotency_key=key or uuid.uuid4(),
        quote=cart_view(cart, to=address.province).quote,
    )


def place_order(buyer=None, product=None, quantity=1, **kwargs) -> Order:
    """One order for one product (active, from a new farmer unless given)."""
    buyer = buyer or UserFactory()
    product = product or ProductFactory(status=ProductStatus.ACTIVE)
    return place_checkout(buyer, [(product, quantity)], **kwargs).orders.get()


def order_pay(*, order: Order) -> Order:
    """The payment callback for one order (orders_pay, as the webhook calls it)."""
    return orders_pay(orders=[order])[0]


def listing_changes(product) -> list[tuple]:
    """(field, before, after, by) of each change in the listing's history (its
    LISTING_CHANGED and PHOTOS_CHANGED audit events), oldest first, fields in form
    order, values as stored."""
    rows = []
    for event in history(product, HISTORY_ACTIONS).order_by("at", "pk"):
        if event.action == AuditEvent.Action.PHOTOS_CHANGED:
            rows.append((PHOTOS, None, event.note, event.actor))
            continue
        for name in sorted(event.after, key=LISTING_FIELDS.index):
            rows.append((name, event.before.get(name), event.after[name], event.actor))
    return rows


def shipping_template(farmer, actor=None, **changes) -> ShippingTemplate:
    """Save the farmer's whole shipping template through the service (by weight,
    ¥10 the first kg and ¥5 each further, no threshold, delivered everywhere,
    no groups), with `changes` on top."""
    values = {
        "charge_by": ChargeBy.WEIGHT,
        "first": Decimal("10.00"),
        "additional": Decimal("5.00"),
        "free_over": None,
        "not_delivered": [],
        "groups": [],
        **changes,
    }
    return template_save(farmer=farmer, actor=actor or farmer.user, **values)
