"""A small world for the access-control matrix, built once for the package.

Two counties: IN and OUT. In county IN, farmer F1 (the owner of most objects) is
assigned to assistant A, and farmer F2 to assistant B (the same county, not
assigned to F1); in county OUT, farmer F_out is assigned to assistant C. Buyer B1
owns order O1 (F1's, paid), an unpaid checkout, an address and a cart; buyer B2
owns orders of F2 and F_out. An official oversees each county; one staff member.
The day's payment reconciliation has one mismatch, about B1's unpaid checkout;
a refund of O1's failed and is owed to B1.

Work units U1 and U2 sit in county IN: U1 has an admin, a buyer, an open
invitation and a budget; U2 an admin. U1's buyer ordered F1's listing for the
unit (its bank transfer awaited) and has F2's in the cart.

The matrix acts as thirteen people (`World.users`, one per column of the
table): anonymous, B1, B2, U1's admin and buyer, U2's admin, F1, F2, A, B, the
official of IN, the official of OUT, staff.
Every object a URL names belongs to the B1/F1/A/official-of-IN chain, so each
column says what that person gets of someone's object: their own, or not.
"""

import csv
import io
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from accounts.models import Role
from aftersales.services import aftersale_request
from assistants.models import Assignment
from catalogue.models import ProductImage, ProductStatus
from catalogue.services.listings import product_create, product_submit
from farmers.services import register_import_upload
from fieldwork import services
from orders.carts import cart_view
from orders.models import Cart, Mismatch, Reconciliation, Refund, RefundStatus
from orders.services.cart import cart_add
from orders.services.transfers import transfer_received
from orders.services.transitions import order_complete, order_deliver, order_ship
from procurement.selectors import invite_by_token
from procurement.services.acceptance import order_accept
from procurement.services.invoices import invoice_upload
from procurement.services.staff import staff_link_make
from procurement.services.units import (
    budget_set,
    invite_accept,
    invite_create,
    unit_order_place,
    unit_register,
)
from reports.exports import export_build, export_request
from reviews.services import review_write
from settlement.models import Payout, PayoutAccount, PayoutBatch
from shipping.models import PickupPoint
from sms.services import sms_queue
from tests.factories import (
    SURVEY_FIGURES,
    AddressFactory,
    AssistantFactory,
    CategoryFactory,
    CountyFactory,
    PovertyLineFactory,
    ProductFactory,
    UserFactory,
    VillageFactory,
    farmer_of,
    order_pay,
    place_checkout,
)

# The columns of the matrix, in order.
ROLES = (
    "anon",  # not signed in
    "buyer",  # B1: the buyer of O1, owner of the address, cart and checkout
    "buyer2",  # B2: another buyer
    "uadmin",  # the admin of work unit U1 (in F1's county)
    "ubuyer",  # a buyer of U1
    "uadmin2",  # the admin of another unit, U2 (same county)
    "farmer",  # F1: the owner of the listing, storefront, household, orders
    "farmer2",  # F2: another farmer (same county)
    "asst",  # A: F1's assistant
    "asst2",  # B: an assistant of the same county, not assigned to F1
    "off_in",  # the official of F1's county (and owner of an import, an export)
    "off_out",  # the official of another county
    "staff",
)
SURVEY_YEAR = timezone.localdate().year - 1


@dataclass
class World:
    users: dict = field(default_factory=dict)  # column → User (None: anonymous)
    objects: dict = field(default_factory=dict)  # name → model instance
    sessions: dict = field(default_factory=dict)  # column → a signed-in session key


def png(name: str) -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 120, 40)).save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name=name)


def register_csv(county, village) -> ContentFile:
    """A valid one-row register for `county` (importing it changes households)."""
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(
        ["county_code", "village", "registration_number", "registration_year"]
        + ["head_of_household", "members", "poverty_causes"]
    )
    writer.writerow([county.code, village.name, "M0000001", 2016, "王五", 3, "illness"])
    return ContentFile(rows.getvalue().encode(), name="register.csv")


def _fieldwork(assistant, farmer, tag: str, objects: dict) -> None:
    """A training session, a visit and a survey by `assistant` for `farmer`."""
    today = timezone.localdate()
    objects[f"training{tag}"] = services.training_record(
        assistant=assistant,
        held_on=today - timedelta(days=3),
        hours=Decimal("2"),
        topics=["pricing"],
        location="村委会",
        farmers=[farmer],
    )
    objects[f"visit{tag}"] = services.visit_record(
        assistant=assistant,
        household=farmer.household,
        visited_on=today - timedelta(days=2),
        purpose="survey",
        device={"photo": png(f"visit{tag}.png")},
    )
    objects[f"survey{tag}"] = services.survey_record(
        household=farmer.household,
        year=SURVEY_YEAR,
        recorded_by=assistant.user,
        **SURVEY_FIGURES,
    )


def _paid_order(buyer, product):
    checkout = place_checkout(buyer, [(product, 1)])
    return order_pay(order=checkout.orders.get())


def _received(buyer, product):
    order = _paid_order(buyer, product)
    order_ship(
        order=order, actor=order.farmer.user, carrier="other", tracking_number="E1234"
    )
    return order_deliver(order=order, actor=order.farmer.user)


def _completed(buyer, product):
    return order_complete(order=_received(buyer, product), actor=buyer)


def _units(county, objects: dict) -> dict:
    """Units U1 (an admin, a buyer, an open invitation, a budget) and U2 (an
    admin), both in `county`; returns their people by column."""
    staff = UserFactory(role=Role.STAFF)
    people = {}
    for tag, column in (("1", "uadmin"), ("2", "uadmin2")):
        unit, token = unit_register(
            name=f"单位{tag}", name_en="", kind="school", county=county, actor=staff
        )
        admin = UserFactory(role=Role.BUYER)
        invite_accept(invite=invite_by_token(token), user=admin)
        objects[f"unit{tag}"], people[column] = unit, admin
    unit = objects["unit1"]
    people["ubuyer"] = buyer = UserFactory(role=Role.BUYER)
    token = invite_create(unit=unit, role="buyer", note="", actor=people["uadmin"])
    objects["unit_buyer"] = invite_accept(invite=invite_by_token(token), user=buyer)
    objects["invite_token"] = invite_create(
        unit=unit, role="buyer", note="canteen", actor=people["uadmin"]
    )
    objects["invite"] = invite_by_token(objects["invite_token"])
    objects["staff_link"] = staff_link_make(unit=unit, actor=people["uadmin"])
    budget_set(unit=unit, year=SURVEY_YEAR + 1, amount=Decimal("100000"), actor=staff)
    return people


def _unit_order_place(buyer, product, reference: str):
    cart, _ = Cart.objects.get_or_create(buyer=buyer)
    cart_add(cart=cart, product_id=product.pk, quantity=2)
    return cart, unit_order_place(
        member=buyer.unit_membership,
        cart=cart,
        address=buyer.addresses.get(),
        deliver_by=timezone.localdate() + timedelta(days=3),
        purchase_reference=reference,
        idempotency_key=uuid.uuid4(),
        quote=cart_view(cart, to=buyer.addresses.get().province).quote,
    )


def _unit_order_delivered(buyer, product, objects: dict) -> None:
    """U1's buyer also ordered `product` earlier: paid by transfer, shipped,
    accepted in part (not rated yet; the refund of the rest still to send back
    by bank), and F1 uploaded its invoice."""
    staff = UserFactory(role=Role.STAFF)
    _, checkout = _unit_order_place(buyer, product, "CG-0")
    payment = checkout.payments.get()
    transfer_received(
        payment=payment, bank_reference="B0001", amount=payment.amount, actor=staff
    )
    order = checkout.orders.get()
    order_ship(
        order=order, actor=order.farmer.user, carrier="other", tracking_number="E1234"
    )
    unit_order = order.unit_order
    line = order.lines.get()  # 2 ordered: 1 accepted, 1 refused (refunded)
    order_accept(
        unit_order=unit_order, actor=buyer, accepted={line.pk: 1}, reason="一袋破损"
    )
    objects["transfer_refund"] = Refund.objects.get(order=order)
    invoice_upload(
        unit_order=unit_order,
        actor=order.farmer.user,
        number="FP0001",
        issued_by="合作社",
        file=png("invoice.png"),
    )
    objects["unit_done"], objects["o_unit_done"] = unit_order, order


def _unit_order(buyer, ordered, in_cart, objects: dict) -> None:
    """U1's buyer ordered `ordered` for the unit (its transfer awaited) and has
    `in_cart` in the cart."""
    cart, checkout = _unit_order_place(buyer, ordered, "CG-1")
    objects["transfer"] = checkout.payments.get()
    objects["o_unit"] = checkout.orders.get()
    objects["unit_address"] = buyer.addresses.get()
    cart_add(cart=cart, product_id=in_cart.pk, quantity=1)
    objects["unit_cart"] = cart


def build_world() -> World:
    world = World()
    o = world.objects
    o["county_in"] = county_in = CountyFactory()
    o["county_out"] = county_out = CountyFactory()
    village_in = VillageFactory(county=county_in)
    village_out = VillageFactory(county=county_out)
    PovertyLineFactory(year=SURVEY_YEAR)
    o["category"] = CategoryFactory()

    a = AssistantFactory(county=county_in)
    b = AssistantFactory(county=county_in)
    c = AssistantFactory(county=county_out)
    registered = {"household__registered": True}
    o["f1"] = f1 = farmer_of(a, household__village=village_in, **registered)
    o["f2"] = f2 = farmer_of(b, household__village=village_in)
    o["f_out"] = f_out = farmer_of(c, household__village=village_out, **registered)
    for tag, farmer in (("1", f1), ("2", f2), ("_out", f_out)):
        o[f"household{tag}"] = farmer.household
        o[f"assignment{tag}"] = Assignment.objects.get(farmer=farmer, ended_on=None)

    off_in = UserFactory(role=Role.OFFICIAL)
    off_in.counties.add(county_in)
    off_out = UserFactory(role=Role.OFFICIAL)
    off_out.counties.add(county_out)
    b1, b2 = UserFactory(role=Role.BUYER), UserFactory(role=Role.BUYER)
    unit_people = _units(county_in, o)
    world.users = {
        "anon": None,
        "buyer": b1,
        "buyer2": b2,
        **unit_people,
        "farmer": f1.user,
        "farmer2": f2.user,
        "asst": a.user,
        "asst2": b.user,
        "off_in": off_in,
        "off_out": off_out,
        # Staff as `createsuperuser` makes them (the admin's permissions too).
        "staff": UserFactory(role=Role.STAFF, is_superuser=True),
    }

    # Listings: each farmer's active one, and one pending review (F1's listed by A).
    active = {"status": ProductStatus.ACTIVE}
    o["p1"] = p1 = ProductFactory(farmer=f1, **active)
    o["p2"] = p2 = ProductFactory(farmer=f2, **active)
    o["p_out"] = p_out = ProductFactory(farmer=f_out, **active)
    for farmer, creator, name in (
        (f1, a.user, "p1_pending"),
        (f2, f2.user, "p2_pending"),
        (f_out, f_out.user, "p_out_pending"),
    ):
        product = product_create(
            farmer=farmer,
            created_by=creator,
            category=o["category"],
            title=f"Pending {name}",
            description="Waiting for review.",
            unit="bottle",
            net_weight_kg=Decimal("0.5"),
            price=Decimal("30.00"),
            stock=5,
        )
        o[name] = product_submit(product=product, actor=creator)
    o["photo"] = ProductImage.objects.create(
        product=p1, image=png("p1-a.png"), position=0
    )
    ProductImage.objects.create(product=p1, image=png("p1-b.png"), position=1)

    # Orders: O1 (B1 from F1, paid), an unpaid checkout of B1's, B2's orders.
    AddressFactory(buyer=b1)
    o["o1"] = _paid_order(b1, p1)
    o["checkout"] = unpaid = place_checkout(b1, [(p1, 1)])
    o["o1_unpaid"] = unpaid.orders.get()
    o["payment"] = unpaid.payments.get()
    o["o2"] = _paid_order(b2, p2)
    o["o_out"] = _paid_order(b2, p_out)
    # B1 received two more of F1's orders: one asked about (a return of one
    # unit, waiting for F1), one not yet.
    o["o1_asked"], o["o1_received"] = (_received(b1, p1) for _ in range(2))
    o["pickup_point"] = PickupPoint.objects.create(
        county=county_in,
        name="石板村服务站",
        kind="station",
        address="石板村村委会旁",
        opening_hours="每天 8:00–18:00",
    )
    # And two completed ones: one reviewed, one not yet.
    o["o1_reviewed"], o["o1_done"] = (_completed(b1, p1) for _ in range(2))
    o["review"] = review_write(
        line=o["o1_reviewed"].lines.get(), buyer=b1, rating=2, comment="一般"
    )
    o["aftersale"] = aftersale_request(
        order=o["o1_asked"],
        buyer=b1,
        kind="return",
        reason="damaged",
        quantities={o["o1_asked"].lines.get().pk: 1},
    )
    # The reconciliation found money at the gateway for B1's unpaid checkout (the
    # simulated gateway, asked again, says it is still pending).
    o["reconciliation"] = Reconciliation.objects.create(
        provider="simulated", day=timezone.localdate(), ran_at=timezone.now()
    )
    o["mismatch"] = Mismatch.objects.create(
        reconciliation=o["reconciliation"],
        kind=Mismatch.Kind.PAID_NOT_RECORDED,
        reference=str(o["payment"].reference),
        transaction_id="SIMMISSED",
        payment=o["payment"],
        our_amount=o["payment"].amount,
        their_amount=o["payment"].amount,
    )
    # A refund of O1's that the gateway reported failed, owed to B1 (written
    # directly); staff may send it again.
    o["refund_owed"] = Refund.objects.create(
        payment=o["o1"].checkout.payments.get(),
        order=o["o1"],
        amount=Decimal("1.00"),
        refund_id=f"{o['o1'].checkout.payments.get().reference}-{o['o1'].pk}-p1",
        status=RefundStatus.FAILED,
        settled_at=timezone.now(),
    )
    # F1's payout account, entered by F1 and not yet verified by A; a batch that
    # pays F1 (written directly: the ledger is settlement's tests' business).
    o["payout_account"] = PayoutAccount.objects.create(
        farmer=f1,
        method="bank",
        holder_name="王秀英",
        bank_name="农业银行",
        number="6222021234567890128",
        entered_by=f1.user,
        entered_at=timezone.now(),
    )
    o["batch"] = PayoutBatch.objects.create(total=Decimal("10.00"))
    o["payout"] = Payout.objects.create(
        batch=o["batch"],
        farmer=f1,
        amount=Decimal("10.00"),
        method="bank",
        holder_name="王秀英",
        bank_name="农业银行",
        number="6222021234567890128",
    )
    o["address1"] = b1.addresses.get()
    o["address2"] = b2.addresses.get()
    cart_add(cart=Cart.objects.get(buyer=b1), product_id=p2.pk, quantity=1)
    o["cart_product"] = p2
    AddressFactory(buyer=world.users["ubuyer"])
    _unit_order_delivered(world.users["ubuyer"], p1, o)
    _unit_order(world.users["ubuyer"], p1, p2, o)

    _fieldwork(a, f1, "1", o)
    _fieldwork(b, f2, "2", o)
    _fieldwork(c, f_out, "_out", o)

    o["register_import"] = register_import_upload(
        upload=register_csv(county_in, village_in), uploaded_by=off_in
    )
    o["register_import_out"] = register_import_upload(
        upload=register_csv(county_out, village_out), uploaded_by=off_out
    )
    year = {"start": f"{SURVEY_YEAR}-01", "end": f"{SURVEY_YEAR}-12"}
    for official, county, name in (
        (off_in, county_in, "export"),
        (off_out, county_out, "export_out"),
    ):
        export = export_request(
            user=official,
            report="county_sales",
            params={"county": county.code, **year},
            file_format="csv",
        )
        export_build(export.pk)
        export.refresh_from_db()
        o[name] = export
    # A text message in the send log (F1's set-password link).
    o["text"] = sms_queue(
        phone=f1.phone,
        purpose="set_password",
        params={"link": "accounts/set-password/x/y/"},
        recipient=f1.user,
    )
    return world
