"""Assistants and their assignments to farmers (history kept, one active each)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Assistant(models.Model):
    """A poverty-alleviation assistant (扶贫助理) working in one county."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assistant",
        verbose_name=_("user"),
    )
    county = models.ForeignKey(
        "counties.County",
        on_delete=models.PROTECT,
        related_name="assistants",
        verbose_name=_("county"),
    )

    class Meta:
        verbose_name = _("assistant")
        verbose_name_plural = _("assistants")
        ordering = ["county", "user__username"]

    def __str__(self):
        return self.user.get_full_name() or self.user.username


class Assignment(models.Model):
    """An assistant manages a farmer from started_on until ended_on (open = active)."""

    assistant = models.ForeignKey(
        Assistant,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("assistant"),
    )
    farmer = models.ForeignKey(
        "farmers.Farmer",
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("farmer"),
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assigned by"),
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["farmer"],
                condition=Q(ended_on__isnull=True),
                name="assignment_one_active_per_farmer",
                violation_error_message=_("This farmer already has an assistant."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="assignment_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.assistant} → {self.farmer}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None
