"""A fake payment gateway for the reconciliation tests: a provider of our own
implementing orders.providers.base.PaymentProvider (the gateway is what is
mocked, never the project's code), registered in PROVIDERS as `wechat` for one
test by the `gateway` fixture (tests/orders/conftest.py). Each test writes its
statements (`lines[day]`) and its answers to a query (`answers[reference]`);
`failures` makes the next statements time out. Also the helpers that place,
pay and date payments through the project's own services."""

import datetime
import json
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

from catalogue.models import ProductStatus
from orders.models import Payment, PaymentProviderCode
from orders.providers.base import (
    Callback,
    PaymentProvider,
    PaymentQuery,
    PaymentState,
    ProviderUnavailable,
    RefundResult,
    Start,
    StatementLine,
)
from orders.services.payments import payment_callback
from tests.factories import ProductFactory, UserFactory, place_checkout

CHINA = ZoneInfo("Asia/Shanghai")  # the gateways' calendar
DAY = datetime.date(2026, 3, 10)
NOON = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=CHINA)


class FakeGateway(PaymentProvider):
    code = PaymentProviderCode.WECHAT
    reconciles = True

    def __init__(self):
        self.lines: dict[datetime.date, list[StatementLine]] = {}
        self.answers: dict[uuid.UUID, PaymentQuery] = {}
        self.asked: list[datetime.date] = []
        self.failures = 0  # statements that time out before one answers
        self.query_unavailable = False
        self.refunds_at_once = True

    def start(self, payment, buyer):
        return Start(redirect_url="/")

    def parse_callback(self, body, headers):
        data = json.loads(body)
        return Callback(
            reference=uuid.UUID(data["reference"]),
            transaction_id=data["transaction_id"],
            amount=Decimal(data["amount"]),
            nonce=data["nonce"],
        )

    def query(self, payment):
        if self.query_unavailable:
            raise ProviderUnavailable("timed out")
        return self.answers.get(payment.reference, PaymentQuery(PaymentState.PENDING))

    def refund(self, payment, amount, *, refund_id):
        return RefundResult(
            succeeded=self.refunds_at_once, provider_refund_id=f"R-{refund_id}"
        )

    def close(self, payment):
        return None

    def statement(self, day):
        self.asked.append(day)
        if self.failures:
            self.failures -= 1
            raise ProviderUnavailable("the bill is not ready")
        return list(self.lines.get(day, []))

    # What a test writes on the gateway's side.

    def took(self, payment, day=DAY, *, amount=None, transaction_id=None):
        """The statement of `day` lists money taken for `payment`; the gateway
        answers a query about it as paid."""
        transaction_id = transaction_id or payment.transaction_id or _txn()
        amount = payment.amount if amount is None else amount
        self.lines.setdefault(day, []).append(
            StatementLine("payment", str(payment.reference), transaction_id, amount)
        )
        self.answers[payment.reference] = PaymentQuery(
            PaymentState.PAID, transaction_id, amount
        )
        return transaction_id

    def refunded(self, refund, day=DAY, *, amount=None):
        """The statement of `day` lists `refund` as given back."""
        self.lines.setdefault(day, []).append(
            StatementLine(
                "refund",
                str(refund.payment.reference),
                f"RT{uuid.uuid4().hex[:10]}",
                refund.amount if amount is None else amount,
                refund_id=refund.refund_id,
            )
        )


def _txn() -> str:
    return f"WX{uuid.uuid4().hex[:20].upper()}"


def checkout_of(stores: int = 1, *, buyer=None):
    """A checkout through the fake gateway: one order per storefront."""
    products = [ProductFactory(status=ProductStatus.ACTIVE) for _ in range(stores)]
    return place_checkout(
        buyer or UserFactory(),
        [(product, 1) for product in products],
        provider=PaymentProviderCode.WECHAT,
    )


def pay(checkout, *, transaction_id=None, at=NOON) -> Payment:
    """The gateway's callback for the checkout's payment, through the service
    the webhook calls; then the payment dated `at` (when its money moved)."""
    payment = checkout.payments.get(status="pending")
    body = webhook_body(payment, transaction_id or _txn())
    payment_callback(provider_code=PaymentProviderCode.WECHAT, body=body, headers={})
    return dated(payment, at)


def dated(payment: Payment, at) -> Payment:
    Payment.objects.filter(pk=payment.pk).update(paid_at=at)
    payment.refresh_from_db()
    return payment


def webhook_body(payment: Payment, transaction_id: str) -> bytes:
    return json.dumps(
        {
            "reference": str(payment.reference),
            "transaction_id": transaction_id,
            "amount": str(payment.amount),
            "nonce": uuid.uuid4().hex,
        }
    ).encode()
