"""What staff do with a mismatch, and the daily task. A payment whose
notification never arrived is caught by the reconciliation and applied: the
gateway is asked again and its answer takes the callback's own path, so the
orders end up exactly as the webhook leaves them; applying twice does nothing
more, and a gateway that still says not paid (or another amount, or nothing)
is refused with nothing changed. Resolving needs a note; both are audited.
The task retries while the gateway does not answer, and staff are told."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from audit.models import AuditEvent
from catalogue.models import Product
from config.celery import app
from notifications.messages import render
from notifications.models import Notification
from orders.models import (
    Mismatch,
    OrderEvent,
    OrderStatus,
    PaymentStatus,
    Reconciliation,
    WebhookReceipt,
)
from orders.providers.base import PaymentQuery, PaymentState, ProviderUnavailable
from orders.services.reconciliation import mismatch_apply, mismatch_resolve, reconcile
from orders.tasks import reconcile_payments
from tests.factories import UserFactory
from tests.orders.fake_gateway import DAY, checkout_of, pay, webhook_body

pytestmark = pytest.mark.django_db
K = Mismatch.Kind


@pytest.fixture
def staff():
    return UserFactory(role=Role.STAFF)


@pytest.fixture(autouse=True)
def in_english():
    """The services' refusals are read in English here (the site's language is
    Chinese; the translations are tests/project's business)."""
    with translation.override("en"):
        yield


@pytest.fixture
def retries_in_process():
    """Run in process, a task's retries run at once, one after the other; the
    settings' eager propagation would raise the first Retry instead."""
    previous = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = previous


def missed(gateway, stores=2):
    """A checkout the gateway took money for on DAY, whose notification never
    came, and the mismatch the day's reconciliation records for it."""
    checkout = checkout_of(stores)
    transaction_id = gateway.took(checkout.payments.get())
    reconcile(provider_code="wechat", day=DAY)
    return checkout, transaction_id, Mismatch.objects.get(payment__checkout=checkout)


def footprint(checkout) -> dict:
    """Everything a payment changes, for one checkout, in no row's own ids."""
    payment = checkout.payments.get()
    orders = checkout.orders.order_by("pk")
    return {
        "payment": (payment.status, payment.transaction_id is not None),
        "paid_at_set": payment.paid_at is not None,
        "orders": [order.status for order in orders],
        "events": [
            [
                (kind, "buyer" if actor == checkout.buyer_id else actor)
                for kind, actor in OrderEvent.objects.filter(order=order)
                .order_by("pk")
                .values_list("type", "actor")
            ]
            for order in orders
        ],
        "told": sorted(
            Notification.objects.filter(order__checkout=checkout).values_list(
                "kind", flat=True
            )
        ),
        "sold": [
            product.units_sold
            for product in Product.objects.filter(
                order_lines__order__checkout=checkout
            ).order_by("pk")
        ],
    }


def unchanged_counts() -> tuple:
    return (
        OrderEvent.objects.count(),
        Notification.objects.count(),
        AuditEvent.objects.count(),
        WebhookReceipt.objects.count(),
    )


def test_a_missed_notification_is_applied_as_the_webhook_would(client, gateway, staff):
    by_webhook = checkout_of(2)
    response = client.post(
        reverse("orders:webhook", args=["wechat"]),
        data=webhook_body(by_webhook.payments.get(), "WXBYWEBHOOK"),
        content_type="application/json",
    )
    assert response.status_code == 200
    checkout, transaction_id, mismatch = missed(gateway)
    assert mismatch.kind == K.PAID_NOT_RECORDED
    assert footprint(checkout)["orders"] == [OrderStatus.PENDING_PAYMENT] * 2
    mismatch_apply(mismatch=mismatch, actor=staff)
    assert footprint(checkout) == footprint(by_webhook)
    payment = checkout.payments.get()
    assert (payment.status, payment.transaction_id) == (
        PaymentStatus.PAID,
        transaction_id,
    )
    mismatch.refresh_from_db()
    assert (mismatch.is_open, mismatch.resolved_by) == (False, staff)
    assert WebhookReceipt.objects.filter(nonce=f"query-{transaction_id}").exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.MISMATCH_APPLIED)
    assert (event.actor, event.subject_id) == (staff, mismatch.pk)
    assert (event.before, event.after["payment.status"]) == (
        {"resolved_at": None, "payment.status": "pending"},
        "paid",
    )
    # The day again: the payment now matches the statement.
    reconcile(provider_code="wechat", day=DAY)
    assert list(Mismatch.objects.values_list("pk", flat=True)) == [mismatch.pk]


def test_applying_twice_does_nothing_more(gateway, staff):
    checkout, _, mismatch = missed(gateway)
    mismatch_apply(mismatch=mismatch, actor=staff)
    after_once, counts = footprint(checkout), unchanged_counts()
    with pytest.raises(ValidationError, match="already resolved"):
        mismatch_apply(mismatch=mismatch, actor=staff)
    stale = Mismatch.objects.get(pk=mismatch.pk)
    stale.resolved_at = None  # a page opened before the first apply
    with pytest.raises(ValidationError, match="already resolved"):
        mismatch_apply(mismatch=stale, actor=staff)
    assert (footprint(checkout), unchanged_counts()) == (after_once, counts)


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("pending", "does not say this payment was paid"),
        ("closed", "does not say this payment was paid"),
        ("amount", "was paid, not"),
        ("silent", "did not answer"),
    ],
)
def test_a_gateway_that_does_not_confirm_the_payment_is_refused(
    gateway, staff, answer, message
):
    checkout, transaction_id, mismatch = missed(gateway)
    payment = checkout.payments.get()
    if answer == "amount":
        gateway.answers[payment.reference] = PaymentQuery(
            PaymentState.PAID, transaction_id, payment.amount + 1
        )
    elif answer == "silent":
        gateway.query_unavailable = True
    else:
        gateway.answers[payment.reference] = PaymentQuery(PaymentState(answer))
    before, counts = footprint(checkout), unchanged_counts()
    with pytest.raises(ValidationError, match=message):
        mismatch_apply(mismatch=mismatch, actor=staff)
    assert (footprint(checkout), unchanged_counts()) == (before, counts)
    assert Mismatch.objects.get(pk=mismatch.pk).is_open


def test_only_a_payment_the_gateway_took_is_applied(gateway, staff):
    pay(checkout_of())  # paid here, on no statement: recorded_not_paid
    reconcile(provider_code="wechat", day=DAY)
    mismatch = Mismatch.objects.get()
    assert mismatch.kind == K.RECORDED_NOT_PAID
    with pytest.raises(ValidationError, match="Only a payment the gateway took"):
        mismatch_apply(mismatch=mismatch, actor=staff)
    assert Mismatch.objects.get().is_open


def test_resolving_needs_a_note_and_is_audited(gateway, staff):
    pay(checkout_of())
    reconcile(provider_code="wechat", day=DAY)
    mismatch = Mismatch.objects.get()
    for note in ("", "   "):
        with pytest.raises(ValidationError, match="a note is required"):
            mismatch_resolve(mismatch=mismatch, actor=staff, note=note)
    assert Mismatch.objects.get().is_open and not AuditEvent.objects.exists()
    mismatch_resolve(mismatch=mismatch, actor=staff, note=" Refunded by hand. ")
    mismatch.refresh_from_db()
    assert (mismatch.is_open, mismatch.resolved_by, mismatch.note) == (
        False,
        staff,
        "Refunded by hand.",
    )
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.note) == (
        AuditEvent.Action.MISMATCH_RESOLVED,
        staff,
        "Refunded by hand.",
    )
    with pytest.raises(ValidationError, match="already resolved"):
        mismatch_resolve(mismatch=mismatch, actor=staff, note="Again.")
    assert AuditEvent.objects.count() == 1


@pytest.mark.usefixtures("retries_in_process")
def test_the_task_retries_while_the_gateway_does_not_answer(gateway):
    gateway.took(checkout_of().payments.get())
    gateway.failures = 2
    result = reconcile_payments.apply(kwargs={"day": DAY.isoformat()})
    assert result.successful() and result.result == 1
    assert gateway.asked == [DAY] * 3
    assert Reconciliation.objects.get().mismatch_count == 1


@pytest.mark.usefixtures("retries_in_process")
def test_the_task_gives_up_after_its_retries_having_recorded_nothing(gateway):
    gateway.failures = 1000
    result = reconcile_payments.apply(kwargs={"day": DAY.isoformat()})
    assert result.failed() and isinstance(result.result, ProviderUnavailable)
    assert len(gateway.asked) == reconcile_payments.max_retries + 1
    assert not Reconciliation.objects.exists()


def test_the_task_runs_daily_at_1030_china_time_with_a_bounded_backoff():
    entry = settings.CELERY_BEAT_SCHEDULE["reconcile-payments"]
    assert entry["task"] == reconcile_payments.name == "orders.tasks.reconcile_payments"
    schedule = entry["schedule"]
    assert (schedule.hour, schedule.minute) == ({10}, {30})
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert reconcile_payments.retry_backoff_max < visibility


def test_staff_are_told_once_when_mismatches_are_found(gateway, staff):
    away = UserFactory(role=Role.STAFF, is_active=False)
    buyer = UserFactory(role=Role.BUYER)
    reconcile(provider_code="wechat", day=DAY)  # nothing to check
    assert not Notification.objects.exists()
    gateway.took(checkout_of().payments.get())
    reconcile(provider_code="wechat", day=DAY)
    told = Notification.objects.filter(kind=Notification.Kind.PAYMENTS_TO_CHECK)
    assert [n.recipient for n in told] == [staff]
    reconcile(provider_code="wechat", day=DAY)  # the same findings again
    assert told.count() == 1
    assert not Notification.objects.filter(recipient__in=[away, buyer]).exists()
    with translation.override("en"):
        message = render(told.get())
    assert (message.title, message.url) == (
        "Payments to check",
        "/staff/reconciliation/?provider=wechat",
    )
    assert message.text == (
        "The WeChat Pay statement of 2026-03-10 does not match the platform's "
        "records. Please check the mismatches."
    )
    with translation.override("zh-hans"):
        assert "2026-03-10" in render(told.get()).text
