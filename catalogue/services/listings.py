"""Writes about product listings: create and edit (every edit is an audit event
about the listing, by the farmer or by an assistant acting for them alike: the
listing's change history), and the review workflow draft → pending → active /
rejected → archived (recorded when someone acts for the farmer); the farmer is
notified of the review's decision."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.models import AuditEvent
from audit.services import diff, record, value_of
from catalogue.models import Product, ProductStatus
from catalogue.services.stock import stock_as_seen
from farmers.audit import on_behalf
from farmers.models import Farmer
from notifications.models import Notification
from notifications.services import notify

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


def _stored(product: Product, name: str):
    """A field's value as the trail keeps it, in no language: a category by its
    slug (shown by catalogue.selectors.category_shown), choices by their value,
    money at the field's decimal places (audit.services.value_of)."""
    if name == "category":
        return product.category.slug
    return value_of(product, name)


def product_locked(product: Product) -> Product:
    return Product.objects.select_for_update(of=("self",)).get(pk=product.pk)


def _move(
    product: Product, action: str, status: str, version: str | None = None, **fields
) -> Product:
    """Lock the listing and move it to `status` if `action` may start from where it
    is. A reviewer passes `version` (the listing's updated_at as the review page
    showed it): if the listing changed since, they decide on it again. The
    returned listing keeps the status it left in `status_before` (for the audit)."""
    product = product_locked(product)
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


@transaction.atomic
def product_update(
    *, product: Product, changed_by: User, stock_seen: int | None = None, **fields
) -> Product:
    """Change a listing and record the changed fields, before and after, in one
    audit event (the farmer's own edits too: the listing's history). An active
    listing whose reviewed content changes goes back to review. Pages pass the
    stock they showed as `stock_seen` (see stock_as_seen)."""
    fields = _normalised(fields)
    product = product_locked(product)
    stock_as_seen(product, fields, stock_seen)
    if product.status == S.ARCHIVED:
        raise ValidationError(
            _("An archived listing cannot be changed; restore it first."),
            code="archived",
        )
    changed = [
        name for name, value in fields.items() if getattr(product, name) != value
    ]
    if not changed:
        return product
    before = {name: _stored(product, name) for name in changed}
    for name in changed:
        setattr(product, name, fields[name])
    if product.status == S.ACTIVE and set(changed) & REVIEWED_FIELDS:
        product.status = S.PENDING
        product.submitted_at = timezone.now()
    product.full_clean()
    product.save()
    record(
        actor=changed_by,
        action=Action.LISTING_CHANGED,
        subject=product,
        farmer=product.farmer,
        before=before,
        after={name: _stored(product, name) for name in changed},
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


def _told(product: Product, kind: str) -> Product:
    """The farmer hears of the review's decision."""
    notify(recipient=product.farmer.user, kind=kind, product=product)
    return product


@transaction.atomic
def product_approve(*, product: Product, version: str | None = None) -> Product:
    product = _move(product, "approve", S.ACTIVE, version=version)
    return _told(product, Notification.Kind.LISTING_APPROVED)


@transaction.atomic
def product_reject(
    *, product: Product, reason: str, version: str | None = None
) -> Product:
    if not reason.strip():
        raise ValidationError(_("Say why the listing is rejected."), code="reason")
    product = _move(
        product, "reject", S.REJECTED, version=version, rejection_reason=reason.strip()
    )
    return _told(product, Notification.Kind.LISTING_REJECTED)


@transaction.atomic
def product_archive(*, product: Product, actor: User | None = None) -> Product:
    return _by(actor, _move(product, "archive", S.ARCHIVED), Action.LISTING_ARCHIVED)


@transaction.atomic
def product_restore(*, product: Product, actor: User | None = None) -> Product:
    """Bring an archived listing back as a draft, to be submitted again."""
    return _by(actor, _move(product, "restore", S.DRAFT), Action.LISTING_RESTORED)
