"""Company bank transfer, the way work units pay (the 832 model): the unit pays
the platform's account quoting the payment's reference, and staff record the
transfer once the bank shows it (orders.services.payments.transfer_received).
The money is taken before shipping, as online, but nothing is started or called
back; a refund is recorded here and sent back by bank transfer by staff."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings

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

ACCOUNT_SETTINGS = (
    "PLATFORM_BANK_ACCOUNT_NAME",
    "PLATFORM_BANK_NAME",
    "PLATFORM_BANK_ACCOUNT_NUMBER",
)


class BankTransfer(PaymentProvider):
    code = PaymentProviderCode.BANK_TRANSFER
    by_transfer = True

    def missing_settings(self) -> list[str]:
        return [name for name in ACCOUNT_SETTINGS if not getattr(settings, name, "")]

    def pays_within(self) -> timedelta:
        return timedelta(days=settings.BANK_TRANSFER_DAYS)

    def start(self, payment: Payment, buyer: Buyer) -> None:
        return None  # the unit pays from its own bank

    def parse_callback(self, body: bytes, headers: Mapping[str, str]) -> Callback:
        raise InvalidCallback("bank transfers have no callbacks")

    def query(self, payment: Payment) -> PaymentQuery:
        paid = payment.status == PaymentStatus.PAID
        return PaymentQuery(PaymentState.PAID if paid else PaymentState.PENDING)

    def refund(
        self, payment: Payment, amount: Decimal, *, refund_id: str
    ) -> RefundResult:
        """Recorded here; staff send it back to the unit's account."""
        return RefundResult(succeeded=True)

    def close(self, payment: Payment) -> None:
        return None


def transfer_reference(payment: Payment) -> str:
    """What the unit quotes on its transfer: short enough for a bank's memo."""
    return f"ZF{payment.pk:08d}"


@dataclass(frozen=True)
class TransferInstructions:
    account_name: str
    bank_name: str
    account_number: str
    reference: str
    amount: Decimal
    days: int
    on_account: bool = False  # paid after acceptance, for what is accepted


def platform_account() -> dict[str, str]:
    """The platform's bank account that units pay into."""
    return {
        "account_name": settings.PLATFORM_BANK_ACCOUNT_NAME,
        "bank_name": settings.PLATFORM_BANK_NAME,
        "account_number": settings.PLATFORM_BANK_ACCOUNT_NUMBER,
    }


def transfer_instructions(checkout) -> TransferInstructions | None:
    """Where and how a checkout paid by bank transfer is paid: the platform's
    account, the reference to quote and the amount (on account: if every good is
    accepted); None for other checkouts and once nothing awaits payment."""
    from orders.providers import PROVIDERS  # this module is one of them

    provider = PROVIDERS.get(checkout.provider)
    if provider is None or not provider.by_transfer:
        return None
    payment = checkout.payments.filter(status=PaymentStatus.PENDING).first()
    amount = payment.amount if provider.pays_later and payment else checkout.amount_due
    if payment is None or amount <= 0:
        return None
    return TransferInstructions(
        **platform_account(),
        reference=transfer_reference(payment),
        amount=amount,
        days=provider.pays_within().days,
        on_account=provider.pays_later,
    )
