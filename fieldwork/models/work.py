"""Field work: training sessions and their attendance, household visits, yearly
income surveys (household income defined once, INCOME) and the "needs help"
cases. The tables keep the names they had in the assistants app (db_table), so
moving the models there lost no row (fieldwork migration 0001)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from common.money import MONEY, to_fen
from fieldwork.models.sync import DeviceRecord, VisitEvidence


class SkillTopic(models.TextChoices):
    PHOTOGRAPHY = "photography", _("Product photography")
    PRICING = "pricing", _("Pricing")
    LISTINGS = "listings", _("Writing listings")
    CUSTOMER_SERVICE = "customer_service", _("Customer service")
    PACKAGING = "packaging", _("Packaging and logistics")
    LIVE_STREAMING = "live_streaming", _("Live-stream selling")
    BOOKKEEPING = "bookkeeping", _("Bookkeeping")
    FOOD_SAFETY = "food_safety", _("Food safety and quality")


MAX_SESSION_HOURS = 24


class TrainingSession(DeviceRecord):
    """A training an assistant gave, and which of their farmers attended."""

    assistant = models.ForeignKey(
        "assistants.Assistant",
        on_delete=models.PROTECT,
        related_name="training_sessions",
        verbose_name=_("assistant"),
    )
    held_on = models.DateField(_("date"))
    hours = models.DecimalField(_("duration (hours)"), max_digits=4, decimal_places=1)
    online = models.BooleanField(_("online"), default=False)
    location = models.CharField(_("location"), max_length=100, blank=True)
    # A list of SkillTopic values; fieldwork.services.training_record checks it.
    topics = models.JSONField(_("skill topics"), default=list)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    attendees = models.ManyToManyField(
        "farmers.Farmer",
        through="Attendance",
        related_name="training_sessions",
        verbose_name=_("attendees"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "assistants_trainingsession"
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["assistant", "-held_on"], name="training_by_assistant")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=MAX_SESSION_HOURS),
                name="training_hours_in_range",
            ),
            models.CheckConstraint(
                condition=Q(online=True) | ~Q(location=""),
                name="training_has_a_place",
            ),
        ]

    def __str__(self):
        return f"{self.held_on} {self.assistant}"

    def get_topics_display(self) -> list[str]:
        labels = dict(SkillTopic.choices)
        return [str(labels.get(topic, topic)) for topic in self.topics]


class Attendance(models.Model):
    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendance"
    )
    farmer = models.ForeignKey(
        "farmers.Farmer", on_delete=models.PROTECT, related_name="attendance"
    )

    class Meta:
        db_table = "assistants_attendance"
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "farmer"], name="attendance_once_per_session"
            )
        ]
        indexes = [models.Index(fields=["farmer"], name="attendance_by_farmer")]

    def __str__(self):
        return f"{self.session_id}: {self.farmer_id}"


class VisitPurpose(models.TextChoices):
    FOLLOW_UP = "follow_up", _("Routine follow-up")
    SURVEY = "survey", _("Income survey")
    VERIFY = "verify", _("Farm verification")
    PROBLEM = "problem", _("Solving a problem")
    TRAINING = "training", _("One-to-one training")


class Visit(DeviceRecord, VisitEvidence):
    """An assistant's household visit: its purpose, the challenges seen and the
    resources or support needed (the case study's survey themes)."""

    assistant = models.ForeignKey(
        "assistants.Assistant",
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("assistant"),
    )
    household = models.ForeignKey(
        "farmers.Household",
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("household"),
    )
    visited_on = models.DateField(_("date"))
    purpose = models.CharField(
        _("purpose"), max_length=16, choices=VisitPurpose.choices
    )
    challenges = models.TextField(_("challenges"), max_length=2000, blank=True)
    support_needed = models.TextField(
        _("resources or support needed"), max_length=2000, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "assistants_visit"
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-pk"]
        indexes = [
            models.Index(
                fields=["household", "-visited_on"], name="visit_by_household"
            ),
            models.Index(
                fields=["assistant", "-visited_on"], name="visit_by_assistant"
            ),
        ]

    def __str__(self):
        return f"{self.visited_on} {self.household}"


SURVEY_AMOUNT = {
    **MONEY,
    "default": 0,
    "validators": [MinValueValidator(Decimal("0"))],
}
# A survey's typed figures, in form order (platform sales are filled in).
SURVEY_FIELDS = (
    "members",
    "other_agriculture",
    "wages",
    "business",
    "transfers",
    "dibao",
    "other_income",
    "production_costs",
    "living_costs",
)
INCOME_SOURCES = (
    "platform_sales",
    "other_agriculture",
    "wages",
    "business",
    "transfers",
    "other_income",
)
# A household's income, defined once, as the figures added and taken away. The
# survey page, the poverty status, the income report and targeting all read it
# from here: in SQL through IncomeSurvey.objects.with_income(), in Python
# through the survey's properties, both from these lists.
#   gross: every source (platform sales included; dibao is part of transfers);
#   net: gross less production costs (living costs are consumption), which is
#        what is compared with the poverty line, per person;
#   earned: net less transfers (what the household earned itself).
INCOME = {
    "gross": (INCOME_SOURCES, ()),
    "net": (INCOME_SOURCES, ("production_costs",)),
    "earned": (INCOME_SOURCES, ("production_costs", "transfers")),
}
NUMBER = models.DecimalField(max_digits=20, decimal_places=6)


def income_expression(kind: str, prefix: str = ""):
    """INCOME[kind] as a database expression over a survey (`prefix`: the path to
    the survey, such as "surveys__")."""
    added, taken = INCOME[kind]
    total = sum((F(f"{prefix}{name}") for name in added[1:]), F(prefix + added[0]))
    for name in taken:
        total = total - F(f"{prefix}{name}")
    return models.ExpressionWrapper(total, output_field=NUMBER)


def under_line(per_capita: str, amount) -> Q:
    """Under a poverty line: net income per person (the `per_capita` annotation of
    with_income(), unrounded) below the line's `amount` per person and year. The
    one rule, in SQL; is_under_line is the same in Python."""
    return Q(**{f"{per_capita}__lt": amount})


def is_under_line(net_income: Decimal, members: int, amount: Decimal) -> bool:
    """under_line for one household: net / members < amount, compared unrounded
    (net < amount × members)."""
    return net_income < amount * members


class IncomeSurveyQuerySet(models.QuerySet):
    def with_income(self):
        """Each survey's gross, net and earned income, and net income per person
        (unrounded: compared with a line, or summed, before any rounding)."""
        return self.annotate(
            income_gross=income_expression("gross"),
            income_net=income_expression("net"),
            income_earned=income_expression("earned"),
            per_capita=models.ExpressionWrapper(
                income_expression("net") / Cast("members", NUMBER), output_field=NUMBER
            ),
        )


class IncomeSurvey(DeviceRecord):
    """A household's income and spending for one year. Platform sales come from its
    farmers' completed orders; whether it is under the poverty line is computed
    (fieldwork.selectors.poverty_status), never typed. Recording and corrections
    are kept in the audit trail (audit.AuditEvent)."""

    household = models.ForeignKey(
        "farmers.Household",
        on_delete=models.PROTECT,
        related_name="surveys",
        verbose_name=_("household"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    members = models.PositiveSmallIntegerField(
        _("household size"), validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    platform_sales = models.DecimalField(_("platform sales"), **SURVEY_AMOUNT)
    platform_orders = models.PositiveIntegerField(
        _("completed orders counted"), default=0
    )
    other_agriculture = models.DecimalField(
        _("other agricultural income"), **SURVEY_AMOUNT
    )
    wages = models.DecimalField(_("wages"), **SURVEY_AMOUNT)
    business = models.DecimalField(_("business income"), **SURVEY_AMOUNT)
    transfers = models.DecimalField(_("transfers"), **SURVEY_AMOUNT)
    dibao = models.DecimalField(
        _("of which subsistence allowance (dibao)"),
        help_text=_("Part of the transfers above."),
        **SURVEY_AMOUNT,
    )
    other_income = models.DecimalField(_("other income"), **SURVEY_AMOUNT)
    production_costs = models.DecimalField(_("production costs"), **SURVEY_AMOUNT)
    living_costs = models.DecimalField(_("living costs"), **SURVEY_AMOUNT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = IncomeSurveyQuerySet.as_manager()

    class Meta:
        db_table = "assistants_incomesurvey"
        verbose_name = _("income survey")
        verbose_name_plural = _("income surveys")
        ordering = ["-year", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "year"],
                name="survey_one_per_household_year",
                violation_error_message=_(
                    "This household already has a survey for that year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(members__gte=1), name="survey_members_positive"
            ),
            models.CheckConstraint(
                condition=Q(
                    platform_sales__gte=0,
                    other_agriculture__gte=0,
                    wages__gte=0,
                    business__gte=0,
                    transfers__gte=0,
                    dibao__gte=0,
                    other_income__gte=0,
                    production_costs__gte=0,
                    living_costs__gte=0,
                ),
                name="survey_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(dibao__lte=F("transfers")),
                name="survey_dibao_within_transfers",
                violation_error_message=_(
                    "Dibao is part of transfers: it cannot be more than them."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.household} {self.year}"

    def income(self, kind: str) -> Decimal:
        """INCOME[kind] of this survey (the same lists as with_income())."""
        added, taken = INCOME[kind]
        total = sum((getattr(self, name) for name in added), Decimal("0"))
        return total - sum((getattr(self, name) for name in taken), Decimal("0"))

    @property
    def total_income(self) -> Decimal:
        return self.income("gross")

    @property
    def net_income(self) -> Decimal:
        return self.income("net")

    @property
    def net_income_per_capita(self) -> Decimal:
        return to_fen(self.net_income / self.members)


class HelpCase(models.Model):
    """A farmer needing help for one reason (fieldwork.help.help_rules), from
    the night the check first saw it until it cleared. The assistant is alerted
    once per case, so the nightly job can run any number of times."""

    farmer = models.ForeignKey(
        "farmers.Farmer", on_delete=models.CASCADE, related_name="help_cases"
    )
    assistant = models.ForeignKey(
        "assistants.Assistant", on_delete=models.CASCADE, related_name="help_cases"
    )
    reason = models.CharField(max_length=20)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "assistants_helpcase"
        verbose_name = _("help case")
        verbose_name_plural = _("help cases")
        constraints = [
            models.UniqueConstraint(
                fields=["farmer", "reason"],
                condition=Q(closed_at__isnull=True),
                name="help_case_one_open_per_reason",
            )
        ]

    def __str__(self):
        return f"{self.farmer_id} {self.reason}"
