"""The platform's User: one role each; officials are linked to their counties; a
mobile phone, once verified, receives text messages and signs in by code. A
PhoneCode is one such code (accounts.phone_codes)."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BUYER = "buyer", _("Buyer")
    FARMER = "farmer", _("Farmer")
    ASSISTANT = "assistant", _("Poverty-alleviation assistant")
    OFFICIAL = "official", _("County official")
    STAFF = "staff", _("Platform staff")


# A mainland mobile number: 11 digits, starting 1[3-9].
phone_validator = RegexValidator(
    r"^1[3-9]\d{9}\Z", _("Enter an 11-digit mainland mobile number, e.g. 13812345678.")
)


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

    phone = models.CharField(
        _("mobile phone"), max_length=11, blank=True, validators=[phone_validator]
    )
    # When the phone was proven to be the user's (a code sent to it was entered),
    # or registered for a farmer in person by their assistant.
    phone_verified_at = models.DateTimeField(
        _("phone verified at"), null=True, blank=True
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
            models.UniqueConstraint(
                "phone",
                condition=~models.Q(phone=""),
                name="accounts_user_phone_unique",
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def phone_verified(self) -> bool:
        return bool(self.phone and self.phone_verified_at)


class PhoneCode(models.Model):
    """A 6-digit code sent to a phone, kept as its keyed hash: it works once,
    within PHONE_CODE_MINUTES, and dies after PHONE_CODE_GUESSES wrong guesses.
    A request for a number with no account keeps a row (with no user, and no
    message sent) so that the limits count it like any other."""

    class Purpose(models.TextChoices):
        SIGN_IN = "sign_in", _("Sign in")
        VERIFY = "verify", _("Verify the phone")

    phone = models.CharField(_("mobile phone"), max_length=11)
    purpose = models.CharField(_("purpose"), max_length=8, choices=Purpose.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    code_hash = models.CharField(max_length=64)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    wrong_guesses = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("phone code")
        verbose_name_plural = _("phone codes")
        indexes = [
            models.Index(fields=["phone", "-created_at"], name="phone_code_phone"),
            models.Index(fields=["ip_address", "-created_at"], name="phone_code_ip"),
        ]

    def __str__(self):
        return f"{self.purpose} {self.phone[:3]}****{self.phone[-4:]}"
