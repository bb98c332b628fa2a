"""The interface every payment provider implements (docs/PAYMENTS.md), and what
its answers carry. The services in orders/services/ speak only this interface, so
the simulated gateway, pay on delivery, WeChat Pay and Alipay are interchangeable."""

import datetime
import enum
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from orders.models import Payment


class InvalidCallback(Exception):
    """A callback that is not the gateway's, is stale, or does not parse."""


class ProviderError(Exception):
    """The gateway refused a request (its message says why)."""


class ProviderUnavailable(ProviderError):
    """The gateway did not answer in time, or answered with a server error: the
    request may or may not have been taken, so it is retried with the same ids."""


class Device(enum.Enum):
    """Where the buyer is paying from, which decides how a payment starts."""

    WECHAT = "wechat"  # inside WeChat's own browser (JSAPI)
    MOBILE = "mobile"  # a phone's browser (WeChat H5, Alipay wap pay)
    DESKTOP = "desktop"  # a computer (WeChat Native QR code, Alipay page pay)


def device_of(user_agent: str) -> Device:
    """The device a request's User-Agent names."""
    if "MicroMessenger" in user_agent:
        return Device.WECHAT
    phones = ("Mobile", "Android", "iPhone", "iPad", "HarmonyOS")
    return Device.MOBILE if any(p in user_agent for p in phones) else Device.DESKTOP


@dataclass(frozen=True)
class Buyer:
    """What a provider may need of the buyer to start a payment."""

    device: Device
    ip: str = "127.0.0.1"
    wechat_openid: str = ""  # for WeChat JSAPI, from WeChat's OAuth

    @classmethod
    def of(cls, request) -> "Buyer":
        """The buyer making `request`: their device, address and WeChat id."""
        return cls(
            device=device_of(request.headers.get("User-Agent", "")),
            ip=request.META.get("REMOTE_ADDR") or "127.0.0.1",
            wechat_openid=request.session.get("wechat_openid", ""),
        )


@dataclass(frozen=True)
class Start:
    """How the buyer pays: sent to `redirect_url`; or shown `qr_code` (a text to
    scan, such as WeChat Native's code_url); or the page calls WeChat's JS bridge
    with `jsapi` (appId, timeStamp, nonceStr, package, signType, paySign)."""

    redirect_url: str = ""
    qr_code: str = ""
    jsapi: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Callback:
    """What a verified payment callback says: this payment was paid by this
    transaction."""

    reference: uuid.UUID
    transaction_id: str
    amount: Decimal
    nonce: str


@dataclass(frozen=True)
class RefundCallback:
    """What a verified refund notification says of the refund `refund_id`."""

    refund_id: str
    succeeded: bool
    amount: Decimal
    nonce: str
    provider_refund_id: str = ""


class PaymentState(enum.Enum):
    PENDING = "pending"  # not paid (yet)
    PAID = "paid"
    CLOSED = "closed"  # closed or revoked: it takes no money
    REFUNDED = "refunded"  # paid, then refunded (in part or in full)
    UNKNOWN = "unknown"  # the gateway has no such order


@dataclass(frozen=True)
class PaymentQuery:
    """The gateway's view of one merchant order number."""

    state: PaymentState
    transaction_id: str = ""
    amount: Decimal | None = None


@dataclass(frozen=True)
class RefundResult:
    """A refund the gateway took: done at once (`succeeded`), or still in
    progress (a refund notification, or the reconciliation, says how it ends)."""

    succeeded: bool
    provider_refund_id: str = ""


@dataclass(frozen=True)
class StatementLine:
    """One money movement on the gateway's statement of a day."""

    kind: str  # "payment" or "refund"
    reference: str  # our merchant order number (Payment.reference)
    transaction_id: str  # the gateway's transaction id
    amount: Decimal
    refund_id: str = ""  # our refund number, for a refund


class PaymentProvider:
    code: str
    # Online providers take the money before shipping; pay-on-delivery does not.
    online: bool = True
    # Whether the daily reconciliation asks this provider for its statement.
    reconciles: bool = False
    # Paid by a bank transfer that staff record (no start, no callback).
    by_transfer: bool = False
    # Paid after the goods are accepted (on account), not before shipping.
    pays_later: bool = False

    def pays_within(self) -> datetime.timedelta:
        """How long an order paid this way waits for its money before expiring."""
        return datetime.timedelta(minutes=settings.ORDER_PAYMENT_MINUTES)

    def missing_settings(self) -> list[str]:
        """The settings this provider needs and lacks (a system check names them;
        a provider with any missing is not offered)."""
        return []

    def ready(self) -> bool:
        """Fully configured: none of its settings is missing."""
        return not self.missing_settings()

    def sends_buyers_to(self) -> list[str]:
        """The origins outside the site that starting a payment may send the
        buyer to (the pay form's Content-Security-Policy lets its form go there)."""
        return []

    def start(self, payment: Payment, buyer: Buyer) -> Start | None:
        """How the buyer pays `payment` from their device; None if there is
        nothing to do now. Raise ProviderError (or ProviderUnavailable)."""
        raise NotImplementedError

    def parse_callback(
        self, body: bytes, headers: Mapping[str, str]
    ) -> Callback | RefundCallback:
        """Verify a callback (raise InvalidCallback) and read it."""
        raise NotImplementedError

    def acknowledge(self) -> tuple[bytes, str]:
        """The body and content type the gateway expects when a callback is taken."""
        return b'{"status": "ok"}', "application/json"

    def query(self, payment: Payment) -> PaymentQuery:
        """Ask the gateway about `payment.reference`."""
        raise NotImplementedError

    def refund(
        self, payment: Payment, amount: Decimal, *, refund_id: str
    ) -> RefundResult:
        """Return `amount` of `payment` to the buyer; raise ProviderError if the
        gateway refuses. `refund_id` is stable for one refund, so asking twice
        refunds once."""
        raise NotImplementedError

    def close(self, payment: Payment) -> None:
        """Close the gateway's order for `payment.reference`, so it takes no money
        from now on; raise ProviderError if the gateway refuses (it was paid
        meanwhile)."""
        raise NotImplementedError

    def statement(self, day: datetime.date) -> list[StatementLine]:
        """The gateway's payments and refunds of `day` (China time), for the
        reconciliation; only providers that reconcile implement it."""
        raise NotImplementedError
