"""Demo payouts for seed_demo: demo_farmer's bank account, entered by her and
verified by her assistant, and a payout run with its batch paid by demo_staff, so
her earnings page shows a payout, all through the settlement services. The other
farmers have no payout account: their assistants see them held."""

from django.utils.translation import gettext as _

from assistants.models import Assignment
from farmers.models import Farmer
from settlement.models import PayoutAccount
from settlement.services.payouts import (
    batch_mark_paid,
    payout_account_save,
    payout_account_verify,
    payout_run,
)

# A UnionPay debit card number that passes its Luhn check digit (not a real card).
DEMO_CARD = "6228480402564890018"


def seed_payouts(*, farmer_name: str, staff) -> int:
    """Pay demo_farmer what she is owed; returns the payouts made (0 on a rerun
    with nothing new owed)."""
    farmer = Farmer.objects.select_related("user").get(user__username=farmer_name)
    if not PayoutAccount.objects.filter(farmer=farmer).exists():
        assignment = (
            Assignment.objects.filter(farmer=farmer, ended_on__isnull=True)
            .select_related("assistant__user")
            .first()
        )
        if assignment is None:
            return 0
        saved = payout_account_save(
            farmer=farmer,
            actor=farmer.user,
            method="bank",
            holder_name=farmer.user.first_name,
            bank_name=_("Agricultural Bank of China, county branch"),
            number=DEMO_CARD,
        )
        payout_account_verify(
            farmer=farmer,
            actor=assignment.assistant.user,
            seen=saved.entered_at.isoformat(),
        )
    batch, _held = payout_run(actor=staff)
    if batch is None:
        return 0
    batch_mark_paid(batch=batch, actor=staff, bank_reference=f"DEMO-{batch.pk:06d}")
    return batch.payouts.count()
