"""Payment providers behind one small interface (docs/PAYMENTS.md). A provider says
where the buyer goes to pay, checks a gateway's callback (signature, freshness) and
turns it into a `Callback`, and refunds. Swapping in WeChat Pay or Alipay means one
more class here; the services in orders/payments.py stay as they are."""

import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.urls import reverse

from orders.models import Payment, PaymentProviderCode


class InvalidCallback(Exception):
    """A callback that is not the gateway's, is stale, or does not parse."""


@dataclass(frozen=True)
class Callback:
    """What a verified callback says: this payment was paid by this transaction."""

    reference: uuid.UUID
    transaction_id: str
    amount: Decimal
    nonce: str


class PaymentProvider:
    code: str
    # Online providers take the money before shipping; pay-on-delivery does not.
    online: bool = True

    def start_url(self, payment: Payment) -> str | None:
        """Where to send the buyer to pay; None if there is nothing to do now."""
        raise NotImplementedError

    def parse_callback(self, body: bytes, headers: Mapping[str, str]) -> Callback:
        """Verify a callback (raise InvalidCallback) and read it."""
        raise NotImplementedError

    def refund(self, payment: Payment, amount: Decimal, *, refund_id: str) -> None:
        """Return `amount` of `payment` to the buyer; raise if the gateway refuses.
        `refund_id` is stable for one refund, so asking twice refunds once."""
        raise NotImplementedError

    def close(self, payment: Payment) -> None:
        """Close the gateway's order for `payment.reference`, so it takes no money
        from now on; raise if the gateway refuses (it was paid meanwhile)."""
        raise NotImplementedError


class SimulatedGateway(PaymentProvider):
    """A stand-in gateway for local runs and tests. Its pay page (orders.views)
    builds a callback signed with HMAC-SHA256, as a real gateway would."""

    code = PaymentProviderCode.SIMULATED
    SIGNATURE_HEADER = "X-Gateway-Signature"
    MAX_AGE_SECONDS = 300

    @property
    def secret(self) -> bytes:
        return settings.PAYMENT_GATEWAY_SECRET.encode()

    def start_url(self, payment: Payment) -> str:
        return reverse("orders:gateway", args=[payment.reference])

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

    def refund(self, payment: Payment, amount: Decimal, *, refund_id: str) -> None:
        """The simulated gateway always accepts a refund; the amount is recorded
        on the payment by the caller."""

    def close(self, payment: Payment) -> None:
        """Nothing to tell: the pay page offers only a pending payment."""


def _text(data: dict, key: str) -> str:
    """A callback's field that must be a JSON string."""
    value = data.get(key)
    if not isinstance(value, str):
        raise InvalidCallback("malformed body")
    return value


class PayOnDelivery(PaymentProvider):
    """The carrier collects the money; nothing is paid online and nothing is
    refunded online."""

    code = PaymentProviderCode.ON_DELIVERY
    online = False

    def start_url(self, payment: Payment) -> None:
        return None

    def parse_callback(self, body: bytes, headers: Mapping[str, str]) -> Callback:
        raise InvalidCallback("pay on delivery has no callbacks")

    def refund(self, payment: Payment, amount: Decimal, *, refund_id: str) -> None:
        return None

    def close(self, payment: Payment) -> None:
        return None


PROVIDERS = {
    provider.code: provider for provider in (SimulatedGateway(), PayOnDelivery())
}


def enabled_providers() -> dict[str, PaymentProvider]:
    """The providers settings.PAYMENT_PROVIDERS turns on, in that order."""
    return {
        code: PROVIDERS[code]
        for code in settings.PAYMENT_PROVIDERS
        if code in PROVIDERS
    }


def provider_choices() -> list[tuple[str, str]]:
    labels = dict(PaymentProviderCode.choices)
    return [(code, labels[code]) for code in enabled_providers()]


def provider_for(code: str) -> PaymentProvider:
    """An enabled provider (a provider switched off answers nothing)."""
    try:
        return enabled_providers()[code]
    except KeyError:
        raise InvalidCallback(f"unknown provider {code!r}") from None
