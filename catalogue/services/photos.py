"""Writes about a listing's photos: add (validated, EXIF stripped; renditions follow
after commit), reorder, move and delete. Photos are reviewed content, so a change
sends an active listing back to review, and each change is an audit event about the
listing (its history), whoever makes it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.models import AuditEvent
from audit.services import record
from catalogue.models import PhotoChange, Product, ProductImage
from catalogue.models import ProductStatus as S
from catalogue.services.listings import product_locked
from catalogue.signals import photo_added
from common.images import clean_photo

Action = AuditEvent.Action


MAX_IMAGES = 8


def _photos_changed(product: Product, changed_by: User, what: str) -> None:
    """Photos are reviewed content: record the change, and an active listing goes
    back to review. An archived listing is not changed at all."""
    if product.status == S.ARCHIVED:
        raise ValidationError(
            _("An archived listing cannot be changed; restore it first."),
            code="archived",
        )
    record(
        actor=changed_by,
        action=Action.PHOTOS_CHANGED,
        subject=product,
        farmer=product.farmer,
        note=what,  # a PhotoChange value
    )
    if product.status == S.ACTIVE:
        product.status = S.PENDING
        product.submitted_at = timezone.now()
        product.save(update_fields=["status", "submitted_at", "updated_at"])


def product_image_add(*, product: Product, upload, changed_by: User) -> ProductImage:
    """Add a validated, EXIF-free photo at the end; renditions follow after commit.
    The photo is decoded and re-encoded before any row is locked."""
    cleaned = clean_photo(upload)
    with transaction.atomic():
        product = product_locked(product)
        count = product.images.count()
        if count >= MAX_IMAGES:
            raise ValidationError(
                _("A listing has at most %(max)s photos.") % {"max": MAX_IMAGES},
                code="too_many",
            )
        _photos_changed(product, changed_by, PhotoChange.ADDED)
        image = ProductImage.objects.create(
            product=product, image=cleaned, position=count
        )
        photo_added.send(sender=ProductImage, image=image)
    return image


def _reorder(product: Product, image_ids: list[int]) -> None:
    images = {image.pk: image for image in product.images.all()}
    if sorted(image_ids) != sorted(images):
        raise ValidationError(
            _("The photo order does not match the photos."), code="order"
        )
    for position, pk in enumerate(image_ids):
        images[pk].position = position
    ProductImage.objects.bulk_update(images.values(), ["position"])


@transaction.atomic
def product_images_reorder(
    *, product: Product, image_ids: list[int], changed_by: User
) -> None:
    """Put the product's photos in the given order (every photo, once)."""
    product = product_locked(product)
    _reorder(product, image_ids)
    _photos_changed(product, changed_by, PhotoChange.REORDERED)


@transaction.atomic
def product_image_delete(*, product: Product, image_id: int, changed_by: User) -> None:
    """Remove a photo and close the gap in the order. Its files go after commit,
    unless another photo row still uses them (the demo data shares files)."""
    product = product_locked(product)
    image = product.images.filter(pk=image_id).first()
    if image is None:
        raise ValidationError(_("This photo is not part of the listing."), code="photo")
    _photos_changed(product, changed_by, PhotoChange.DELETED)
    storage = image.image.storage
    names = [f.name for f in (image.image, image.thumbnail, image.detail) if f]
    image.delete()
    _reorder(product, list(product.images.values_list("pk", flat=True)))
    still_used = set(
        ProductImage.objects.filter(
            Q(image__in=names) | Q(thumbnail__in=names) | Q(detail__in=names)
        ).values_list("image", "thumbnail", "detail")
    )
    shared = {name for row in still_used for name in row}

    def delete_files():
        for name in names:
            if name not in shared:
                storage.delete(name)

    transaction.on_commit(delete_files)


def product_image_move(
    *, product: Product, image_id: int, step: int, changed_by: User
) -> None:
    """Move a photo one place earlier (step -1) or later (step +1)."""
    order = list(product.images.values_list("pk", flat=True))
    if image_id not in order:
        raise ValidationError(_("This photo is not part of the listing."), code="photo")
    index = order.index(image_id)
    target = min(max(index + step, 0), len(order) - 1)
    order.insert(target, order.pop(index))
    product_images_reorder(product=product, image_ids=order, changed_by=changed_by)
