"""What an after-sales notification says (registered in aftersales.apps): the
move, the order, and a link to the case."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

TEXTS = {
    "request": gettext_lazy(
        "The buyer of order %(number)s asks for after-sales (¥%(amount)s). "
        "Please answer within %(hours)s hours."
    ),
    "accept": gettext_lazy(
        "Your after-sales request for order %(number)s is accepted."
    ),
    "refuse": gettext_lazy(
        "Your after-sales request for order %(number)s is refused. You can ask the "
        "platform to decide."
    ),
    "escalate": gettext_lazy(
        "The buyer of order %(number)s asked the platform to decide their "
        "after-sales request."
    ),
    "uphold": gettext_lazy(
        "The platform decided the after-sales case of order %(number)s for the buyer."
    ),
    "reject": gettext_lazy(
        "The platform decided the after-sales case of order %(number)s for the farmer."
    ),
    "returned": gettext_lazy(
        "The goods of order %(number)s came back, and the money is on its way back."
    ),
    "withdraw": gettext_lazy(
        "The buyer of order %(number)s withdrew their after-sales request."
    ),
}


def aftersale_message(notification) -> tuple[str, str]:
    action, _sep, case_id = notification.reason.partition(":")
    order = notification.order
    case = order.aftersales.filter(pk=case_id).first() if case_id.isdigit() else None
    text = str(TEXTS.get(action, _("An after-sales case of order %(number)s moved.")))
    text %= {
        "number": order.number,
        "amount": case.amount if case else "",
        "hours": settings.AFTERSALE_ANSWER_HOURS,
    }
    if case is None:
        return text, reverse("orders:detail", args=[order.pk])
    return text, reverse("aftersales:case", args=[case.pk])
