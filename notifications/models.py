"""Notifications: an in-app message to one user, which is also the e-mail outbox
and, for the kinds that have a text message, the link to its SMS (sms.TextMessage).
The row is written in the transaction of the event it reports, so an order that
commits has its notification, whether or not the broker is up. A Preference is a
user's choice of channels for one kind (notifications.channels)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Kind(models.TextChoices):
        ORDER_PAID = "order_paid", _("A new order to ship")
        FARMER_ORDER_PAID = "farmer_order_paid", _("Your farmer has a new order")
        SHIP_SOON = "ship_soon", _("An order must ship within a day")
        ORDER_SHIPPED = "order_shipped", _("Your order has shipped")
        ORDER_COMPLETES_SOON = (
            "order_completes_soon",
            _("Your order will be completed for you soon"),
        )
        FARMER_NEEDS_HELP = "farmer_needs_help", _("A farmer needs help")
        PAYOUT_SENT = "payout_sent", _("A payout is on its way")
        PAYOUT_HELD = "payout_held", _("A payout is held")
        PAYOUT_FAILED = "payout_failed", _("A payout failed")
        PAYOUT_ACCOUNT_TO_CHECK = (
            "payout_account_to_check",
            _("A payout account to check"),
        )
        UNIT_GOODS_DECIDED = "unit_goods_decided", _("A unit's goods were accepted")
        UNIT_PAYMENT_OVERDUE = (
            "unit_payment_overdue",
            _("A unit's payment on account is overdue"),
        )
        PAYMENTS_TO_CHECK = "payments_to_check", _("Payments to check")
        REFUND_FAILED = "refund_failed", _("A refund failed")
        AFTERSALE = "aftersale", _("An after-sales case moved")
        LISTING_APPROVED = "listing_approved", _("A listing was approved")
        LISTING_REJECTED = "listing_rejected", _("A listing was sent back")

    class Email(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        NO_ADDRESS = "no_address", _("No e-mail address")
        FAILED = "failed", _("Failed")
        OFF = "off", _("Turned off")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    # What the message is about, for its text and its link (see notifications.messages).
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("order"),
    )
    farmer = models.ForeignKey(
        "farmers.Farmer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("farmer"),
    )
    product = models.ForeignKey(
        "catalogue.Product",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product"),
    )
    # A code the message explains, such as a help rule's (fieldwork.selectors).
    reason = models.CharField(_("reason"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email = models.CharField(
        _("e-mail"), max_length=12, choices=Email.choices, default=Email.PENDING
    )
    # The text message sent for it, if its recipient gets this kind by SMS.
    text_message = models.ForeignKey(
        "sms.TextMessage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("text message"),
    )
    email_attempts = models.PositiveSmallIntegerField(default=0)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # The outbox lease (notifications.services): a worker claims the e-mail
    # before sending it, and no other sends it until the lease expires.
    email_claim = models.UUIDField(null=True, blank=True)
    email_claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["recipient", "-created_at"], name="notification_inbox"
            ),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["created_at"],
                condition=Q(email="pending"),
                name="notification_outbox",
            ),
        ]

    def __str__(self):
        return f"{self.recipient_id} {self.kind}"


class Preference(models.Model):
    """How one user wants one kind: by e-mail, by text message, both or neither
    (the in-app message is always kept). Without a row, or for a channel left
    unchosen, the defaults of notifications.channels apply."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Notification.Kind.choices)
    # None: not chosen (the channel could not reach them then): the default.
    email = models.BooleanField(_("by e-mail"), null=True, blank=True)
    sms = models.BooleanField(_("by text message"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="notification_preference_unique"
            )
        ]

    def __str__(self):
        return f"{self.user_id} {self.kind}"
