"""The world every bad-input case runs in: one county's people and objects, and a
valid payload for each form the cases post to."""

from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from catalogue.models import ProductStatus
from farmers.models import RegisterStatus
from farmers.services import register_import_upload
from fieldwork import services
from orders.carts import cart_view
from orders.models import Cart
from orders.services.cart import cart_add
from tests.bad_input.cases import LAST_YEAR, NEW_PASSWORD, PASSWORD, World, good_photo
from tests.factories import (
    SURVEY_FIGURES,
    AddressFactory,
    AssistantFactory,
    CategoryFactory,
    CountyFactory,
    FarmerFactory,
    ProductFactory,
    UserFactory,
    VillageFactory,
    farmer_of,
    order_pay,
    place_order,
)
from tests.farmers.test_register_import import csv_upload, row, xlsx_upload


@pytest.fixture
def world():
    """One county with an assistant, their farmer (a registered household, a
    listing on sale, one pending review, a survey, a training session), a buyer
    with an address, a paid order and a cart, an official, and a register upload
    with bad rows."""
    county = CountyFactory(code="529901")  # the registers' county (row() below)
    assistant = AssistantFactory(county=county)
    VillageFactory(county=county, name="Shiban")
    farmer = farmer_of(assistant, household__registered=True)
    product = ProductFactory(farmer=farmer, status=ProductStatus.ACTIVE, stock=50)
    pending = ProductFactory(
        farmer=farmer, status=ProductStatus.PENDING, submitted_at=timezone.now()
    )
    buyer = UserFactory(role=Role.BUYER)
    address = AddressFactory(buyer=buyer)
    order = order_pay(order=place_order(buyer=buyer, product=product))
    cart_add(
        cart=Cart.objects.get_or_create(buyer=buyer)[0],
        product_id=product.pk,
        quantity=1,
    )
    official = UserFactory(role=Role.OFFICIAL)
    official.counties.add(county)
    survey = services.survey_record(
        household=farmer.household,
        year=LAST_YEAR,
        recorded_by=assistant.user,
        **SURVEY_FIGURES,
    )
    session = services.training_record(
        assistant=assistant,
        held_on=timezone.localdate(),
        hours=Decimal("2"),
        topics=["pricing"],
        location="村委会",
        farmers=[farmer],
    )
    bad_register = register_import_upload(  # Excel's largest cell, and 1e30 people
        upload=xlsx_upload(
            [row("R001", members="1e30"), row("R002", head_of_household="x" * 32767)]
        ),
        uploaded_by=official,
    )
    loner = FarmerFactory(household__village__county=county)  # nobody's farmer yet
    category = CategoryFactory()
    village = county.villages.get(name="Shiban")
    quote = cart_view(Cart.objects.get(buyer=buyer), to=address.province).quote
    return World(
        users={
            "anonymous": None,
            "buyer": buyer,
            "farmer": farmer.user,
            "assistant": assistant.user,
            "official": official,
        },
        ids={
            "product": product.pk,
            "pending": pending.pk,
            "farmer": farmer.pk,
            "order": order.pk,
            "survey": survey.pk,
            "session": session.pk,
            "register": bad_register.pk,
        },
        payloads={
            "sign_in": {"username": buyer.username, "password": PASSWORD},
            "sign_up": {
                "username": "newbuyer",
                "email": "newbuyer@example.com",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
            "password": {
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
            "storefront": {
                "shop_name": farmer.shop_name,
                "slug": farmer.slug,
                "story": "我们的蜂蜜",
                "phone": farmer.phone,
            },
            "listing": {
                "category": category.pk,
                "title": "高山蜂蜜",
                "description": "野生百花蜜",
                "unit": "bottle",
                "net_weight_kg": "0.5",
                "price": "68.00",
                "stock": "20",
            },
            "listing_for": {  # an assistant's: for one of their farmers
                "farmer": farmer.pk,
                "category": category.pk,
                "title": "高山蜂蜜",
                "unit": "bottle",
                "net_weight_kg": "0.5",
                "price": "68.00",
                "stock": "20",
            },
            "quick": {"price": "68.00", "stock": "20"},
            "photo": {"photo": good_photo},
            "api_photo": {"image": good_photo},
            "register": {"file": lambda: csv_upload([row("R009")])},
            "onboard": {
                "farmer-full_name": "王秀英",
                "farmer-phone": "13912345678",
                "farmer-username": "",
                "farmer-shop_name": "秀英的蜂蜜",
                "farmer-slug": "",
                "farmer-household_choice": "new",
                "household-village": village.pk,
                "household-head_name": "王大山",
                "household-members": "4",
                "household-status": RegisterStatus.REGISTERED,
                "household-registration_number": "5299012016001",
                "household-registration_year": "2016",
                "household-poverty_causes": ["illness"],
                "household-support_measures": "养蜂培训",
                "household-expected_exit_year": "2019",
            },
            "exit": {"exited_on": str(timezone.localdate()), "reason": "脱贫"},
            "reject": {
                "reason": "照片模糊",
                "version": pending.updated_at.isoformat(),
            },
            "visit": {
                "visited_on": str(timezone.localdate()),
                "purpose": "follow_up",
                "challenges": "",
                "support_needed": "",
            },
            "survey": {"year": LAST_YEAR - 1, **SURVEY_FIGURES},
            "survey_edit": {**SURVEY_FIGURES, "wages": "6500.00"},
            "training": {
                "held_on": str(timezone.localdate()),
                "hours": "2",
                "location": "村委会",
                "topics": ["pricing"],
                "farmers": [farmer.pk],
                "notes": "",
            },
            "assign": {"farmers": [loner.pk], "assistant": assistant.pk},
            "address": {
                "add_address": "1",
                "recipient": "李明",
                "phone": "13800000000",
                "province": "420000",
                "city": "420100",
                "district": "420111",
                "street": "珞喻路 1 号",
            },
            "place": {
                "place": "1",
                "address": address.pk,
                "provider": "simulated",
                "idempotency_key": "6f1c1f5e-4c3b-4b6e-9d8a-2f0e7a1b2c3d",
                "quote": quote,
            },
            "cart_add": {"product": product.pk, "quantity": "1"},
            "quantity": {"quantity": "2"},
            "ship": {"carrier": "ems", "tracking_number": "EM123456789CN"},
            "cancel": {"note": ""},
            "export": {
                "report": "county_sales",
                "format": "csv",
                "start": f"{LAST_YEAR}-01",
                "end": f"{LAST_YEAR}-12",
            },
            "import": {},
            "query": {},  # GET: the query string is the whole payload
            # The API's valid bodies.
            "api_listing": {
                "category": category.slug,
                "title": "高山蜂蜜",
                "description": "野生百花蜜",
                "unit": "bottle",
                "net_weight_kg": "0.500",
                "price": "68.00",
                "stock": 20,
            },
            "api_listing_for": {  # an assistant's: for one of their farmers
                "category": category.slug,
                "title": "高山蜂蜜",
                "unit": "bottle",
                "net_weight_kg": "0.500",
                "price": "68.00",
                "stock": 20,
                "farmer": farmer.pk,
            },
            "api_cart": {"product": product.pk, "quantity": 1},
            "api_quantity": {"quantity": 2},
            "api_address": {
                "recipient": "李明",
                "phone": "13800000000",
                "region": "湖北省",
                "street": "1号",
            },
            "api_checkout": {
                "address": address.pk,
                "provider": "simulated",
                "idempotency_key": "6f1c1f5e-4c3b-4b6e-9d8a-2f0e7a1b2c3d",
                "quote": quote,
            },
            "api_ship": {"carrier": "ems", "tracking_number": "EM123456789CN"},
            "api_reject": {"reason": "照片模糊"},
            "api_cancel": {"note": ""},
            "api_training": {
                "held_on": str(timezone.localdate()),
                "hours": "2.0",
                "location": "村委会",
                "topics": ["pricing"],
                "farmers": [farmer.pk],
            },
            "api_attendance": {"farmers": []},
            "api_visit": {
                "household": farmer.household_id,
                "visited_on": str(timezone.localdate()),
                "purpose": "follow_up",
            },
            "api_survey": {
                "household": farmer.household_id,
                "year": LAST_YEAR - 1,
                **{name: str(value) for name, value in SURVEY_FIGURES.items()},
            },
            "api_survey_edit": {"wages": "100.00"},
            "api_token": {"username": buyer.username, "password": PASSWORD},
        },
    )
