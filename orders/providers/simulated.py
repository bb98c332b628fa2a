"""The simulated gateway: a stand-in for local runs, the demo and tests. Its pay
page (orders.views.payments) builds a callback signed with HMAC-SHA256, as a real
gateway signs one; it moves no money, so the reconciliation skips it."""

import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.urls import reverse

from orders.models import Payment, PaymentProviderCode, PaymentStatus
from orders.providers.base import (
    Buyer,
    Callback,
    InvalidCallback,
    PaymentProvider,
    PaymentQuery,
    PaymentState,
    RefundResult,
    Start,
)


class SimulatedGateway(PaymentProvider):
    """A stand-in gateway for local runs and tests. Its pay page (orders.views)
    builds a callback signed with HMAC-SHA256, as a real gateway would."""

    code = PaymentProviderCode.SIMULATED
    SIGNATURE_HEADER = "X-Gateway-Signature"
    MAX_AGE_SECONDS = 300

    @property
    def secret(self) -> bytes:
        return settings.PAYMENT_GATEWAY_SECRET.encode()

    def start(self, payment: Payment, buyer: Buyer) -> Start:
        return Start(redirect_url=reverse("orders:gateway", args=[payment.reference]))

    def sign(self, body: bytes) -> str:
        return hmac.new(self.secret, body, hashlib.sha256).hexdigest()

    def callback_for(self, payment: Payment, *, now: float | None = None):
        """The gateway's side: a signed callback saying `payment` was paid."""
        body = json.dumps(
            {
                "reference": str(payment.reference),
                "transaction_id": f"SIM{uuid.uuid4().hex[:20].upper()}",
                "amount": str(payment.amount),
                "nonce": uuid.uuid4().hex,
                "timestamp": int(now if now is not None else time.time()),
            },
            sort_keys=True,
        ).encode()
        return body, {self.SIGNATURE_HEADER: self.sign(body)}

    def parse_callback(self, body: bytes, headers: Mapping[str, str]) -> Callback:
        signature = headers.get(self.SIGNATURE_HEADER) or ""
        if not hmac.compare_digest(signature.encode(), self.sign(body).encode()):
            raise InvalidCallback("bad signature")
        # Signed is not well formed: every field is checked for its JSON type
        # before it is used, so no body is a 500.
        try:
            data = json.loads(body)
        except (ValueError, RecursionError) as exc:
            raise InvalidCallback("malformed body") from exc
        if not isinstance(data, dict):
            raise InvalidCallback("malformed body")
        reference = _text(data, "reference")
        amount = _text(data, "amount")
        timestamp = data.get("timestamp")
        if type(timestamp) is not int:  # not a float, a bool or a string
            raise InvalidCallback("malformed body")
        try:
            callback = Callback(
                reference=uuid.UUID(reference),
                transaction_id=_text(data, "transaction_id")[:64],
                amount=Decimal(amount),
                nonce=_text(data, "nonce")[:64],
            )
        except (ValueError, InvalidOperation) as exc:
            raise InvalidCallback("malformed body") from exc
        if not callback.amount.is_finite():
            raise InvalidCallback("malformed body")
        age = int(time.time()) - timestamp  # integers: no overflow whatever its size
        if not 0 <= age <= self.MAX_AGE_SECONDS:
            raise InvalidCallback("stale callback")
        return callback

    def query(self, payment: Payment) -> PaymentQuery:
        """The stand-in gateway's books are the platform's own."""
        if payment.transaction_id:
            return PaymentQuery(
                PaymentState.PAID, payment.transaction_id, payment.amount
            )
        if payment.status == PaymentStatus.CLOSED:
            return PaymentQuery(PaymentState.CLOSED)
        return PaymentQuery(PaymentState.PENDING)

    def refund(
        self, payment: Payment, amount: Decimal, *, refund_id: str
    ) -> RefundResult:
        """The simulated gateway always refunds at once."""
        return RefundResult(succeeded=True, provider_refund_id=f"SIMR-{refund_id}")

    def close(self, payment: Payment) -> None:
        """Nothing to tell: the pay page offers only a pending payment."""


def _text(data: dict, key: str) -> str:
    """A callback's field that must be a JSON string."""
    value = data.get(key)
    if not isinstance(value, str):
        raise InvalidCallback("malformed body")
    return value
