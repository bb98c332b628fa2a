"""The settlement app's models: the ledger (ledger.py) and payouts (payouts.py)."""

from settlement.models.ledger import Account, Entry, Posting
from settlement.models.payouts import (
    Payout,
    PayoutAccount,
    PayoutBatch,
    PayoutMethod,
    PayoutStatus,
)

__all__ = [
    "Account",
    "Entry",
    "Payout",
    "PayoutAccount",
    "PayoutBatch",
    "PayoutMethod",
    "PayoutStatus",
    "Posting",
]
