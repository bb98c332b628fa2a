"""The audit trail of sensitive changes: one append-only AuditEvent per change, with
who made it, what it was about, the changed fields before and after, and when.

The subject is a content type and id with its name at the time (`subject_label`),
not a foreign key, so an event outlives its subject. County, household and farmer
are kept apart as nullable keys: they give officials (county) and assistants
(farmer, household) their scope, and the household file its history.

Values are stored in no language (choice values, a category's slug); display()
shows them in the reader's. A field whose stored value only its own app can name
(a listing's category, by slug) has a function registered with shown_register()
by that app."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

APPEND_ONLY = "The audit trail is append-only: events are never changed or deleted."
# Labels of keys that are not a field of the subject (onboarding names the
# farmer's assistant).
OTHER_LABELS = {"assistant": _("assistant"), "groups": _("province groups")}
# (model label, field) -> function(stored value) -> text; see shown_register().
_SHOWN = {}


def shown_register(model_label: str, path: str, show) -> None:
    """How to show a stored value of `model_label`'s field `path` (registered in
    the owning app's AppConfig.ready(): audit imports no feature app)."""
    _SHOWN[(model_label, path)] = show


class AuditEventQuerySet(models.QuerySet):
    """No changing or deleting events through a queryset either."""

    def update(self, **kwargs):
        raise TypeError(APPEND_ONLY)

    def delete(self):
        raise TypeError(APPEND_ONLY)

    def bulk_update(self, objs, fields, batch_size=None):
        raise TypeError(APPEND_ONLY)


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        # Done for a farmer by their assistant or staff (the on-behalf record);
        # a listing's changes and photos are recorded when the farmer makes them
        # too (the listing's history), and the trail's pages leave those out
        # (audit.selectors.DONE_BY_OTHERS).
        ONBOARDED = "onboarded", _("Onboarded the farmer")
        LISTING_CREATED = "listing_created", _("Created a listing")
        LISTING_CHANGED = "listing_changed", _("Changed a listing")
        PHOTOS_CHANGED = "photos_changed", _("Changed a listing's photos")
        LISTING_SUBMITTED = "listing_submitted", _("Submitted a listing for review")
        LISTING_ARCHIVED = "listing_archived", _("Archived a listing")
        LISTING_RESTORED = "listing_restored", _("Restored a listing")
        PASSWORD_RESET = "password_reset", _("Cleared the password for a new link")
        FARM_VERIFIED = "farm_verified", _("Verified the farm")
        # Assignments.
        ASSIGNED = "assigned", _("Assigned an assistant")
        REASSIGNED = "reassigned", _("Changed the assistant")
        # The household's file and the poverty register.
        HOUSEHOLD_IMPORTED = "household_imported", _("Added from the register import")
        HOUSEHOLD_REIMPORTED = (
            "household_reimported",
            _("Updated from the register import"),
        )
        HOUSEHOLD_EXITED = "household_exited", _("Recorded the exit from the register")
        # Income surveys.
        SURVEY_RECORDED = "survey_recorded", _("Recorded an income survey")
        SURVEY_CORRECTED = "survey_corrected", _("Corrected an income survey")
        # Orders closed by staff (or the platform) rather than their buyer or farmer.
        ORDER_CANCELLED = "order_cancelled", _("Cancelled an order")
        ORDER_REFUNDED = "order_refunded", _("Refunded an order")
        REFUND_RETRIED = "refund_retried", _("Sent a failed refund again")
        # Payouts (settlement).
        PAYOUT_ACCOUNT_ENTERED = (
            "payout_account_entered",
            _("Entered the payout account"),
        )
        PAYOUT_ACCOUNT_VERIFIED = (
            "payout_account_verified",
            _("Verified the payout account"),
        )
        PAYOUT_RUN = "payout_run", _("Ran the payouts")
        PAYOUT_BATCH_PAID = "payout_batch_paid", _("Marked a payout batch paid")
        PAYOUT_FAILED = "payout_failed", _("Marked a payout failed")
        # The daily payment reconciliation's mismatches, settled by staff.
        MISMATCH_RESOLVED = "mismatch_resolved", _("Resolved a payment mismatch")
        MISMATCH_APPLIED = (
            "mismatch_applied",
            _("Applied a payment the notification missed"),
        )
        TRANSFER_RECEIVED = "transfer_received", _("Recorded a bank transfer received")
        TRANSFER_REFUND_SENT = (
            "transfer_refund_sent",
            _("Recorded a refund sent back by bank transfer"),
        )
        # Work units (procurement): who is in a unit, and its budget.
        UNIT_CREATED = "unit_created", _("Registered a work unit")
        UNIT_MEMBER_JOINED = "unit_member_joined", _("Joined a work unit")
        UNIT_MEMBER_REMOVED = "unit_member_removed", _("Removed from a work unit")
        UNIT_BUDGET_SET = "unit_budget_set", _("Set a work unit's budget")
        UNIT_TERMS_SET = "unit_terms_set", _("Set whether a unit pays on account")
        UNIT_STAFF_LINK_MADE = "unit_staff_link_made", _("Made a unit's staff link")
        UNIT_STAFF_JOINED = "unit_staff_joined", _("Shops as a unit's staff")
        UNIT_STAFF_LEFT = "unit_staff_left", _("Stopped shopping as a unit's staff")
        UNIT_ORDER_ACCEPTED = "unit_order_accepted", _("Accepted a unit's goods")
        UNIT_INVOICE_UPLOADED = "unit_invoice_uploaded", _("Uploaded a unit's invoice")
        UNIT_SUPPLIER_RATED = "unit_supplier_rated", _("Rated a unit's supplier")
        # Shipping (issue 19).
        SHIPPING_CHANGED = "shipping_changed", _("Changed the shipping template")
        AFTERSALE_ASKED = "aftersale_asked", _("Asked for after-sales")
        AFTERSALE_ACCEPTED = "aftersale_ok", _("Accepted an after-sales request")
        AFTERSALE_REFUSED = "aftersale_no", _("Refused an after-sales request")
        AFTERSALE_ESCALATED = "aftersale_up", _("Escalated an after-sales case")
        AFTERSALE_DECIDED = "aftersale_staff", _("Decided an after-sales case")
        AFTERSALE_RETURNED = "aftersale_back", _("Received returned goods")
        AFTERSALE_WITHDRAWN = "aftersale_off", _("Withdrew an after-sales request")
        REVIEW_HIDDEN = "review_hidden", _("Hid a review")
        PICKUP_POINT_SAVED = "pickup_point_saved", _("Opened or changed a pickup point")

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
        help_text=_("Empty: the platform itself."),
    )
    action = models.CharField(_("action"), max_length=24, choices=Action.choices)
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField()
    subject_label = models.CharField(_("about"), max_length=200)
    county = models.ForeignKey(
        "counties.County",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("county"),
    )
    household = models.ForeignKey(
        "farmers.Household",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("household"),
    )
    farmer = models.ForeignKey(
        "farmers.Farmer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("farmer"),
    )
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["county", "-at"], name="audit_by_county"),
            models.Index(fields=["farmer", "-at"], name="audit_by_farmer"),
            models.Index(fields=["household", "-at"], name="audit_by_household"),
            models.Index(fields=["subject_type", "subject_id"], name="audit_subject"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.subject_label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError(APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(APPEND_ONLY)

    @property
    def changes(self) -> list[tuple[str, str, str]]:
        """(field label, before, after) for every recorded field, as display text.
        Keys are field names of the subject, or paths through it
        ("household.status")."""
        model = self.subject_type.model_class()
        names = [*self.after, *(k for k in self.before if k not in self.after)]
        return [
            (
                label_of(model, name),
                display(model, name, self.before.get(name)),
                display(model, name, self.after.get(name)),
            )
            for name in names
        ]


def field_at(model, path: str):
    """The model field a key names, following foreign keys ("household.status");
    None if it names none (a key such as "assistant" on an assignment event)."""
    field = None
    for part in path.split("."):
        if model is None:
            return None
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        model = field.related_model
    return field


def label_of(model, path: str) -> str:
    field = field_at(model, path) if model is not None else None
    label = getattr(field, "verbose_name", None) or OTHER_LABELS.get(path)
    return str(label or path.replace("_", " "))


def display(model, path: str, value) -> str:
    """A stored value as text: choices by their label, lists joined, nothing as —."""
    if value is None or value == "" or value == []:
        return "—"
    if model is not None and (model._meta.label, path) in _SHOWN:
        return _SHOWN[(model._meta.label, path)](value)
    field = field_at(model, path) if model is not None else None
    choices = dict(field.flatchoices) if field is not None and field.choices else {}
    if isinstance(value, list):
        return ", ".join(str(choices.get(item, item)) for item in value)
    return str(choices.get(value, value))
