"""The unit's rating of a supplier: once per order, by a member of the unit,
after the unit decided on the goods; 1 to 5 stars and a comment, audited.
(A feature module: it writes.)"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import record
from procurement.models import Acceptance, SupplierRating, UnitOrder


@transaction.atomic
def supplier_rate(
    *, unit_order: UnitOrder, actor, stars: int, comment: str
) -> SupplierRating:
    if not unit_order.unit.members.filter(user=actor).exists():
        raise ValidationError(
            _("Only the unit's members can rate its suppliers."), code="not_allowed"
        )
    if not Acceptance.objects.filter(unit_order=unit_order).exists():
        raise ValidationError(
            _("Rate the supplier once the goods have been accepted."),
            code="not_decided",
        )
    if not 1 <= stars <= 5:
        raise ValidationError(_("Give from 1 to 5 stars."), code="stars")
    try:
        with transaction.atomic():
            rating = SupplierRating.objects.create(
                unit_order=unit_order,
                stars=stars,
                comment=comment.strip(),
                rated_by=actor,
                rated_at=timezone.now(),
            )
    except IntegrityError:
        raise ValidationError(
            _("This order's supplier has already been rated."), code="rated"
        ) from None
    order = unit_order.order
    record(
        actor=actor,
        action=AuditEvent.Action.UNIT_SUPPLIER_RATED,
        subject=order,
        farmer=order.farmer,
        county=order.county,
        after={"stars": stars},
        note=rating.comment,
    )
    return rating
