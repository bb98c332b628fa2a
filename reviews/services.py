"""Writing reviews: the buyer's review of a line of a completed order (once),
the farmer's one reply, and the hiding of an abusive review by the farmer's
assistant or staff (audited). Each keeps the product's rating in the catalogue
(catalogue.services.ratings)."""

import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import record
from catalogue.services.ratings import product_rating_set
from catalogue.services.stock import stock_lock
from common.storage import files_undone_on_error
from orders.models import OrderLine, OrderStatus
from reviews.models import MAX_PHOTOS, Review, ReviewPhoto
from reviews.selectors import may_hide, may_reply, rating_of


def _recount(product_id: int) -> None:
    """The product's rating again, its row locked first, so two reviews at
    once cannot leave a stale one."""
    stock_lock([product_id])
    rating = rating_of(Review.objects.filter(product_id=product_id))
    product_rating_set(
        product_id=product_id, average=rating["average"], count=rating["count"]
    )


def review_write(
    *, line: OrderLine, buyer, rating: int, comment: str = "", photos: list = ()
) -> Review:
    """The buyer of a completed order rates one of its lines' products, once."""
    try:
        with files_undone_on_error() as saved, transaction.atomic():
            return _write(line, buyer, rating, comment, photos, saved)
    except IntegrityError:  # reviewed in another tab at the same moment
        raise ValidationError(
            _("You have already reviewed this purchase."), code="reviewed"
        ) from None


def _write(line, buyer, rating, comment, photos, saved) -> Review:
    line = OrderLine.objects.select_related("order").get(pk=line.pk)
    order = line.order
    if order.buyer_id != buyer.pk or order.status != OrderStatus.COMPLETED:
        raise ValidationError(
            _("Only the buyer of a completed order can review its products."),
            code="not_bought",
        )
    if Review.objects.filter(line=line).exists():
        raise ValidationError(
            _("You have already reviewed this purchase."), code="reviewed"
        )
    if not 1 <= rating <= 5:
        raise ValidationError(_("Give 1 to 5 stars."), code="rating")
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(_("At most %(n)s photos.") % {"n": MAX_PHOTOS})
    review = Review.objects.create(
        line=line,
        product_id=line.product_id,
        farmer_id=order.farmer_id,
        buyer=buyer,
        rating=rating,
        comment=comment,
    )
    for photo in photos:
        kept = ReviewPhoto(review=review)
        kept.image.save(f"{uuid.uuid4().hex}-{photo.name}", photo, save=True)
        saved(kept.image)
    _recount(line.product_id)
    return review


@transaction.atomic
def review_reply(*, review: Review, actor, text: str) -> Review:
    """The farmer answers a review of theirs, once."""
    review = (
        Review.objects.select_for_update().select_related("farmer").get(pk=review.pk)
    )
    if not may_reply(review, actor):
        raise ValidationError(
            _("Only the farmer replies to a review, and only once."), code="reply"
        )
    if not text.strip():
        raise ValidationError(_("Write the reply."), code="reply_empty")
    review.reply, review.replied_at = text.strip(), timezone.now()
    review.save(update_fields=["reply", "replied_at"])
    return review


@transaction.atomic
def review_hide(*, review: Review, actor, reason: str) -> Review:
    """The farmer's assistant, or staff, hide an abusive review, with a reason;
    it no longer counts in the product's rating. Audited."""
    review = (
        Review.objects.select_for_update().select_related("farmer").get(pk=review.pk)
    )
    if not may_hide(review, actor):
        raise ValidationError(_("You cannot hide this review."), code="not_allowed")
    if not reason.strip():
        raise ValidationError(_("Give a reason."), code="reason")
    review.hidden_at, review.hidden_by = timezone.now(), actor
    review.hidden_reason = reason.strip()
    review.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    record(
        actor=actor,
        action=AuditEvent.Action.REVIEW_HIDDEN,
        subject=review,
        farmer=review.farmer,
        before={"rating": review.rating, "comment": review.comment},
        note=review.hidden_reason,
    )
    _recount(review.product_id)
    return review
