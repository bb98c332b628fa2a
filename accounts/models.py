"""The platform's User: one role each; officials are linked to their counties."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BUYER = "buyer", _("Buyer")
    FARMER = "farmer", _("Farmer")
    ASSISTANT = "assistant", _("Poverty-alleviation assistant")
    OFFICIAL = "official", _("County official")
    STAFF = "staff", _("Platform staff")


class PlatformUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.STAFF)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    role = models.CharField(
        _("role"), max_length=16, choices=Role.choices, default=Role.BUYER
    )
    counties = models.ManyToManyField(
        "counties.County",
        blank=True,
        related_name="officials",
        verbose_name=_("counties overseen"),
        help_text=_("For county officials: the counties whose reports they see."),
    )

    objects = PlatformUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values),
                name="accounts_user_role_valid",
            ),
            # The admin is for platform staff, and only for them.
            models.CheckConstraint(
                condition=models.Q(role=Role.STAFF, is_staff=True)
                | (~models.Q(role=Role.STAFF) & models.Q(is_staff=False)),
                name="accounts_user_staff_status_matches_role",
                violation_error_message=_(
                    "Platform staff, and only platform staff, have staff status."
                ),
            ),
            models.UniqueConstraint(
                Lower("username"), name="accounts_user_username_ci_unique"
            ),
            # Farmers often have no e-mail, so only non-empty addresses are unique.
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_ci_unique",
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username
