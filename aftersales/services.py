"""Writing after-sales cases: the buyer's request, and each move of the table
in aftersales.rules (the farmer's or assistant's answer, the buyer's
escalation or withdrawal, the staff's decision, the goods back). Each move
locks the case, is an order event, is audited and tells the other party; a
granted case refunds through the orders' refund path (the payment provider,
and the ledger's reversal), and returned goods go back into stock."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from aftersales.models import MAX_PHOTOS, AfterSale, AfterSaleLine, AfterSalePhoto
from aftersales.rules import MOVES, S, granted
from aftersales.selectors import lines_to_ask, may_ask, moves_for
from audit.services import record
from common.money import to_fen
from common.storage import files_undone_on_error
from notifications.models import Notification
from notifications.services import notify
from orders.models import Order, OrderEvent
from orders.services.refunds import refundable
from orders.services.returns import lines_returned
from orders.services.transitions import order_refund, order_refund_part

E = OrderEvent.Type
EVENTS = {
    "request": E.AFTERSALE_ASKED,
    "accept": E.AFTERSALE_ACCEPTED,
    "refuse": E.AFTERSALE_REFUSED,
    "escalate": E.AFTERSALE_ESCALATED,
    "uphold": E.AFTERSALE_DECIDED,
    "reject": E.AFTERSALE_DECIDED,
    "returned": E.AFTERSALE_RETURNED,
    "withdraw": E.AFTERSALE_WITHDRAWN,
}
# The order events' and refunds' note (translated where it is shown).
REFUND_NOTE = gettext_noop("After-sales refund")


def _tell(case: AfterSale, action: str, *, buyer=False, seller=False) -> None:
    order = case.order
    recipients = []
    if buyer:
        recipients.append(order.buyer)
    if seller:
        recipients.append(order.farmer.user)
        if order.assistant_id:
            recipients.append(order.assistant.user)
    for recipient in recipients:
        notify(
            recipient=recipient,
            kind=Notification.Kind.AFTERSALE,
            order=order,
            reason=f"{action}:{case.pk}",
        )


def _log(case: AfterSale, action: str, actor, note: str = "", after=None) -> None:
    OrderEvent.objects.create(
        order=case.order, type=EVENTS[action], actor=actor, note=note[:200]
    )
    record(
        actor=actor,
        action=EVENTS[action],
        subject=case,
        farmer=case.order.farmer,
        county=case.order.county,
        after={"status": case.status, **(after or {})},
        note=note,
    )


def _check_request(order, buyer, quantities, photos, now) -> list:
    if order.buyer_id != buyer.pk or not may_ask(order, now):
        raise ValidationError(
            _(
                "This order cannot be asked about now: after-sales are open for "
                "%(days)s days after you receive an order, once."
            )
            % {"days": settings.AFTERSALE_DAYS},
            code="closed",
        )
    left = {line.pk: line for line in lines_to_ask(order)}
    errors, chosen = [], []
    for line_id, quantity in quantities.items():
        if not quantity:
            continue
        line = left.get(line_id)
        if line is None:
            errors.append(_("A line was asked about already, or is not this order's."))
        elif quantity > line.quantity - line.returned:
            errors.append(
                _("You can ask about at most %(n)s of “%(title)s”.")
                % {"n": line.quantity - line.returned, "title": line.title}
            )
        else:
            chosen.append((line, quantity))
    if not chosen and not errors:
        errors.append(_("Choose at least one product and how many."))
    if len(photos) > MAX_PHOTOS:
        errors.append(_("At most %(n)s photos.") % {"n": MAX_PHOTOS})
    if errors:
        raise ValidationError(errors, code="invalid")
    return chosen


def aftersale_request(
    *,
    order: Order,
    buyer,
    kind: str,
    reason: str,
    details: str = "",
    quantities: dict[int, int],
    photos: list = (),
) -> AfterSale:
    """The buyer asks for a refund only, or a return and refund, of some units
    of some lines, with a reason and up to three photos (already validated and
    re-encoded). Nothing is written unless all of it is right."""
    try:
        with files_undone_on_error() as saved, transaction.atomic():
            return _request(
                order, buyer, kind, reason, details, quantities, photos, saved
            )
    except IntegrityError:  # the same line asked about at the same moment
        raise ValidationError(
            _("A line was asked about already, or is not this order's."),
            code="invalid",
        ) from None


def _request(order, buyer, kind, reason, details, quantities, photos, saved):
    order = Order.objects.select_for_update(of=("self",)).get(pk=order.pk)
    now = timezone.now()
    chosen = _check_request(order, buyer, quantities, photos, now)
    if kind not in AfterSale.Kind.values or reason not in AfterSale.Reason.values:
        raise ValidationError(_("Choose what you ask for, and why."), code="invalid")
    case = AfterSale.objects.create(
        order=order,
        kind=kind,
        reason=reason,
        details=details,
        amount=to_fen(sum(line.unit_price * n for line, n in chosen)),
        answer_by=now + timedelta(hours=settings.AFTERSALE_ANSWER_HOURS),
    )
    AfterSaleLine.objects.bulk_create(
        AfterSaleLine(case=case, line=line, quantity=n) for line, n in chosen
    )
    for photo in photos:
        kept = AfterSalePhoto(case=case)
        kept.image.save(f"{uuid.uuid4().hex}-{photo.name}", photo, save=True)
        saved(kept.image)
    _log(case, "request", buyer, after={"kind": kind, "amount": str(case.amount)})
    _tell(case, "request", seller=True)
    return case


def _refund(case: AfterSale, goods_back: bool) -> None:
    """Money back for the case's units, through the orders' refund path (which
    locks the payment, then the order, and checks what is left to refund): the
    whole order, with its shipping fee, once the cases refunded cover every
    unit of it, or when the units' value is all that is left; else the units'
    value. Then the returned units go back into stock (lines, then products,
    as every path locks)."""
    order = case.order
    asked = {row.line_id: row.quantity for row in case.lines.all()}
    granted = dict(
        AfterSaleLine.objects.filter(
            case__order=order, case__status=S.REFUNDED
        ).values_list("line_id", "quantity")
    )
    whole = all(granted.get(line.pk, 0) >= line.quantity for line in order.lines.all())
    if whole or case.amount >= refundable(order):
        order_refund(order=order, actor=None, note=REFUND_NOTE, goods_back=False)
    else:
        order_refund_part(order=order, actor=None, amount=case.amount, note=REFUND_NOTE)
    if goods_back:
        lines_returned(returned=asked)


@transaction.atomic
def aftersale_move(
    *, case: AfterSale, action: str, actor, note: str = "", return_address: str = ""
) -> AfterSale:
    """Make one move of aftersales.rules.MOVES: refused unless `actor` may make
    it now. Accepting a return needs the address the goods go back to; refusing,
    and the staff's decisions, need a reason."""
    case = (
        AfterSale.objects.select_for_update(of=("self",))
        .select_related("order__farmer", "order__buyer", "order__assistant__user")
        .get(pk=case.pk)
    )
    if action not in MOVES or action not in moves_for(case, actor):
        raise ValidationError(
            _("This after-sales case cannot be %(action)s now.")
            % {"action": MOVES[action].label if action in MOVES else action},
            code="illegal_move",
        )
    needs_reason = action in ("refuse", "reject", "uphold")
    if needs_reason and not note.strip():
        raise ValidationError(_("Give a reason."), code="reason")
    grants = action in ("accept", "uphold")
    if (
        grants
        and case.kind == AfterSale.Kind.RETURN
        and not (return_address.strip() or case.return_address)
    ):
        raise ValidationError(
            _("Give the address the goods go back to."), code="return_address"
        )
    target = granted(case) if grants else MOVES[action].target
    case.status = target
    if action in ("accept", "refuse"):
        case.answer = note
    if action in ("uphold", "reject"):
        case.decision = note
    if grants and return_address.strip():
        case.return_address = return_address.strip()
    if target in (S.REFUNDED, S.CLOSED, S.WITHDRAWN):
        case.closed_at = timezone.now()
    case.save()
    if target == S.REFUNDED:
        _refund(case, goods_back=action == "returned")
    _log(case, action, actor, note)
    buyer, seller = _told(action)
    _tell(case, action, buyer=buyer, seller=seller)
    return case


def _told(action: str) -> tuple[bool, bool]:
    """Whom a move tells: (the buyer, the seller)."""
    return {
        "accept": (True, False),
        "refuse": (True, False),
        "escalate": (False, True),
        "uphold": (True, True),
        "reject": (True, True),
        "returned": (True, False),
        "withdraw": (False, True),
    }[action]
