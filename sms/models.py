"""TextMessage: one SMS to one phone, the outbox row and the send log at once.

A message carries a purpose (which pre-approved template it fills) and that
template's parameters, never free text (the provider sends only approved
templates, settings.SMS_TEMPLATES)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TextMessage(models.Model):
    # What each message is for: the template it fills. settings.SMS_PURPOSES
    # names the same, for each one's template code (config/sms.py).
    class Purpose(models.TextChoices):
        SIGN_IN_CODE = "sign_in_code", _("Sign-in code")
        PHONE_CODE = "phone_code", _("Phone verification code")
        SET_PASSWORD = "set_password", _("Set-password link")
        ORDER_PAID = "order_paid", _("A new order to ship")
        SHIP_SOON = "ship_soon", _("An order must ship within a day")
        ORDER_SHIPPED = "order_shipped", _("An order has shipped")
        LISTING_APPROVED = "listing_approved", _("A listing was approved")
        LISTING_REJECTED = "listing_rejected", _("A listing was sent back")
        PAYOUT_SENT = "payout_sent", _("A payout is on its way")
        PAYOUT_HELD = "payout_held", _("A payout is held")
        FARMER_OVERDUE = "farmer_overdue", _("A farmer's order is overdue")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        LIMITED = "limited", _("Not sent: over this phone's limit")

    phone = models.CharField(_("mobile phone"), max_length=11)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient"),
    )
    purpose = models.CharField(_("purpose"), max_length=32, choices=Purpose.choices)
    params = models.JSONField(_("parameters"), default=dict)
    # Sign-in codes and set-password links go out at night too; the rest wait
    # for the end of the quiet hours (settings.SMS_QUIET_HOURS).
    urgent = models.BooleanField(_("urgent"), default=False)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # When the next attempt is due: now, after the quiet hours, or after a backoff.
    send_after = models.DateTimeField(_("send after"))
    error = models.CharField(_("last error"), max_length=200, blank=True)
    provider_id = models.CharField(_("provider's id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The outbox lease (sms.services): a worker claims the message before
    # sending it, and no other sends it until the lease expires.
    claim = models.UUIDField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("text message")
        verbose_name_plural = _("text messages")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["phone", "-sent_at"], name="sms_phone_sent"),
            models.Index(
                fields=["send_after"],
                condition=Q(status="pending"),
                name="sms_outbox",
            ),
        ]

    def __str__(self):
        return f"{self.purpose} → {self.phone_masked}"

    @property
    def phone_masked(self) -> str:
        return f"{self.phone[:3]}****{self.phone[-4:]}"
