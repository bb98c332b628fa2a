"""Writes about product listings: create and edit (with a change history that shows
who changed what, farmers and assistants acting for them alike), photos, and the
review workflow draft → pending → active / rejected → archived."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.models import AuditEvent
from audit.services import diff, snapshot
from farmers.audit import on_behalf
from farmers.images import clean_photo
from farmers.models import (
    Category,
    Farmer,
    PhotoChange,
    Product,
    ProductChange,
    ProductImage,
    ProductStatus,
)
from farmers.tasks import product_image_renditions

S = ProductStatus
Action = AuditEvent.Action
# Which statuses each action may start from.
TRANSITIONS = {
    "submit": {S.DRAFT, S.REJECTED},
    "approve": {S.PENDING},
    "reject": {S.PENDING},
    "archive": {S.DRAFT, S.PENDING, S.ACTIVE, S.REJECTED},
    "restore": {S.ARCHIVED},
}
ACTION_NAMES = {
    "submit": gettext_lazy("submitted for review"),
    "approve": gettext_lazy("approved"),
    "reject": gettext_lazy("rejected"),
    "archive": gettext_lazy("archived"),
    "restore": gettext_lazy("restored"),
}
# Editing what a buyer reads sends an active listing back to review; price and
# stock are the farmer's to change at any time.
REVIEWED_FIELDS = {"title", "description", "category", "unit", "net_weight_kg"}
# The listing's editable fields in form order: the pages' ListingForm and the API's
# serializers take their field lists from here.
LISTING_FIELDS = (
    "category",
    "title",
    "description",
    "unit",
    "net_weight_kg",
    "price",
    "stock",
)
EDITABLE_FIELDS = set(LISTING_FIELDS)


def _normalised(fields: dict) -> dict:
    """Only editable fields; text with browser line endings (CRLF) made plain, so
    re-saving an unchanged description is not a change."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    return {
        name: value.replace("\r\n", "\n") if isinstance(value, str) else value
        for name, value in fields.items()
    }


def _stored(value) -> str:
    """A value as the history keeps it, in no language: a category by its slug."""
    return value.slug if isinstance(value, Category) else str(value)


def _locked(product: Product) -> Product:
    return Product.objects.select_for_update(of=("self",)).get(pk=product.pk)


def _move(
    product: Product, action: str, status: str, version: str | None = None, **fields
) -> Product:
    """Lock the listing and move it to `status` if `action` may start from where it
    is. A reviewer passes `version` (the listing's updated_at as the review page
    showed it): if the listing changed since, they decide on it again. The
    returned listing keeps the status it left in `status_before` (for the audit)."""
    product = _locked(product)
    if version is not None and version != product.updated_at.isoformat():
        raise ValidationError(
            _("The listing changed while you were reviewing it. Look at it again."),
            code="changed",
        )
    if product.status not in TRANSITIONS[action]:
        raise ValidationError(
            _("A listing that is “%(status)s” cannot be %(action)s.")
            % {"status": product.get_status_display(), "action": ACTION_NAMES[action]},
            code="illegal_transition",
        )
    product.status_before = product.status
    product.status = status
    for name, value in fields.items():
        setattr(product, name, value)
    product.full_clean()
    product.save()
    return product


@transaction.atomic
def product_create(*, farmer: Farmer, created_by: User, **fields) -> Product:
    """A new draft listing for `farmer`, by the farmer or an assistant for them."""
    fields = _normalised(fields)
    product = Product(farmer=farmer, created_by=created_by, **fields)
    product.full_clean()
    product.save()
    on_behalf(
        actor=created_by,
        farmer=farmer,
        action=Action.LISTING_CREATED,
        subject=product,
        after=diff(None, product, LISTING_FIELDS)[1],
    )
    return product


def _stock_as_seen(product: Product, fields: dict, stock_seen: int | None) -> None:
    """A form sends back the stock it showed (`stock_seen`). Left as it was, it is
    not a change (sales since then must not be undone); changed while sales moved
    it, it is refused so the farmer sees the real figure first."""
    if stock_seen is None or "stock" not in fields:
        return
    if fields["stock"] == stock_seen:
        del fields["stock"]
    elif product.stock != stock_seen:
        raise ValidationError(
            _(
                "The stock changed while you were editing (orders came in): it is "
                "now %(stock)s. Check it and save again."
            )
            % {"stock": product.stock},
            code="stock_changed",
        )


@transaction.atomic
def product_update(
    *, product: Product, changed_by: User, stock_seen: int | None = None, **fields
) -> Product:
    """Change a listing and record each changed field in its history. An active
    listing whose reviewed content changes goes back to review. Pages pass the
    stock they showed as `stock_seen` (see _stock_as_seen)."""
    fields = _normalised(fields)
    product = _locked(product)
    _stock_as_seen(product, fields, stock_seen)
    if product.status == S.ARCHIVED:
        raise ValidationError(
            _("An archived listing cannot be changed; restore it first."),
            code="archived",
        )
    before = snapshot(product, fields)
    changes = []
    for name, value in fields.items():
        old = getattr(product, name)
        if old != value:
            changes.append(
                ProductChange(
                    product=product,
                    changed_by=changed_by,
                    field=name,
                    old_value=_stored(old),
                    new_value=_stored(value),
                )
            )
            setattr(product, name, value)
    if not changes:
        return product
    if product.status == S.ACTIVE and {c.field for c in changes} & REVIEWED_FIELDS:
        product.status = S.PENDING
        product.submitted_at = timezone.now()
    product.full_clean()
    product.save()
    ProductChange.objects.bulk_create(changes)
    old, new = diff(before, product, [c.field for c in changes])
    on_behalf(
        actor=changed_by,
        farmer=product.farmer,
        action=Action.LISTING_CHANGED,
        subject=product,
        before=old,
        after=new,
    )
    return product


def _by(actor, product: Product, action: str) -> Product:
    """Record a workflow move made for the farmer, with the status it left."""
    on_behalf(
        actor=actor,
        farmer=product.farmer,
        action=action,
        subject=product,
        before={"status": product.status_before},
        after={"status": product.status},
    )
    return product


@transaction.atomic
def product_submit(*, product: Product, actor: User | None = None) -> Product:
    product = _move(
        product, "submit", S.PENDING, submitted_at=timezone.now(), rejection_reason=""
    )
    return _by(actor, product, Action.LISTING_SUBMITTED)


@transaction.atomic
def product_approve(*, product: Product, version: str | None = None) -> Product:
    return _move(product, "approve", S.ACTIVE, version=version)


@transaction.atomic
def product_reject(
    *, product: Product, reason: str, version: str | None = None
) -> Product:
    if not reason.strip():
        raise ValidationError(_("Say why the listing is rejected."), code="reason")
    return _move(
        product, "reject", S.REJECTED, version=version, rejection_reason=reason.strip()
    )


@transaction.atomic
def product_archive(*, product: Product, actor: User | None = None) -> Product:
    return _by(actor, _move(product, "archive", S.ARCHIVED), Action.LISTING_ARCHIVED)


@transaction.atomic
def product_restore(*, product: Product, actor: User | None = None) -> Product:
    """Bring an archived listing back as a draft, to be submitted again."""
    return _by(actor, _move(product, "restore", S.DRAFT), Action.LISTING_RESTORED)


MAX_IMAGES = 8


def _photos_changed(product: Product, changed_by: User, what: str) -> None:
    """Photos are reviewed content: record the change, and an active listing goes
    back to review. An archived listing is not changed at all."""
    if product.status == S.ARCHIVED:
        raise ValidationError(
            _("An archived listing cannot be changed; restore it first."),
            code="archived",
        )
    ProductChange.objects.create(
        product=product,
        changed_by=changed_by,
        field=ProductChange.PHOTOS,
        new_value=what,
    )
    on_behalf(
        actor=changed_by,
        farmer=product.farmer,
        action=Action.PHOTOS_CHANGED,
        subject=product,
        note=what,
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
        product = _locked(product)
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
        product_image_renditions.delay_on_commit(image.pk)
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
    product = _locked(product)
    _reorder(product, image_ids)
    _photos_changed(product, changed_by, PhotoChange.REORDERED)


@transaction.atomic
def product_image_delete(*, product: Product, image_id: int, changed_by: User) -> None:
    """Remove a photo and close the gap in the order. Its files go after commit,
    unless another photo row still uses them (the demo data shares files)."""
    product = _locked(product)
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
