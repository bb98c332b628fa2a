"""The catalogue: produce categories, farmers' listings (products) and their photos.
A listing's change history is in the audit trail (audit.AuditEvent about the
product: catalogue.services.listings and .photos write it, catalogue.selectors.
listing_history reads it)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from farmers.models import Farmer


class Category(models.Model):
    """A produce category; seeded by a data migration, named in both languages."""

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=40)
    name_en = models.CharField(_("English name"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        db_table = "farmers_category"  # kept from farmers/, where the model began
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
# At or below this many units a listing shows "low stock".
LOW_STOCK = 5


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
    # transitions (orders.services.transitions), for the "best-selling" sort.
    units_sold = models.PositiveIntegerField(_("units sold"), default=0)
    # Its shown reviews' average and number (reviews.services keeps them, so
    # the catalogue sorts by them without a join).
    rating = models.DecimalField(
        _("average rating"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    ratings = models.PositiveIntegerField(_("reviews"), default=0, db_default=0)
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
        db_table = "farmers_product"  # kept from farmers/, where the model began
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="product_status_new"),
            models.Index(fields=["status", "price"], name="product_status_price"),
            models.Index(
                fields=["status", "-units_sold"], name="product_status_best_selling"
            ),
            models.Index(
                fields=["status", "-rating", "-ratings"], name="product_status_rated"
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
        db_table = "farmers_productimage"  # kept from farmers/, where the model began
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
    """What happened to a listing's photos: the note of a PHOTOS_CHANGED event,
    shown in the listing's history as a change of PHOTOS."""

    ADDED = "added", _("added")
    REORDERED = "reordered", _("reordered")
    DELETED = "deleted", _("deleted")


# The history's name for a photo change (not a field of Product).
PHOTOS = "photos"
