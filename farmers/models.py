"""Household files (registered poor households and others) and farmer profiles."""

from pathlib import Path
from uuid import uuid4

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import phone_validator  # the one rule for a mobile number
from common.storage import private_storage
from common.years import year_validators


class PovertyCause(models.TextChoices):
    ILLNESS = "illness", _("Illness")
    DISABILITY = "disability", _("Disability")
    LACK_OF_SKILLS = "skills", _("Lack of skills")
    LACK_OF_CAPITAL = "capital", _("Lack of capital")
    LACK_OF_LABOUR = "labour", _("Lack of labour")
    NATURAL_DISASTER = "disaster", _("Natural disaster")
    EDUCATION_COSTS = "education", _("Education costs")
    OTHER = "other", _("Other")


class RegisterStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered poor household")
    EXITED = "exited", _("Exited the register")
    NEVER_REGISTERED = "never", _("Never registered")


class Household(models.Model):
    """A household's file. Registered poor households (建档立卡贫困户) carry their
    registration; leaving the register is a RegisterExit, and nothing is deleted."""

    # The file as people edit it: the form (pages and register rows), the API and
    # the audit trail all use these.
    FILE_FIELDS = (
        "village",
        "head_name",
        "members",
        "status",
        "registration_number",
        "registration_year",
        "poverty_causes",
        "support_measures",
        "expected_exit_year",
    )

    village = models.ForeignKey(
        "counties.Village",
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("village"),
    )
    head_name = models.CharField(_("head of household"), max_length=60)
    members = models.PositiveSmallIntegerField(
        _("members"), validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    status = models.CharField(
        _("register status"),
        max_length=12,
        choices=RegisterStatus.choices,
        default=RegisterStatus.NEVER_REGISTERED,
    )
    registration_number = models.CharField(
        _("registration number"), max_length=32, blank=True
    )
    registration_year = models.PositiveSmallIntegerField(
        _("registration year"), null=True, blank=True, validators=year_validators
    )
    poverty_causes = models.JSONField(
        _("poverty causes"),
        default=list,
        blank=True,
    )
    support_measures = models.TextField(_("support measures"), blank=True)
    expected_exit_year = models.PositiveSmallIntegerField(
        _("expected exit year"), null=True, blank=True, validators=year_validators
    )
    exited_on = models.DateField(_("exited on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["village", "head_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration_number"],
                condition=~Q(registration_number=""),
                name="household_registration_number_unique",
                violation_error_message=_(
                    "Another household already has this registration number."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        status=RegisterStatus.NEVER_REGISTERED,
                        registration_number="",
                        registration_year__isnull=True,
                        exited_on__isnull=True,
                    )
                    | (
                        ~Q(registration_number="")
                        & Q(registration_year__isnull=False)
                        & (
                            Q(status=RegisterStatus.REGISTERED, exited_on__isnull=True)
                            | Q(status=RegisterStatus.EXITED, exited_on__isnull=False)
                        )
                    )
                ),
                name="household_registration_matches_status",
                violation_error_message=_(
                    "A registered or exited household needs a registration number and "
                    "year (and an exit date once exited); a never-registered one has "
                    "none."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.head_name} ({self.village.label})"

    @property
    def is_registered_poor(self) -> bool:
        return self.status == RegisterStatus.REGISTERED

    def get_poverty_causes_display(self) -> list[str]:
        labels = dict(PovertyCause.choices)
        return [labels.get(cause, cause) for cause in self.poverty_causes]


class RegisterExit(models.Model):
    """The recorded event of a household leaving the poverty register."""

    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="register_exits",
        verbose_name=_("household"),
    )
    exited_on = models.DateField(_("exit date"))
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("register exit")
        verbose_name_plural = _("register exits")
        ordering = ["-exited_on", "-pk"]

    def __str__(self):
        return f"{self.household} {self.exited_on}"


class Farmer(models.Model):
    """A farmer's profile and storefront identity; one per farmer user. The village
    (and so the county) is the household's."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="farmer",
        verbose_name=_("user"),
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="farmers",
        verbose_name=_("household"),
    )
    phone = models.CharField(
        _("mobile phone"), max_length=11, unique=True, validators=[phone_validator]
    )
    shop_name = models.CharField(_("shop name"), max_length=60)
    slug = models.SlugField(
        _("shop address"),
        max_length=60,
        unique=True,
        help_text=_("Letters, digits and hyphens; the shop's web address."),
    )
    story = models.TextField(_("story"), blank=True, max_length=2000)
    cover_photo = models.ImageField(
        _("cover photo"), upload_to="storefronts/covers/", blank=True
    )
    verified_at = models.DateTimeField(_("farm verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("farmer")
        verbose_name_plural = _("farmers")
        ordering = ["shop_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(verified_at__isnull=True, verified_by__isnull=True)
                | Q(verified_at__isnull=False, verified_by__isnull=False),
                name="farmer_verification_has_date_and_assistant",
            )
        ]

    def __str__(self):
        return self.shop_name

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.username

    @property
    def village(self):
        return self.household.village

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


def register_file_path(instance, filename: str) -> str:
    """A name nobody can guess, keeping only the extension."""
    return f"register-imports/{uuid4().hex}{Path(filename).suffix.lower()}"


class RegisterImport(models.Model):
    """An uploaded household register (CSV or XLSX): previewed, then imported whole."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        IMPORTED = "imported", _("Imported")

    file = models.FileField(
        _("file"), upload_to=register_file_path, storage=private_storage, blank=True
    )
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PREVIEWED
    )
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("households created"), default=0)
    updated = models.PositiveIntegerField(_("households updated"), default=0)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.original_name
