"""Household files (registered poor households and others) and farmer profiles."""

from decimal import Decimal
from pathlib import Path
from uuid import uuid4

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from audit.models import display, label_of
from common.storage import private_storage

phone_validator = RegexValidator(
    r"^1[3-9]\d{9}\Z", _("Enter an 11-digit mainland mobile number, e.g. 13812345678.")
)
year_validators = [MinValueValidator(2000), MaxValueValidator(2100)]


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


class Category(models.Model):
    """A produce category; seeded by a data migration, named in both languages."""

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=40)
    name_en = models.CharField(_("English name"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "slug"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language."""
        return self.name_zh if get_language() == "zh-hans" else self.name_en


class ProductUnit(models.TextChoices):
    KG = "kg", _("kg")
    JIN = "jin", _("jin (斤, 500 g)")
    BOX = "box", _("box")
    BOTTLE = "bottle", _("bottle")
    BAG = "bag", _("bag")
    PIECE = "piece", _("piece")


class ProductStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Pending review")
    ACTIVE = "active", _("Active")
    REJECTED = "rejected", _("Rejected")
    ARCHIVED = "archived", _("Archived")


MAX_PRICE = Decimal("1000000")


class Product(models.Model):
    """A farmer's listing. It is public only while active and reviewed; origin
    (village, county) and the poverty-alleviation mark come from the farmer."""

    farmer = models.ForeignKey(
        Farmer,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("farmer"),
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("category"),
    )
    title = models.CharField(_("title"), max_length=80)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    unit = models.CharField(_("unit"), max_length=8, choices=ProductUnit.choices)
    net_weight_kg = models.DecimalField(
        _("net weight per unit (kg)"),
        max_digits=8,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001"))],
    )
    price = models.DecimalField(
        _("price (yuan per unit)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_PRICE)],
    )
    stock = models.PositiveIntegerField(_("stock"), default=0)
    # Units in orders paid and not cancelled or refunded; kept by the order
    # transitions (orders.transitions), for the "best-selling" sort.
    units_sold = models.PositiveIntegerField(_("units sold"), default=0)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ProductStatus.choices,
        default=ProductStatus.DRAFT,
    )
    rejection_reason = models.TextField(_("why it was rejected"), blank=True)
    submitted_at = models.DateTimeField(
        _("submitted for review"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="product_status_new"),
            models.Index(fields=["status", "price"], name="product_status_price"),
            models.Index(
                fields=["status", "-units_sold"], name="product_status_best_selling"
            ),
            models.Index(fields=["status", "category"], name="product_status_category"),
            models.Index(fields=["farmer", "status"], name="product_farmer_status"),
            models.Index(
                fields=["status", "submitted_at"], name="product_review_queue"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(price__gt=0, price__lte=MAX_PRICE),
                name="product_price_in_range",
                violation_error_message=_(
                    "The price must be more than ¥0 and at most ¥1,000,000."
                ),
            ),
            models.CheckConstraint(
                condition=Q(net_weight_kg__gt=0), name="product_net_weight_positive"
            ),
            models.CheckConstraint(
                condition=~Q(status=ProductStatus.REJECTED) | ~Q(rejection_reason=""),
                name="product_rejection_has_reason",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def net_weight_text(self) -> str:
        """The net weight without trailing zeros: "0.5", "10"."""
        return f"{self.net_weight_kg:f}".rstrip("0").rstrip(".")

    @property
    def is_poverty_alleviation_product(self) -> bool:
        """The public mark: the farmer's household is a registered poor household.
        Nothing else about the household is shown."""
        return self.farmer.household.is_registered_poor


class ProductImage(models.Model):
    """A product photo (EXIF stripped on upload) and its WebP renditions, which a
    Celery task makes after commit; pages use the original until they exist."""

    product = models.ForeignKey(
        Product,
        on_delete=models.CASCADE,
        related_name="images",
        verbose_name=_("product"),
    )
    image = models.ImageField(_("photo"), upload_to="products/%Y/%m/")
    thumbnail = models.ImageField(upload_to="products/renditions/", blank=True)
    detail = models.ImageField(upload_to="products/renditions/", blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.product} #{self.position}"

    @property
    def thumbnail_url(self) -> str:
        return (self.thumbnail or self.image).url

    @property
    def detail_url(self) -> str:
        return (self.detail or self.image).url


class PhotoChange(models.TextChoices):
    """What happened to a listing's photos (the value of a "photos" change)."""

    ADDED = "added", _("added")
    REORDERED = "reordered", _("reordered")
    DELETED = "deleted", _("deleted")


class ProductChange(models.Model):
    """The change history of a listing: who changed which field, from what to what,
    and when (farmers and the assistants acting for them alike). Values are stored
    language-free (choice values, a category's slug, a PhotoChange); `label` and
    `shown` give them in the reader's language."""

    PHOTOS = "photos"

    product = models.ForeignKey(
        Product,
        on_delete=models.CASCADE,
        related_name="changes",
        verbose_name=_("product"),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    field = models.CharField(_("field"), max_length=40)
    old_value = models.TextField(_("before"), blank=True)
    new_value = models.TextField(_("after"), blank=True)

    class Meta:
        verbose_name = _("product change")
        verbose_name_plural = _("product changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.product}: {self.field}"

    @property
    def label(self) -> str:
        """The changed field's name in the active language."""
        if self.field == self.PHOTOS:
            return str(_("photos"))
        return label_of(Product, self.field)

    def shown(self, value: str, categories: dict | None = None) -> str:
        """A stored value as the reader reads it: choices and photo events by
        their label, a category by its name (`categories`: slug or either stored
        name to Category; rows before slugs were stored hold a name)."""
        if self.field == self.PHOTOS:
            return display(None, self.field, dict(PhotoChange.choices).get(value))
        if self.field == "category" and categories and value in categories:
            return categories[value].name
        return display(Product, self.field, value)
