"""The staff's reconciliation pages (/staff/reconciliation/): staff only (a
buyer, farmer, assistant or official is refused, a visitor sent to sign in);
the open mismatches by default, filtered by status and provider, bad filters a
message and never an error; the figures shown are the rows counted here;
resolving without a note is refused with a message; applying takes a
confirmation and a CSRF token; the query count does not grow with the rows. A
refund that failed is listed, owed to its buyer, and sent again after a
confirmation."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from orders.models import (
    Mismatch,
    OrderStatus,
    Payment,
    Reconciliation,
    Refund,
    RefundStatus,
)
from orders.services.reconciliation import reconcile
from orders.services.transitions import order_cancel
from tests.factories import AssistantFactory, FarmerFactory, UserFactory
from tests.orders.fake_gateway import CHINA, DAY, NOON, checkout_of, pay
from tests.settlement.conftest import paid_order
from tests.settlement.test_ledger import fail

pytestmark = pytest.mark.django_db
URL = reverse("orders:reconciliation")
K = Mismatch.Kind


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(role=Role.STAFF))
    client.cookies["django_language"] = "en"
    return client


def missed(gateway, day=DAY) -> Mismatch:
    """A payment the gateway took on `day` whose notification never came."""
    checkout = checkout_of()
    gateway.took(checkout.payments.get(), day)
    reconcile(provider_code="wechat", day=day)
    return Mismatch.objects.get(payment__checkout=checkout)


def listed(response) -> list[int]:
    assert response.status_code == 200
    return [mismatch.pk for mismatch in response.context["page_obj"]]


def refusal(user, method, url) -> str:
    client = Client()
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url, {"note": "x"} if method == "post" else {})
    if response.status_code == 302:
        assert response["Location"].startswith("/accounts/login/")
        return "login"
    return str(response.status_code)


def test_only_staff_may_use_the_pages(gateway):
    mismatch = missed(gateway)
    official = UserFactory(role=Role.OFFICIAL)
    others = {
        "anonymous": None,
        "buyer": UserFactory(role=Role.BUYER),
        "farmer": FarmerFactory().user,
        "assistant": AssistantFactory().user,
        "official": official,
    }
    asks = [
        ("get", URL),
        ("post", reverse("orders:mismatch_resolve", args=[mismatch.pk])),
        ("get", reverse("orders:mismatch_apply", args=[mismatch.pk])),
        ("post", reverse("orders:mismatch_apply", args=[mismatch.pk])),
    ]
    got = {
        (who, method, url): refusal(user, method, url)
        for who, user in others.items()
        for method, url in asks
    }
    assert got == {
        (who, method, url): "login" if user is None else "403"
        for who, user in others.items()
        for method, url in asks
    }
    assert Mismatch.objects.get().is_open


def test_open_mismatches_by_default_then_filtered(gateway, staff_client):
    first = missed(gateway)
    resolved = missed(gateway, DAY + datetime.timedelta(days=1))
    Mismatch.objects.filter(pk=resolved.pk).update(resolved_at=NOON, note="Done.")
    Reconciliation.objects.create(provider="alipay", day=DAY, ran_at=NOON)
    assert listed(staff_client.get(URL)) == [first.pk]
    assert listed(staff_client.get(URL, {"status": "resolved"})) == [resolved.pk]
    everything = staff_client.get(URL, {"status": "all"})
    assert sorted(listed(everything)) == sorted([first.pk, resolved.pk])
    assert listed(staff_client.get(URL, {"provider": "alipay"})) == []
    assert listed(staff_client.get(URL, {"provider": "wechat"})) == [first.pk]
    runs = [run.pk for run in everything.context["runs"]["page_obj"]]
    assert runs == list(
        Reconciliation.objects.order_by("-day", "-ran_at", "-pk").values_list(
            "pk", flat=True
        )
    )


@pytest.mark.parametrize(
    "params",
    [
        {"status": "<script>"},
        {"provider": "x" * 5000},
        {"page": "-1"},
        {"runs": "9" * 30},
        {"status": "open\x00"},
    ],
)
def test_bad_filters_are_a_message_not_an_error(gateway, staff_client, params):
    missed(gateway)
    response = staff_client.get(URL, params)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_the_figures_shown_are_the_rows(gateway, staff_client):
    """Each day's counts on the page, against rows counted here: payments paid
    that China day or named by its statement, mismatches of the day."""
    for _ in range(2):
        gateway.took(pay(checkout_of()))
    pay(checkout_of())  # paid here, on no statement
    missed(gateway)  # and the day reconciled
    start = datetime.datetime.combine(DAY, datetime.time.min, tzinfo=CHINA)
    paid = Payment.objects.filter(
        paid_at__gte=start, paid_at__lt=start + datetime.timedelta(days=1)
    ).count()
    unpaid_on_statement = Payment.objects.filter(paid_at__isnull=True).count()
    mismatches = Mismatch.objects.filter(reconciliation__day=DAY).count()
    assert (paid, unpaid_on_statement, mismatches) == (3, 1, 2)
    page = staff_client.get(URL).content.decode()
    assert f"Payments checked: {paid + unpaid_on_statement}" in page
    assert "Refunds checked: 0" in page
    assert f"Mismatches: {mismatches}" in page
    assert f"{mismatches} open" in page


def test_resolving_without_a_note_is_refused_with_a_message(gateway, staff_client):
    mismatch = missed(gateway)
    resolve = reverse("orders:mismatch_resolve", args=[mismatch.pk])
    response = staff_client.post(resolve, {"note": "  "}, follow=True)
    assert "Say how it was resolved: a note is required." in response.content.decode()
    assert Mismatch.objects.get().is_open
    response = staff_client.post(resolve, {"note": "Asked the bank."}, follow=True)
    assert "The mismatch is resolved." in response.content.decode()
    mismatch.refresh_from_db()
    assert (mismatch.is_open, mismatch.note) == (False, "Asked the bank.")
    shown = staff_client.get(URL, {"status": "resolved"}).content.decode()
    assert "Asked the bank." in shown
    assert staff_client.post(resolve, {"note": "x" * 501}).status_code == 302


def test_applying_takes_a_confirmation_and_a_token(gateway):
    mismatch = missed(gateway)
    staff = UserFactory(role=Role.STAFF)
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    client.cookies["django_language"] = "en"
    apply = reverse("orders:mismatch_apply", args=[mismatch.pk])
    assert client.post(apply).status_code == 403  # no CSRF token
    confirm = client.get(apply)
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "Yes, apply it" in page and str(mismatch.reference) in page
    token = confirm.context["csrf_token"]
    response = client.post(apply, {"csrfmiddlewaretoken": str(token)}, follow=True)
    assert "Applied: the payment is recorded" in response.content.decode()
    assert mismatch.payment.checkout.orders.get().status == OrderStatus.PAID
    again = client.post(apply, {"csrfmiddlewaretoken": str(token)}, follow=True)
    assert "already resolved" in again.content.decode()


def test_a_gateway_still_saying_not_paid_is_shown_and_nothing_changes(
    gateway, staff_client
):
    mismatch = missed(gateway)
    gateway.answers.clear()  # the gateway now says pending
    apply = reverse("orders:mismatch_apply", args=[mismatch.pk])
    response = staff_client.post(apply, follow=True)
    assert "does not say this payment was paid" in response.content.decode()
    assert Mismatch.objects.get().is_open
    assert mismatch.payment.checkout.orders.get().status == OrderStatus.PENDING_PAYMENT


def test_only_a_missed_payment_has_an_apply_page(gateway, staff_client):
    pay(checkout_of())
    reconcile(provider_code="wechat", day=DAY)
    other = Mismatch.objects.get()
    assert other.kind == K.RECORDED_NOT_PAID
    assert staff_client.get(URL).content.decode().count("Apply the payment") == 0
    apply = reverse("orders:mismatch_apply", args=[other.pk])
    assert staff_client.get(apply).status_code == 404
    assert staff_client.post(apply).status_code == 404
    resolve = reverse("orders:mismatch_resolve", args=[other.pk + 1000])
    assert staff_client.post(resolve, {"note": "x"}).status_code == 404


def test_the_query_count_does_not_grow_with_the_rows(gateway, staff_client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = staff_client.get(URL, {"status": "all"})
        assert response.status_code == 200
        return len(captured)

    def add(days):
        for offset in days:
            day = DAY + datetime.timedelta(days=offset)
            missed(gateway, day)
            pay(checkout_of(), at=NOON + datetime.timedelta(days=offset))
            reconcile(provider_code="wechat", day=day)
        Mismatch.objects.filter(kind=K.RECORDED_NOT_PAID).update(
            resolved_at=NOON, note="Seen.", resolved_by=UserFactory(role=Role.STAFF)
        )

    add(range(2))
    few = queries()
    add(range(2, 12))
    assert Mismatch.objects.count() == 24
    assert queries() == few


def owed_refund() -> Refund:
    """A paid order cancelled, whose refund the gateway reported failed."""
    order = paid_order("35.00")
    order_cancel(order=order, actor=order.buyer)
    return fail(Refund.objects.get(order=order), f"n{order.pk}")


def test_a_failed_refund_is_listed_and_sent_again_after_a_confirmation():
    refund = owed_refund()
    staff = UserFactory(role=Role.STAFF)
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    client.cookies["django_language"] = "en"
    page = client.get(URL).content.decode()
    assert "Refunds owed to buyers" in page and refund.refund_id in page
    retry = reverse("orders:refund_retry", args=[refund.pk])
    assert f'href="{retry}"' in page
    assert client.post(retry).status_code == 403  # no CSRF token
    confirm = client.get(retry)
    assert confirm.status_code == 200
    assert "Yes, send it again" in confirm.content.decode()
    token = str(confirm.context["csrf_token"])
    response = client.post(retry, {"csrfmiddlewaretoken": token}, follow=True)
    assert "The refund was sent again." in response.content.decode()
    assert "No refund is owed." in response.content.decode()
    again = Refund.objects.get(retry_of=refund)
    assert again.status == RefundStatus.SUCCEEDED  # the simulated gateway
    # It is no longer owed: sending it once more is not found, and changes nothing.
    assert client.post(retry, {"csrfmiddlewaretoken": token}).status_code == 404
    assert Refund.objects.count() == 2


def test_a_refund_not_owed_has_no_retry_page(staff_client):
    refund = owed_refund()
    Refund.objects.filter(pk=refund.pk).update(status=RefundStatus.SUCCEEDED)
    retry = reverse("orders:refund_retry", args=[refund.pk])
    assert staff_client.get(retry).status_code == 404
    assert staff_client.post(retry).status_code == 404
    assert not Refund.objects.filter(retry_of=refund).exists()


def test_the_owed_refunds_cost_the_same_queries_however_many(staff_client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = staff_client.get(URL)
        assert response.status_code == 200
        return len(captured)

    owed_refund()
    few = queries()
    for _ in range(5):
        owed_refund()
    assert queries() == few


def test_a_refund_the_statement_names_as_made_is_not_sent_again(staff_client):
    """The gateway's statement lists a refund we hold as failed (it made it after
    all, as WeChat's merchant platform can): the page warns, offers no button,
    and a POST is refused until staff resolve the mismatch."""
    refund = owed_refund()
    run = Reconciliation.objects.create(provider="simulated", day=DAY, ran_at=NOON)
    mismatch = Mismatch.objects.create(
        reconciliation=run,
        kind=K.REFUND_NOT_RECORDED,
        refund_number=refund.refund_id,
        refund=refund,
        our_amount=refund.amount,
        their_amount=refund.amount,
    )
    retry = reverse("orders:refund_retry", args=[refund.pk])
    page = staff_client.get(retry).content.decode()
    assert "names this refund as made" in page
    assert "Yes, send it again" not in page
    response = staff_client.post(retry, follow=True)
    assert "paid twice" in response.content.decode()
    assert not Refund.objects.filter(retry_of=refund).exists()
    Mismatch.objects.filter(pk=mismatch.pk).update(
        resolved_at=NOON, resolved_by=UserFactory(role=Role.STAFF), note="checked"
    )
    assert "Yes, send it again" in staff_client.get(retry).content.decode()
