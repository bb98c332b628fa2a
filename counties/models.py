"""Counties, their villages, and poverty lines per county-year (or national); and
China's administrative divisions, which addresses and shipping choose from.

A place's `name` is its name as written in China (Chinese, what register imports
match); `name_en` is optional. `in_language` is the one rule for showing either:
pages, reports, exports and the API show `label` (or pass both names to it). A
village in its county is one pattern, `place`."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from common.years import year_validators

county_code_validator = RegexValidator(
    r"^\d{6}\Z", _("An administrative code is exactly six digits.")
)


def in_language(name: str, name_en: str = "") -> str:
    """A place's name for the reader: the English name on English pages when there
    is one, otherwise the name as written."""
    language = get_language() or ""
    return name_en if name_en and language.startswith("en") else name


def place(village: str, county: str) -> str:
    """A village in its county, in the reader's language and punctuation: "Big Tree
    Village, County C"; in Chinese the larger place first, "C县大树村"."""
    return gettext("%(village)s, %(county)s") % {"village": village, "county": county}


def english_name_field(label=None):
    return models.CharField(
        label or _("English name"),
        max_length=100,
        blank=True,
        default="",
        db_default="",
        help_text=_("Shown on English pages; empty: the name as written."),
    )


class County(models.Model):
    name = models.CharField(_("name"), max_length=100)
    name_en = english_name_field()
    code = models.CharField(
        _("administrative code"),
        max_length=6,
        unique=True,
        validators=[county_code_validator],
        help_text=_("The six-digit administrative division code."),
    )
    province = models.CharField(_("province"), max_length=100)
    province_en = english_name_field(_("province in English"))
    is_key_poverty_county = models.BooleanField(
        _("key poverty county"),
        default=False,
        help_text=_("One of the officially listed poverty-stricken counties."),
    )

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["province", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{6}$"),
                name="county_code_six_digits",
                violation_error_message=_(
                    "An administrative code is exactly six digits."
                ),
            )
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return in_language(self.name, self.name_en)

    @property
    def province_label(self) -> str:
        return in_language(self.province, self.province_en)


class Village(models.Model):
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        related_name="villages",
        verbose_name=_("county"),
    )
    name = models.CharField(_("name"), max_length=100)
    name_en = english_name_field()

    class Meta:
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        ordering = ["county", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "name"], name="village_unique_name_in_county"
            )
        ]

    def __str__(self):
        return self.place

    @property
    def label(self) -> str:
        return in_language(self.name, self.name_en)

    @property
    def place(self) -> str:
        """The village in its county (`place`)."""
        return place(self.label, self.county.label)


class PovertyLineMethod(models.TextChoices):
    ABSOLUTE = "absolute", _("Absolute amount per person per year")
    PERCENTAGE = "percentage", _("Percentage of a reference income")


class PovertyLine(models.Model):
    """A poverty line for one year: a county's own, or national when county is empty."""

    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="poverty_lines",
        verbose_name=_("county"),
        help_text=_("Leave empty for the national line."),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators)
    method = models.CharField(
        _("method"), max_length=16, choices=PovertyLineMethod.choices
    )
    amount = models.DecimalField(
        _("amount (yuan per person per year)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("For an absolute line."),
    )
    percentage = models.DecimalField(
        _("percentage"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(100)],
        help_text=_("For a percentage line, e.g. 45 for 45%."),
    )
    reference_income = models.DecimalField(
        _("reference income (yuan per person per year)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_(
            "For a percentage line, e.g. the previous year's rural income per capita."
        ),
    )
    source_note = models.TextField(
        _("source"), help_text=_("Where the figure comes from.")
    )

    class Meta:
        verbose_name = _("poverty line")
        verbose_name_plural = _("poverty lines")
        ordering = ["-year", "county"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year"], name="poverty_line_one_per_county_year"
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(county__isnull=True),
                name="poverty_line_one_national_per_year",
                violation_error_message=_("This year already has a national line."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        method=PovertyLineMethod.ABSOLUTE,
                        amount__isnull=False,
                        amount__gt=0,
                        percentage__isnull=True,
                        reference_income__isnull=True,
                    )
                    | Q(
                        method=PovertyLineMethod.PERCENTAGE,
                        amount__isnull=True,
                        percentage__isnull=False,
                        reference_income__isnull=False,
                        percentage__gt=0,
                        percentage__lte=100,
                        reference_income__gt=0,
                    )
                ),
                name="poverty_line_fields_match_method",
                violation_error_message=_(
                    "An absolute line needs an amount only; a percentage line needs "
                    "a percentage (at most 100) and a reference income only."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.county or _('National')} {self.year}"


class Division(models.Model):
    """One of China's administrative divisions (counties.divisions ships and
    loads them): a province, a city within it, or a district within that."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Province")
        CITY = 2, _("City")
        DISTRICT = 3, _("District or county")

    code = models.CharField(
        _("administrative code"),
        max_length=6,
        primary_key=True,
        validators=[county_code_validator],
    )
    name = models.CharField(_("name"), max_length=40)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("within"),
    )

    class Meta:
        verbose_name = _("administrative division")
        verbose_name_plural = _("administrative divisions")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "code"], name="division_children")]

    def __str__(self):
        return self.name
