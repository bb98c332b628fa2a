"""Accepting a unit's delivered goods (the 832 rule: a unit order is a sale once
its goods are accepted). A member of the unit decides once per order, line by
line: what is accepted is completed (the farmer earns it), what is refused is
refunded, with the reason and photos, and its stock comes back. A delivery
nobody decides on within UNIT_ACCEPT_DAYS of shipping is accepted whole by the
platform. Every decision is audited. (A feature module: it writes.)"""

import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.models import AuditEvent
from audit.services import record
from common.money import to_fen
from common.storage import files_undone_on_error
from notifications.models import Notification
from notifications.services import notify
from orders.models import Order, OrderStatus
from orders.services.returns import lines_returned
from orders.services.transitions import order_complete, order_refund, order_refund_part
from procurement.models import MAX_REFUSAL_PHOTOS as MAX_PHOTOS
from procurement.models import Acceptance, AcceptanceLine, RefusalPhoto, UnitOrder

DELIVERED = (OrderStatus.SHIPPED, OrderStatus.DELIVERED)
# Stored untranslated (the order's timeline translates it for each reader).
REFUSED_NOTE = gettext_noop("Refused at acceptance by the work unit.")


def order_accept(
    *, unit_order: UnitOrder, actor, accepted: dict[int, int], reason: str, photos=()
) -> Acceptance:
    """The unit accepts `accepted[line id]` of each line (the rest is refused).
    `actor` None: the platform, accepting all of it when the time is up. The
    photos saved are deleted again if the decision rolls back."""
    with files_undone_on_error() as saved, transaction.atomic():
        return _decide(unit_order, actor, accepted, reason, photos, saved)


def _decide(unit_order, actor, accepted, reason, photos, saved) -> Acceptance:
    # Read afresh (the caller's row may be stale); the transitions below check
    # the status again under their locks, payments first as every path.
    order = Order.objects.select_related("farmer").get(pk=unit_order.order_id)
    if actor is not None and not unit_order.unit.members.filter(user=actor).exists():
        raise ValidationError(
            _("Only the unit's members can accept its goods."), code="not_allowed"
        )
    if Acceptance.objects.filter(unit_order=unit_order).exists():
        raise ValidationError(
            _("These goods have already been accepted."), code="already_decided"
        )
    if order.status not in DELIVERED:
        raise ValidationError(
            _("Only goods that have been shipped can be accepted."), code="not_shipped"
        )
    lines = list(order.lines.order_by("pk"))
    refused, refused_amount = [], Decimal(0)
    for line in lines:
        quantity = accepted.get(line.pk, line.quantity)
        if not 0 <= quantity <= line.quantity:
            raise ValidationError(
                _("Accept from 0 to %(most)s of “%(title)s”.")
                % {"most": line.quantity, "title": line.title},
                code="too_many",
            )
        if quantity < line.quantity:
            refused.append((line, line.quantity - quantity))
            refused_amount += (line.quantity - quantity) * line.unit_price
    refused_amount = to_fen(refused_amount)
    reason = reason.strip()
    if refused and not reason:
        raise ValidationError(
            _("Say why you refuse what you do not accept."), code="no_reason"
        )
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(
            _("At most %(most)s photos.") % {"most": MAX_PHOTOS}, code="photos"
        )
    try:
        with transaction.atomic():
            acceptance = Acceptance.objects.create(
                unit_order=unit_order,
                decided_by=actor,
                decided_at=timezone.now(),
                reason=reason,
                refused_amount=refused_amount,
            )
    except IntegrityError:  # decided in a parallel request
        raise ValidationError(
            _("These goods have already been accepted."), code="already_decided"
        ) from None
    AcceptanceLine.objects.bulk_create(
        AcceptanceLine(
            acceptance=acceptance,
            line=line,
            accepted=accepted.get(line.pk, line.quantity),
            refused=line.quantity - accepted.get(line.pk, line.quantity),
        )
        for line in lines
    )
    for photo in photos:
        kept = RefusalPhoto(acceptance=acceptance)
        kept.image.save(f"{uuid.uuid4().hex}-{photo.name}", photo, save=True)
        saved(kept.image)
    if refused_amount == order.goods_total:  # nothing accepted: all goes back
        order_refund(order=order, actor=None, note=REFUSED_NOTE)
    else:
        if refused:
            order_refund_part(
                order=order, actor=None, amount=refused_amount, note=REFUSED_NOTE
            )
            lines_returned(returned={line.pk: n for line, n in refused})
        order_complete(order=order, actor=None)
    _tell(unit_order, automatic=actor is None)
    record(
        actor=actor,
        action=AuditEvent.Action.UNIT_ORDER_ACCEPTED,
        subject=order,
        farmer=order.farmer,
        county=order.county,
        after={
            "refused": {line.title: n for line, n in refused},
            "refused_amount": str(refused_amount),
            "automatic": actor is None,
        },
        note=reason,
    )
    return acceptance


def _tell(unit_order: UnitOrder, *, automatic: bool) -> None:
    """The farmer learns what was accepted and refused; when the platform
    accepted it, the unit's members learn it too."""
    order = unit_order.order
    people = [order.farmer.user]
    if automatic:
        people += [m.user for m in unit_order.unit.members.select_related("user")]
    for person in people:
        notify(recipient=person, kind=Notification.Kind.UNIT_GOODS_DECIDED, order=order)


def accept_overdue(now=None) -> int:
    """Accept whole every unit delivery shipped over UNIT_ACCEPT_DAYS ago that
    nobody decided on. Returns how many it accepted."""
    now = now or timezone.now()
    due = now - timedelta(days=settings.UNIT_ACCEPT_DAYS)
    waiting = UnitOrder.objects.filter(
        acceptance__isnull=True,
        order__status__in=DELIVERED,
        order__shipped_at__lte=due,
    ).select_related("order", "unit")
    done = 0
    for unit_order in list(waiting.order_by("pk")[:500]):
        try:
            order_accept(unit_order=unit_order, actor=None, accepted={}, reason="")
        except ValidationError:
            continue  # decided, or refunded, meanwhile
        done += 1
    return done
