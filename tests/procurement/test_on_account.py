"""Paying on account: where staff allow it, a unit's goods ship unpaid; once the
unit has decided on all of a checkout's goods it owes what it accepted (what it
refused is credited, never charged), within UNIT_PAY_DAYS of its last decision.
The ledger holds that as owed by the unit, the farmers' earnings stay on hold
until staff record the transfer, and an overdue payment is chased every
UNIT_CHASE_DAYS. A wrong amount, a payment before every good is decided, or a
unit not allowed to pay this way: a message, nothing changed."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from catalogue.models import ProductStatus
from notifications.messages import render
from notifications.models import Notification
from orders.models import Cart, Order, OrderStatus, Payment, PaymentStatus, Refund
from orders.services.cart import cart_add
from orders.services.transfers import transfer_received, transfer_refund_sent
from orders.services.transitions import order_cancel, order_refund, order_ship
from procurement.models import AcceptanceLine, UnitOrder
from procurement.services.dues import chase_overdue
from settlement.invariants import first_mismatch
from settlement.models import Account, Entry, Posting
from settlement.services.earnings import release_due_earnings
from tests.factories import AddressFactory, ProductFactory
from tests.procurement.conftest import joined, unit_checkout
from tests.procurement.test_acceptance import accept, english, text

pytestmark = pytest.mark.django_db
K = Account.Kind
ON_ACCOUNT = "on_account"


def balance(kind, provider="", farmer=None) -> Decimal:
    rows = Posting.objects.filter(
        account__kind=kind, account__provider=provider, account__farmer=farmer
    )
    return rows.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def place(buyer, lines, provider=ON_ACCOUNT):
    return unit_checkout(buyer, lines, reference="HT-30", provider=provider)


def ship(order):
    order_ship(
        order=order, actor=order.farmer.user, carrier="other", tracking_number="E0001"
    )


@pytest.fixture
def on_account(unit_and_admin, staff):
    """A unit staff allow to pay on account (through its page), its buyer, and
    rice at ¥52.50 and honey at ¥88.00 from one storefront."""
    unit, admin = unit_and_admin
    english(staff).post(
        reverse("procurement:terms_set", args=[unit.pk]), {"pays_on_account": "on"}
    )
    unit.refresh_from_db()
    buyer = joined(unit, by=admin).user
    AddressFactory(buyer=buyer)
    rice = ProductFactory(
        status=ProductStatus.ACTIVE, price=Decimal("52.50"), stock=150
    )
    honey = ProductFactory(
        status=ProductStatus.ACTIVE,
        price=Decimal("88.00"),
        stock=50,
        farmer=rice.farmer,
    )
    return unit, admin, buyer, rice, honey


def accepted_value(checkout) -> Decimal:
    """What the unit accepted of the checkout: each line's accepted quantity at
    its price, from the acceptance lines."""
    lines = AcceptanceLine.objects.filter(
        acceptance__unit_order__order__checkout=checkout
    )
    value = lines.aggregate(v=Sum(F("accepted") * F("line__unit_price")))["v"]
    return value.quantize(Decimal("0.01"))


def test_staff_decide_who_pays_on_account_and_it_is_audited(on_account):
    unit, _admin, buyer, rice, _honey = on_account
    assert unit.pays_on_account
    event = AuditEvent.objects.get(action=AuditEvent.Action.UNIT_TERMS_SET)
    assert event.after == {"pays_on_account": True}
    cart_add(cart=Cart.objects.create(buyer=buyer), product_id=rice.pk, quantity=5)
    page = text(english(buyer).get(reverse("procurement:checkout")))
    assert "On account: transfer what you accept, after acceptance" in page


def test_a_unit_not_allowed_cannot_order_on_account(unit_and_admin):
    unit, admin = unit_and_admin
    buyer = joined(unit, by=admin).user
    AddressFactory(buyer=buyer)
    rice = ProductFactory(
        status=ProductStatus.ACTIVE, price=Decimal("52.50"), stock=150
    )
    with pytest.raises(ValidationError, match="cannot pay this way"):
        place(buyer, [(rice, 10)])
    assert not Order.objects.exists()
    rice.refresh_from_db()
    assert rice.stock == 150


def test_the_goods_ship_unpaid_and_the_unit_owes_what_it_accepted(on_account, staff):
    _unit, _admin, buyer, rice, honey = on_account
    checkout = place(buyer, [(rice, 100), (honey, 40)])
    order = checkout.orders.get()
    payment = checkout.payments.get()
    assert order.status == OrderStatus.PAID  # to ship, unpaid
    assert payment.status == PaymentStatus.PENDING
    done = text(english(buyer).get(reverse("orders:checkout_done", args=[checkout.pk])))
    assert "Pay on account, after acceptance" in done and "¥8770.00" in done
    # Nothing is due before the unit decides: staff have nothing to record.
    assert str(payment.reference) not in text(
        english(staff).get(reverse("procurement:transfers"))
    )
    ship(order)
    unit_order = UnitOrder.objects.get(order=order)
    accept(english(buyer), unit_order, lines={rice.title: 92}, reason="8 bags wet")
    due = accepted_value(checkout)
    assert due == Decimal("8350.00")  # 8,770 less 8 bags at 52.50
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    # The refused part is a credit: nothing to send back by bank.
    assert Refund.objects.get(order=order).amount == Decimal("420.00")
    refunds = text(english(staff).get(reverse("procurement:transfer_refunds")))
    assert Refund.objects.get(order=order).refund_id not in refunds
    # The ledger: the unit owes what it accepted; the farmer's earning is pending.
    assert balance(K.CLEARING, ON_ACCOUNT) == due
    assert -balance(K.FARMER_PENDING, farmer=order.farmer) == due
    assert first_mismatch() is None
    pay_by = timezone.localdate(order.completed_at) + timedelta(days=30)
    listed = text(english(staff).get(reverse("procurement:transfers")))
    assert "¥8350.00" in listed and f"on account · by {pay_by:%Y-%m-%d}" in listed
    unit_page = text(english(buyer).get(reverse("procurement:home")))
    assert "¥8350.00" in unit_page and f"pay by {pay_by:%Y-%m-%d}" in unit_page


def decided(on_account):
    _unit, _admin, buyer, rice, honey = on_account
    checkout = place(buyer, [(rice, 100), (honey, 40)])
    order = checkout.orders.get()
    ship(order)
    accept(
        english(buyer),
        UnitOrder.objects.get(order=order),
        lines={rice.title: 92},
        reason="8 bags wet",
    )
    order.refresh_from_db()
    return checkout, order, checkout.payments.get()


def test_the_earning_waits_for_the_unit_to_pay_then_is_released(on_account, staff):
    checkout, order, payment = decided(on_account)
    after_hold = order.completed_at + timedelta(days=8)
    assert release_due_earnings(now=after_hold) == 0
    due = accepted_value(checkout)
    client = english(staff)
    url = reverse("procurement:transfer_receive", args=[payment.pk])
    wrong = client.post(url, {"bank_reference": "GH-77", "amount": "8770.00"})
    assert "is not the amount due (¥8350.00)" in text(wrong)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    paid = client.post(
        url, {"bank_reference": "GH-77", "amount": str(due)}, follow=True
    )
    assert "The transfer is recorded: the orders are paid for." in text(paid)
    payment.refresh_from_db()
    assert (payment.status, payment.transaction_id) == (PaymentStatus.PAID, "GH-77")
    assert payment.amount - payment.refunded == due  # less the credit
    assert balance(K.CLEARING, ON_ACCOUNT) == 0
    assert balance(K.CLEARING, "bank_transfer") == due
    event = AuditEvent.objects.get(action=AuditEvent.Action.TRANSFER_RECEIVED)
    assert event.after == {"status": "paid", "bank_reference": "GH-77"}
    assert release_due_earnings(now=after_hold) == 1
    assert -balance(K.FARMER_AVAILABLE, farmer=order.farmer) == due
    assert first_mismatch() is None


def test_a_refund_after_the_unit_paid_goes_back_from_the_bank(on_account, staff):
    checkout, order, payment = decided(on_account)
    transfer_received(
        payment=payment,
        bank_reference="GH-78",
        amount=accepted_value(checkout),
        actor=staff,
    )
    order_refund(order=order, actor=staff, note="spoiled in storage")
    back = Refund.objects.filter(order=order).order_by("pk").last()
    assert back.amount == Decimal("8350.00")
    assert balance(K.CLEARING, "bank_transfer") == 0
    refunds = text(english(staff).get(reverse("procurement:transfer_refunds")))
    assert back.refund_id in refunds
    assert first_mismatch() is None


def test_nothing_is_paid_before_every_good_of_the_checkout_is_decided(
    on_account, staff
):
    _unit, _admin, buyer, rice, _honey = on_account
    beans = ProductFactory(
        status=ProductStatus.ACTIVE, price=Decimal("30.00"), stock=20
    )  # another storefront
    checkout = place(buyer, [(rice, 10), (beans, 5)])
    first, second = checkout.orders.order_by("pk")
    ship(first)
    ship(second)
    accept(english(buyer), UnitOrder.objects.get(order=first))
    payment = checkout.payments.get()
    with pytest.raises(ValidationError, match="not accepted yet"):
        transfer_received(
            payment=payment, bank_reference="GH-79", amount=first.total, actor=staff
        )
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    url = reverse("procurement:transfer_receive", args=[payment.pk])
    assert english(staff).get(url).status_code == 404  # not in the list yet
    accept(english(buyer), UnitOrder.objects.get(order=second))
    assert english(staff).get(url).status_code == 200


def test_everything_refused_leaves_nothing_due(on_account, staff):
    _unit, _admin, buyer, rice, _honey = on_account
    checkout = place(buyer, [(rice, 10)])
    order = checkout.orders.get()
    ship(order)
    unit_order = UnitOrder.objects.get(order=order)
    accept(english(buyer), unit_order, lines={rice.title: 0}, reason="all mouldy")
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert str(checkout.payments.get().reference) not in text(
        english(staff).get(reverse("procurement:transfers"))
    )
    assert balance(K.CLEARING, ON_ACCOUNT) == 0
    assert first_mismatch() is None


def test_an_overdue_payment_is_chased_every_few_days_until_paid(on_account, staff):
    unit, admin, buyer, _rice, _honey = on_account
    checkout, order, payment = decided(on_account)
    pay_by = timezone.localdate(order.completed_at) + timedelta(days=30)
    on_the_day = order.completed_at + timedelta(days=30)
    assert chase_overdue(now=on_the_day) == 0  # due today: not overdue yet
    next_day = timezone.localtime(on_the_day).replace(hour=9) + timedelta(days=1)
    assert chase_overdue(now=next_day) == 1
    chased = Notification.objects.filter(kind=Notification.Kind.UNIT_PAYMENT_OVERDUE)
    assert sorted(chased.values_list("recipient", flat=True)) == sorted(
        [admin.pk, buyer.pk]
    )
    message = render(chased.first())
    assert "¥8350.00" in message.text and pay_by.isoformat() in message.text
    chased.update(created_at=next_day)  # as if sent then
    assert chase_overdue(now=next_day + timedelta(days=1)) == 0  # once a week
    assert chase_overdue(now=next_day + timedelta(days=8)) == 1
    assert chased.count() == 4
    transfer_received(
        payment=payment,
        bank_reference="GH-80",
        amount=accepted_value(checkout),
        actor=staff,
    )
    assert chase_overdue(now=next_day + timedelta(days=16)) == 0
    assert "is settled" in render(chased.first()).text
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PAID


def test_a_removed_member_no_longer_sees_or_cancels_the_units_order(on_account):
    unit, admin, buyer, rice, _honey = on_account
    checkout = place(buyer, [(rice, 10)])
    order = checkout.orders.get()
    client = english(buyer)
    assert client.get(reverse("orders:detail", args=[order.pk])).status_code == 200
    member = unit.members.get(user=buyer)
    english(admin).post(
        reverse("procurement:member_remove", args=[unit.pk, member.pk]), follow=True
    )
    assert not unit.members.filter(user=buyer).exists()
    assert client.get(reverse("orders:detail", args=[order.pk])).status_code == 404
    assert order.number not in text(client.get(reverse("orders:home")))
    with pytest.raises(ValidationError):
        order_cancel(order=order, actor=buyer)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_a_checkout_of_three_storefronts_owes_what_was_kept_from_the_last_decision(
    on_account, staff
):
    _unit, _admin, buyer, rice, honey = on_account
    beans = ProductFactory(status=ProductStatus.ACTIVE, price=Decimal("30.00"))
    tea = ProductFactory(status=ProductStatus.ACTIVE, price=Decimal("125.00"))
    checkout = place(buyer, [(rice, 20), (honey, 10), (beans, 5), (tea, 4)])
    kept, cancelled, refused = checkout.orders.order_by("pk")
    order_cancel(order=cancelled, actor=buyer)  # before it ships
    ship(kept)
    ship(refused)
    accept(
        english(buyer),
        UnitOrder.objects.get(order=kept),
        lines={rice.title: 18},
        reason="2 bags torn",
    )
    kept.refresh_from_db()
    early = kept.completed_at - timedelta(days=5)  # accepted days before
    Order.objects.filter(pk=kept.pk).update(completed_at=early)
    payment = checkout.payments.get()
    url = reverse("procurement:transfer_receive", args=[payment.pk])
    assert english(staff).get(url).status_code == 404  # one still on its way
    tea_line = refused.lines.get()
    accept(
        english(buyer),
        UnitOrder.objects.get(order=refused),
        lines={tea_line.title: 0},
        reason="wrong tea",
    )
    refused.refresh_from_db()
    assert refused.status == OrderStatus.REFUNDED
    due = accepted_value(checkout)
    assert due == 18 * Decimal("52.50") + 10 * Decimal("88.00")
    page = english(staff).get(url)
    assert f"¥{due}" in text(page)
    # Due from the last decision (the whole refusal), not from the first.
    pay_by = timezone.localdate(refused.closed_at) + timedelta(days=30)
    assert f"{pay_by:%Y-%m-%d}" in text(page)
    assert timezone.localdate(early) + timedelta(days=30) != pay_by
    assert first_mismatch() is None
    transfer_received(payment=payment, bank_reference="GH-81", amount=due, actor=staff)
    assert balance(K.CLEARING, ON_ACCOUNT) == 0
    assert first_mismatch() is None


def test_holds_that_ended_before_the_unit_paid_end_when_it_pays(on_account, staff):
    checkout, order, payment = decided(on_account)
    Order.objects.filter(pk=order.pk).update(
        completed_at=order.completed_at - timedelta(days=20)
    )
    assert release_due_earnings() == 0  # unpaid: still on hold
    assert first_mismatch() is None
    transfer_received(
        payment=payment,
        bank_reference="GH-82",
        amount=accepted_value(checkout),
        actor=staff,
    )
    assert Entry.objects.filter(kind=Entry.Kind.RELEASE, order=order).exists()
    assert first_mismatch() is None


def test_a_credit_is_never_sent_back_by_bank(on_account, staff):
    _checkout, order, _payment = decided(on_account)
    credit = Refund.objects.get(order=order)
    with pytest.raises(ValidationError, match="is a credit"):
        transfer_refund_sent(refund=credit, bank_reference="HK-9", actor=staff)
    credit.refresh_from_db()
    assert credit.provider_refund_id == ""


def test_a_removed_member_no_longer_sees_the_checkout(on_account):
    unit, admin, buyer, rice, _honey = on_account
    checkout = place(buyer, [(rice, 10)])
    member = unit.members.get(user=buyer)
    english(admin).post(
        reverse("procurement:member_remove", args=[unit.pk, member.pk]), follow=True
    )
    done = english(buyer).get(reverse("orders:checkout_done", args=[checkout.pk]))
    assert done.status_code == 404
