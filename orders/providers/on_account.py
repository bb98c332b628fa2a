"""On account, the other way work units pay (the 832 model): the orders ship
unpaid, and the unit pays by company bank transfer within UNIT_PAY_DAYS of its
last decision on the goods, quoting the payment's reference, for what it
accepted (what it refused is credited, never charged). Staff record the transfer
as for one made before shipping (orders.services.transfers.transfer_received).
Until then the ledger holds the money as owed by the unit (docs/PAYMENTS.md),
and the farmers' earnings stay on hold. The rest (the platform's account, no
start and no callback, a refund recorded here and sent back by staff once the
unit has paid) is the bank transfer's."""

from datetime import timedelta

from django.conf import settings

from orders.models import PaymentProviderCode
from orders.providers.bank_transfer import BankTransfer


class OnAccount(BankTransfer):
    code = PaymentProviderCode.ON_ACCOUNT
    online = False  # confirmed at placement, collected after acceptance
    pays_later = True

    def pays_within(self) -> timedelta:
        """From the unit's last decision on the goods."""
        return timedelta(days=settings.UNIT_PAY_DAYS)
