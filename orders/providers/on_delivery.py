"""Pay on delivery: the carrier collects the money. Nothing is paid or refunded
online; the orders are confirmed at placement (docs/PAYMENTS.md)."""

from collections.abc import Mapping
from decimal import Decimal

from orders.models import Payment, PaymentProviderCode, PaymentStatus
from orders.providers.base import (
    Buyer,
    Callback,
    InvalidCallback,
    PaymentProvider,
    PaymentQuery,
    PaymentState,
    RefundResult,
)


class PayOnDelivery(PaymentProvider):
    """The carrier collects the money; nothing is paid online and nothing is
    refunded online."""

    code = PaymentProviderCode.ON_DELIVERY
    online = False

    def start(self, payment: Payment, buyer: Buyer) -> None:
        return None

    def parse_callback(self, body: bytes, headers: Mapping[str, str]) -> Callback:
        raise InvalidCallback("pay on delivery has no callbacks")

    def query(self, payment: Payment) -> PaymentQuery:
        paid = payment.status == PaymentStatus.PAID
        return PaymentQuery(PaymentState.PAID if paid else PaymentState.PENDING)

    def refund(
        self, payment: Payment, amount: Decimal, *, refund_id: str
    ) -> RefundResult:
        """Money collected in cash goes back in cash: the refund is recorded,
        and staff hand it back (docs/PAYMENTS.md)."""
        return RefundResult(succeeded=True)

    def close(self, payment: Payment) -> None:
        return None
