"""What a field-work record made offline carries (the assistant's phone keeps
it, then sends it: fieldwork.sync), and the records the server refused.

- DeviceRecord: the id the device gave the record (a resend finds it, so the
  record is never doubled) and the device's clock when it was made; the
  server's time of arrival is the record's created_at.
- VisitEvidence: an optional GPS position and photo of a visit.
- SyncRefusal: a record the server would not take, kept with its reason and
  what it said, so nothing sent is dropped."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.storage import private_storage


class DeviceRecord(models.Model):
    client_id = models.UUIDField(_("device's id"), null=True, blank=True, unique=True)
    device_recorded_at = models.DateTimeField(
        _("recorded on the device at"), null=True, blank=True
    )

    class Meta:
        abstract = True


class VisitEvidence(models.Model):
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    # A photo of the household's farm: personal, so never served publicly.
    photo = models.ImageField(
        _("photo"), upload_to="visits/", storage=private_storage, blank=True
    )

    class Meta:
        abstract = True


class SyncRefusal(models.Model):
    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit")
        SURVEY = "survey", _("Income survey")
        TRAINING = "training", _("Training session")

    client_id = models.UUIDField(_("device's id"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    assistant = models.ForeignKey(
        "assistants.Assistant",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("assistant"),
    )
    reason = models.TextField(_("reason"))
    sent = models.JSONField(_("what was sent"))
    device_recorded_at = models.DateTimeField(
        _("recorded on the device at"), null=True, blank=True
    )
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("refused offline record")
        verbose_name_plural = _("refused offline records")
        ordering = ["-received_at", "-pk"]

    def __str__(self):
        return f"{self.kind} {self.client_id}"
