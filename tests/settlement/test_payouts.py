"""Payouts: the account's number checks, who may enter and verify it, the run
(paid, held, below the minimum, a rerun paying nobody twice), a batch paid or a
payout failed, the bank file, and a refund after a payout netted off the next one.
Amounts are the tests' own arithmetic; check_ledger holds throughout."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone, translation
from openpyxl import load_workbook

from accounts.models import Role
from audit.models import AuditEvent
from notifications.messages import render as render_message
from notifications.models import Notification
from orders.services.transitions import order_refund_part
from settlement.forms import PayoutAccountForm
from settlement.invariants import first_mismatch
from settlement.models import Payout, PayoutAccount, PayoutBatch, PayoutStatus
from settlement.services.earnings import release_due_earnings
from settlement.services.payouts import (
    batch_mark_paid,
    payout_account_save,
    payout_account_verify,
    payout_fail,
    payout_run,
)
from tests.factories import (
    AssistantFactory,
    ProductFactory,
    UserFactory,
    farmer_of,
    place_checkout,
)
from tests.settlement.conftest import K, owed, pay, platform
from tests.settlement.test_ledger import ship_and_complete

pytestmark = pytest.mark.django_db
LATER = timedelta(days=8)
CARD = "6222021234567890128"  # a UnionPay number whose Luhn digit is right


def form(**data):
    base = {"method": "bank", "holder_name": "王秀英", "bank_name": "农业银行"}
    return PayoutAccountForm(base | data)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"number": "6222 0212 3456 7890 127"}, "check digit"),
        ({"number": "62220212"}, "12 to 19 digits; this one has 8"),
        ({"number": "6222-abc"}, "digits only"),
        ({"number": CARD, "bank_name": ""}, "Name the bank"),
        ({"method": "alipay", "number": "12345"}, "mobile number or an e-mail"),
        ({"method": "wechat", "number": "1abc"}, "WeChat ID of 6 to 20"),
    ],
)
def test_a_malformed_account_number_is_refused_with_what_is_wrong(data, error):
    with translation.override("en"):
        bound = form(**data)
        assert not bound.is_valid()
        assert error in str(bound.errors)


def test_a_card_number_is_stored_without_its_spaces_and_other_kinds_as_given():
    bound = form(number="6222 0212 3456 7890 128")
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["number"] == CARD
    alipay = form(method="alipay", number="13800001111", bank_name="ignored")
    assert alipay.is_valid() and alipay.cleaned_data["bank_name"] == ""


@pytest.fixture
def assistant():
    return AssistantFactory()


def earning_farmer(assistant, price="80.00"):
    """A farmer of `assistant` with a completed order whose hold has ended."""
    farmer = farmer_of(assistant)
    product = ProductFactory(
        farmer=farmer, status="active", price=Decimal(price), stock=50
    )
    checkout = place_checkout(UserFactory(), [(product, 1)])
    pay(checkout)
    ship_and_complete(checkout.orders.get())
    release_due_earnings(now=timezone.now() + LATER)
    return farmer


def seen(farmer) -> str:
    """The version of the farmer's account a verifier is shown."""
    return PayoutAccount.objects.get(farmer=farmer).entered_at.isoformat()


def verified(farmer, assistant):
    payout_account_save(
        farmer=farmer,
        actor=farmer.user,
        method="bank",
        holder_name="王秀英",
        bank_name="农业银行",
        number=CARD,
    )
    return payout_account_verify(farmer=farmer, actor=assistant.user, seen=seen(farmer))


def test_the_farmer_enters_the_account_and_only_their_assistant_verifies_it(
    assistant,
):
    farmer = farmer_of(assistant)
    saved = payout_account_save(
        farmer=farmer,
        actor=farmer.user,
        method="bank",
        holder_name="王秀英",
        bank_name="农业银行",
        number=CARD,
    )
    assert not saved.verified and saved.masked == "•••• 0128"
    with pytest.raises(ValidationError):
        payout_account_verify(farmer=farmer, actor=farmer.user, seen=seen(farmer))
    with pytest.raises(ValidationError):
        payout_account_verify(
            farmer=farmer, actor=AssistantFactory().user, seen=seen(farmer)
        )
    with pytest.raises(ValidationError):
        payout_account_save(
            farmer=farmer,
            actor=AssistantFactory().user,
            method="alipay",
            holder_name="x y",
            number="13800001111",
        )
    assert payout_account_verify(
        farmer=farmer, actor=assistant.user, seen=seen(farmer)
    ).verified
    actions = set(
        AuditEvent.objects.filter(subject_id=saved.pk).values_list("action", flat=True)
    )
    assert actions == {"payout_account_entered", "payout_account_verified"}
    assert CARD not in str(AuditEvent.objects.values_list("after", flat=True)[::1])
    # A new account must be verified again.
    again = payout_account_save(
        farmer=farmer,
        actor=assistant.user,
        method="alipay",
        holder_name="王秀英",
        number="13800001111",
    )
    assert not again.verified


def test_whoever_entered_the_account_cannot_verify_it(assistant):
    """Four eyes: an account the assistant entered is confirmed by the farmer,
    who is told of it; the assistant cannot verify it alone."""
    farmer = farmer_of(assistant)
    saved = payout_account_save(
        farmer=farmer,
        actor=assistant.user,
        method="bank",
        holder_name="王秀英",
        bank_name="农业银行",
        number=CARD,
    )
    told = Notification.objects.get(kind="payout_account_to_check")
    assert told.recipient == farmer.user
    with translation.override("en"):
        shown = render_message(told)
    assert "•••• 0128" in shown.text and shown.url == "/farmer/earnings/account/"
    with translation.override("en"), pytest.raises(ValidationError, match="Whoever"):
        payout_account_verify(farmer=farmer, actor=assistant.user, seen=seen(farmer))
    assert not PayoutAccount.objects.get(pk=saved.pk).verified
    confirmed = payout_account_verify(
        farmer=farmer, actor=farmer.user, seen=seen(farmer)
    )
    assert confirmed.verified and confirmed.verified_by == farmer.user


def test_the_farmer_entering_it_tells_their_assistant_to_verify(assistant):
    farmer = farmer_of(assistant)
    payout_account_save(
        farmer=farmer,
        actor=farmer.user,
        method="alipay",
        holder_name="王秀英",
        number="13800001111",
    )
    told = Notification.objects.get(kind="payout_account_to_check")
    assert told.recipient == assistant.user
    with translation.override("en"):
        shown = render_message(told)
    assert farmer.shop_name in shown.text
    assert shown.url == f"/assistant/earnings/{farmer.pk}/account/"


def test_an_account_changed_after_the_page_was_opened_is_not_verified(assistant):
    farmer = farmer_of(assistant)
    payout_account_save(
        farmer=farmer,
        actor=farmer.user,
        method="bank",
        holder_name="王秀英",
        bank_name="农业银行",
        number=CARD,
    )
    shown = seen(farmer)
    payout_account_save(  # meanwhile, another number
        farmer=farmer,
        actor=farmer.user,
        method="alipay",
        holder_name="王秀英",
        number="13800001111",
    )
    with translation.override("en"), pytest.raises(ValidationError, match="changed"):
        payout_account_verify(farmer=farmer, actor=assistant.user, seen=shown)
    assert not PayoutAccount.objects.get(farmer=farmer).verified


def test_the_farmer_confirms_on_the_page_an_account_their_assistant_entered(
    assistant,
):
    farmer = farmer_of(assistant)
    payout_account_save(
        farmer=farmer,
        actor=assistant.user,
        method="bank",
        holder_name="王秀英",
        bank_name="农业银行",
        number=CARD,
    )
    as_assistant = Client()
    as_assistant.force_login(assistant.user)
    as_assistant.cookies["django_language"] = "en"
    page = as_assistant.get(f"/assistant/earnings/{farmer.pk}/account/")
    assert "Waiting for the farmer to confirm it." in page.content.decode()
    assert "verify</button>" not in page.content.decode()

    client = Client(enforce_csrf_checks=True)
    client.force_login(farmer.user)
    client.cookies["django_language"] = "en"
    page = client.get("/farmer/earnings/account/")
    body = page.content.decode()
    assert "This account is mine: confirm" in body
    token = str(page.context["csrf_token"])
    confirm = "/farmer/earnings/account/confirm/"
    stale = client.post(
        confirm, {"csrfmiddlewaretoken": token, "seen": "2020-01-01T00:00:00+00:00"}
    )
    assert stale.status_code == 302
    assert not PayoutAccount.objects.get(farmer=farmer).verified
    done = client.post(
        confirm, {"csrfmiddlewaretoken": token, "seen": seen(farmer)}, follow=True
    )
    assert "Payout account confirmed" in done.content.decode()
    assert PayoutAccount.objects.get(farmer=farmer).verified_by == farmer.user


def test_the_run_pays_the_verified_holds_the_rest_and_never_pays_twice(
    assistant, settings
):
    settings.PAYOUT_MINIMUM = Decimal("10.00")
    paid_farmer = earning_farmer(assistant, "80.00")
    verified(paid_farmer, assistant)
    held_farmer = earning_farmer(assistant, "50.00")
    small = earning_farmer(assistant, "9.99")
    verified(small, assistant)
    batch, held = payout_run()
    assert held == 1
    payouts = list(batch.payouts.values_list("farmer_id", "amount"))
    assert payouts == [(paid_farmer.pk, Decimal("80.00"))]
    assert batch.total == Decimal("80.00")
    assert owed(paid_farmer, K.FARMER_AVAILABLE) == 0
    assert owed(held_farmer, K.FARMER_AVAILABLE) == Decimal("50.00")
    assert owed(small, K.FARMER_AVAILABLE) == Decimal("9.99")
    assert Notification.objects.filter(
        kind="payout_held", farmer=held_farmer, recipient=assistant.user
    ).exists()
    assert Notification.objects.filter(kind="payout_sent", farmer=paid_farmer).exists()
    assert payout_run() == (None, 1)  # nobody paid twice
    assert Payout.objects.count() == 1
    assert first_mismatch() is None


def test_a_batch_paid_and_a_payout_failed_move_the_money_right(assistant):
    staff = UserFactory(role=Role.STAFF)
    first, second = (earning_farmer(assistant, p) for p in ("30.00", "45.50"))
    for farmer in (first, second):
        verified(farmer, assistant)
    batch, _held = payout_run(actor=staff)
    assert platform(K.PAYOUTS_SENT) == Decimal("-75.50")
    failed = batch.payouts.get(farmer=second)
    payout_fail(payout=failed, actor=staff, reason="户名不符")
    assert owed(second, K.FARMER_AVAILABLE) == Decimal("45.50")
    assert platform(K.PAYOUTS_SENT) == Decimal("-30.00")
    batch_mark_paid(batch=batch, actor=staff, bank_reference="ABC-2026-001")
    assert platform(K.PAYOUTS_SENT) == 0
    assert platform(K.BANK) == Decimal("-30.00")
    statuses = dict(batch.payouts.values_list("farmer_id", "status"))
    assert statuses == {first.pk: PayoutStatus.PAID, second.pk: PayoutStatus.FAILED}
    with pytest.raises(ValidationError):
        batch_mark_paid(batch=batch, actor=staff, bank_reference="again")
    with pytest.raises(ValidationError):
        payout_fail(payout=failed, actor=staff, reason="twice")
    with pytest.raises(ValidationError):
        payout_fail(
            payout=batch.payouts.get(farmer=first), actor=first.user, reason="x"
        )
    # The bank returns a paid payout later: from the bank back to the balance.
    payout_fail(payout=batch.payouts.get(farmer=first), actor=staff, reason="退回")
    assert platform(K.BANK) == 0
    assert owed(first, K.FARMER_AVAILABLE) == Decimal("30.00")
    assert first_mismatch() is None


def test_a_refund_after_a_payout_is_netted_off_the_next_one(assistant):
    staff = UserFactory(role=Role.STAFF)
    farmer = earning_farmer(assistant, "60.00")
    verified(farmer, assistant)
    payout_run()
    order = farmer.orders.get()
    order_refund_part(order=order, actor=staff, amount=Decimal("20.00"))
    assert owed(farmer, K.FARMER_AVAILABLE) == Decimal("-20.00")
    assert payout_run() == (None, 0)  # owed nothing: nothing paid
    product = ProductFactory(farmer=farmer, status="active", price=Decimal("35.00"))
    checkout = place_checkout(UserFactory(), [(product, 1)])
    pay(checkout)
    ship_and_complete(checkout.orders.get())
    release_due_earnings(now=timezone.now() + LATER)
    batch, _held = payout_run()
    assert batch.payouts.get().amount == Decimal("15.00")  # 35 − 20
    assert first_mismatch() is None


def test_the_bank_file_lists_every_payout_not_failed_and_runs_no_formula(assistant):
    staff = UserFactory(role=Role.STAFF)
    farmer = earning_farmer(assistant, "12.34")
    payout_account_save(
        farmer=farmer,
        actor=farmer.user,
        method="bank",
        holder_name="=HYPERLINK(1)",
        bank_name="农业银行",
        number=CARD,
    )
    payout_account_verify(farmer=farmer, actor=assistant.user, seen=seen(farmer))
    batch, _held = payout_run()
    client = Client()
    client.force_login(staff)
    text = client.get(f"/staff/payouts/{batch.pk}/file.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][1] == "'=HYPERLINK(1)" and rows[1][4] == CARD
    assert rows[1][5] == "12.34"
    book = load_workbook(
        io.BytesIO(client.get(f"/staff/payouts/{batch.pk}/file.xlsx").content)
    )
    cells = [c.value for c in book.active[2]]
    assert cells[4] == CARD and cells[5] == pytest.approx(12.34)
    assert PayoutBatch.objects.count() == PayoutAccount.objects.count() == 1
