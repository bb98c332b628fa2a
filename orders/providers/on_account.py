"""On account, the other way work units pay (the 832 model): the orders ship
unpaid, and the unit pays by company bank transfer within UNIT_PAY_DAYS of its
last decision on the goods, quoting the payment's reference, for what it
accepted (what it refused is credited, never charged). Staff record the transfer
as for one made before shipping (orders.services.transfers.transfer_received).
Until then the ledger holds the money as owed by the unit (docs/PAYMENTS.md),
and the farmers' earnings stay on hold."""

from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal

from django.conf import settings

from orders.models import Payment, PaymentProviderCode, PaymentStatus
from orders.providers.bank_transfer import ACCOUNT_SETTINGS
from orders.providers.base import (
    Buyer,
    Callback,
    InvalidCallback,
    PaymentProvider,
    PaymentQuery,
    PaymentState,
    RefundResult,
)


class OnAccount(PaymentProvider):
    code = PaymentProviderCode.ON_ACCOUNT
    online = False
    by_transfer = True
    pays_later = True

    def missing_settings(self) -> list[str]:
        return [name for name in ACCOUNT_SETTINGS if not getattr(settings, name, "")]

    def pays_within(self) -> timedelta:
        """From the unit's last decision on the goods."""
        return timedelta(days=settings.UNIT_PAY_DAYS)

    def start(self, payment: Payment, buyer: Buyer) -> None:
        return None  # the unit pays from its own bank, after acceptance

    def parse_callback(self, body: bytes, headers: Mapping[str, str]) -> Callback:
        raise InvalidCallback("payments on account have no callbacks")

    def query(self, payment: Payment) -> PaymentQuery:
        paid = payment.status == PaymentStatus.PAID
        return PaymentQuery(PaymentState.PAID if paid else PaymentState.PENDING)

    def refund(
        self, payment: Payment, amount: Decimal, *, refund_id: str
    ) -> RefundResult:
        """Before the unit pays, a refund is a credit: it is never charged. After,
        staff send it back to the unit's account, as for a transfer."""
        return RefundResult(succeeded=True)

    def close(self, payment: Payment) -> None:
        return None
