"""Work units and who belongs to them: the unit (a type and a region), its
admins and buyers, invitations by link, annual budgets, and the share of
farm-produce purchases reserved for poverty counties (national, or a
province's)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.money import MONEY
from common.years import year_validators
from counties.models import County, english_name_field, in_language


class UnitKind(models.TextChoices):
    GOVERNMENT = "government", _("Government body")
    SCHOOL = "school", _("School")
    HOSPITAL = "hospital", _("Hospital")
    STATE_FIRM = "state_firm", _("State-owned enterprise")
    TRADE_UNION = "trade_union", _("Trade union")
    OTHER = "other", _("Other budget unit")


class WorkUnit(models.Model):
    """An organisation that buys for its canteen or its staff. Its region is the
    county it sits in: that county's officials see its reports."""

    name = models.CharField(_("name"), max_length=100)
    name_en = english_name_field()
    kind = models.CharField(_("type"), max_length=16, choices=UnitKind.choices)
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        related_name="work_units",
        verbose_name=_("region (county)"),
    )
    # Staff's decision: the unit may take goods on account and pay after
    # acceptance (else it pays by transfer before the goods ship).
    pays_on_account = models.BooleanField(_("may pay on account"), default=False)
    # The SHA-256 of the token of the link its staff open to shop for themselves
    # toward its total (empty: none made yet); a new link replaces the old.
    staff_link_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("work unit")
        verbose_name_plural = _("work units")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "name"],
                name="unit_name_unique_in_county",
                violation_error_message=_(
                    "A work unit of that name is already registered in this county."
                ),
            )
        ]

    def __str__(self):
        return self.shown

    @property
    def shown(self) -> str:
        """The unit's name for the reader (its English one on English pages)."""
        return in_language(self.name, self.name_en)


class UnitRole(models.TextChoices):
    ADMIN = "admin", _("Unit admin")
    BUYER = "buyer", _("Unit buyer")


class UnitMember(models.Model):
    """A buyer's place in a unit: at most one unit per buyer (the one-to-one)."""

    unit = models.ForeignKey(
        WorkUnit,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("work unit"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="unit_membership",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role in the unit"), max_length=8, choices=UnitRole)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("invited by"),
    )

    class Meta:
        verbose_name = _("unit member")
        verbose_name_plural = _("unit members")
        ordering = ["unit", "role", "joined_at", "pk"]

    def __str__(self):
        return f"{self.user} · {self.unit}"

    @property
    def is_admin(self) -> bool:
        return self.role == UnitRole.ADMIN


class UnitInvite(models.Model):
    """A link that brings one person into a unit with a role. Only a hash of its
    token is stored; the link is shown once, when it is made. It works once,
    until it expires or is withdrawn."""

    unit = models.ForeignKey(
        WorkUnit,
        on_delete=models.PROTECT,
        related_name="invites",
        verbose_name=_("work unit"),
    )
    role = models.CharField(_("role in the unit"), max_length=8, choices=UnitRole)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    note = models.CharField(
        _("for whom"),
        max_length=60,
        blank=True,
        help_text=_("A name or a department, to tell invitations apart."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("used by"),
    )
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("unit invitation")
        verbose_name_plural = _("unit invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(used_by__isnull=True, used_at__isnull=True)
                | Q(used_by__isnull=False, used_at__isnull=False),
                name="invite_used_by_someone_at_a_time",
            )
        ]

    def __str__(self):
        return f"{self.unit} · {self.get_role_display()}"


class UnitBudget(models.Model):
    """A unit's farm-produce budget for a year (yuan)."""

    unit = models.ForeignKey(
        WorkUnit,
        on_delete=models.PROTECT,
        related_name="budgets",
        verbose_name=_("work unit"),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators)
    amount = models.DecimalField(
        _("farm-produce budget"),
        validators=[MinValueValidator(0)],
        **MONEY,
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("set by"),
    )
    set_at = models.DateTimeField(_("set at"), auto_now=True)

    class Meta:
        verbose_name = _("unit budget")
        verbose_name_plural = _("unit budgets")
        ordering = ["unit", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"], name="one_budget_per_unit_and_year"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="unit_budget_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.year}"


class ReservedShare(models.Model):
    """The share of a unit's farm-produce budget reserved for produce from
    poverty counties in a year: the national one (province empty), or a
    province's own. Without a row, `settings.UNIT_RESERVED_SHARE` (10%, the
    national minimum since 2022) applies."""

    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators)
    province = models.CharField(
        _("province"),
        max_length=100,
        blank=True,
        help_text=_("Empty: the national share; a province's overrides it."),
    )
    share = models.DecimalField(
        _("reserved share"),
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("A fraction: 0.15 is 15%."),
    )

    class Meta:
        verbose_name = _("reserved share")
        verbose_name_plural = _("reserved shares")
        ordering = ["-year", "province"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "province"],
                name="one_share_per_year_and_province",
                violation_error_message=_(
                    "That year already has a share for this province."
                ),
            ),
            models.CheckConstraint(
                condition=Q(share__gte=0, share__lte=1),
                name="reserved_share_a_fraction",
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.province or '—'}: {self.share}"
