"""What work units' notifications say (notifications.messages renders them): a
unit's decision on the goods, to the farmer and to the unit; a payment on
account past its day, as it stands now."""

from django.urls import reverse
from django.utils.translation import gettext as _

from common.money import to_fen
from orders.dues import pay_by, transfers_due
from orders.providers import PROVIDERS
from orders.providers.bank_transfer import transfer_reference
from procurement.models import Acceptance, UnitOrder


def goods_decided_message(notification) -> tuple[str, str]:
    """The notice of a unit's acceptance: to the farmer, what was accepted and
    refused; to the unit's members, that it was accepted for them."""
    order = notification.order
    decided = Acceptance.objects.filter(unit_order__order=order).first()
    refused = decided.refused_amount if decided else 0
    # On account, what is refused is never charged rather than refunded.
    credited = PROVIDERS[order.checkout.provider].pays_later
    if notification.recipient_id == order.farmer.user_id:
        facts = {"number": order.number, "refused": refused}
        facts["reason"] = decided.reason if decided else ""
        if decided and refused == order.total:
            text = (
                _(
                    "Order %(number)s was refused whole (“%(reason)s”); the unit "
                    "is not charged for it, and its stock is back in your listing."
                )
                if credited
                else _(
                    "Order %(number)s was refused whole (“%(reason)s”) and "
                    "refunded to the unit; its stock is back in your listing."
                )
            ) % facts
        elif refused:
            text = (
                _(
                    "Order %(number)s was accepted in part: ¥%(refused)s of goods "
                    "were refused (“%(reason)s”), are not charged to the unit, and "
                    "their stock is back in your listing."
                )
                if credited
                else _(
                    "Order %(number)s was accepted in part: ¥%(refused)s of goods "
                    "were refused (“%(reason)s”), refunded to the unit, and their "
                    "stock is back in your listing."
                )
            ) % facts
        else:
            text = _("Order %(number)s was accepted whole by the work unit.") % {
                "number": order.number
            }
        if decided is None or refused == order.total:
            return text, reverse("orders:detail", args=[order.pk])
        # Accepted goods are invoiced next: the notice leads to the upload.
        text += " " + _("Please upload the seller's invoice for it.")
        return text, reverse("procurement:invoice_upload", args=[decided.unit_order_id])
    text = _(
        "Nobody decided on the goods of order %(number)s in time, so they were "
        "accepted whole."
    ) % {"number": order.number}
    unit_order = UnitOrder.objects.filter(order=order).first()
    link = reverse("procurement:accept", args=[unit_order.pk]) if unit_order else "/"
    return text, link


def payment_overdue_message(notification) -> tuple[str, str]:
    """The reminder of a payment on account past its day, as it stands now."""
    checkout_id = notification.order.checkout_id
    payment = transfers_due().filter(checkout_id=checkout_id).first()
    link = reverse("procurement:home") + "#dues"
    if payment is None:
        return _("A payment on account you were reminded of is settled."), link
    text = _(
        "The payment %(reference)s of ¥%(amount)s for goods your unit accepted "
        "was due on %(day)s. Please transfer it to the platform's account, "
        "quoting the reference."
    ) % {
        "reference": transfer_reference(payment),
        "amount": to_fen(payment.due),
        "day": pay_by(payment).isoformat(),
    }
    return text, link
