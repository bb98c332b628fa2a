"""The income-impact report: for a county and a year, over households on the
poverty register (registered, or exited since) that were surveyed, platform income
and its share, who is under the county-year line and the relative line (60% of
the median surveyed per-capita income) in the base year and now, who crossed, and
dibao apart from earned income; by village and by assistant. Every figure says
which line it used. The database does the per-household arithmetic and the counts;
only the median is taken in Python, over one column."""

from decimal import Decimal
from statistics import median

from django import forms
from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assistants.models import INCOME_SOURCES, IncomeSurvey
from config.money import decimal, to_fen
from counties.models import County, in_language
from counties.selectors import PovertyLineNotSet, poverty_line_for
from farmers.models import RegisterStatus
from reports.definitions import (
    COUNT,
    MONEY,
    NAME,
    PERCENT,
    Column,
    Figure,
    ReportResult,
    Table,
    ratio,
)

RELATIVE_SHARE = Decimal("0.6")
NUMBER = DecimalField(max_digits=20, decimal_places=6)
ON_REGISTER = (RegisterStatus.REGISTERED, RegisterStatus.EXITED)


class IncomeFilters(forms.Form):
    county = forms.ChoiceField(label=gettext_lazy("County"))
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000)
    base_year = forms.IntegerField(
        label=gettext_lazy("Base year"),
        min_value=2000,
        required=False,
        help_text=gettext_lazy("Empty: the year before."),
    )

    def __init__(self, data=None, *, counties: QuerySet[County]):
        data = data.copy() if data is not None else {}
        data.setdefault("year", str(timezone.localdate().year - 1))
        if counties.count() == 1:
            data.setdefault("county", counties.get().code)
        super().__init__(data)
        self.counties = counties
        self.fields["county"].choices = [(c.code, c.label) for c in counties]

    def clean(self):
        data = super().clean()
        year = data.get("year")
        if year and year > timezone.localdate().year:
            self.add_error("year", gettext_lazy("The year is in the future."))
        if year and not data.get("base_year"):
            data["base_year"] = year - 1
        if year and data.get("base_year") and data["base_year"] >= year:
            self.add_error("base_year", gettext_lazy("The base year comes before."))
        return data


def _per_capita():
    income = sum((F(name) for name in INCOME_SOURCES[1:]), F(INCOME_SOURCES[0]))
    net = income - F("production_costs")
    return ExpressionWrapper(net / Cast("members", NUMBER), output_field=NUMBER)


def surveys_per_capita(county: County, year: int) -> QuerySet[IncomeSurvey]:
    return IncomeSurvey.objects.filter(
        household__village__county=county, year=year
    ).annotate(per_capita=_per_capita())


def line_or_none(county, year):
    try:
        return poverty_line_for(county, year)
    except PovertyLineNotSet:
        return None


def _relative(county, year) -> Decimal | None:
    values = list(surveys_per_capita(county, year).values_list("per_capita", flat=True))
    if not values:
        return None
    return to_fen(decimal(median(values)) * RELATIVE_SHARE)


def _figures(lines: dict) -> dict:
    """Aggregates over the now-surveys, each crossing counted by the database."""
    base, now, rel_base, rel_now = (
        lines["base"],
        lines["now"],
        lines["relative_base"],
        lines["relative_now"],
    )
    big = Decimal("1e15")  # no line set: nobody is under it
    under = {
        "under_base": Q(base_per_capita__lt=base.amount if base else -big),
        "under_now": Q(per_capita__lt=now.amount if now else -big),
        "under_relative_base": Q(base_per_capita__lt=rel_base or -big),
        "under_relative_now": Q(per_capita__lt=rel_now or -big),
    }
    return {
        "households": Count("pk"),
        "members": Sum("members"),
        "platform": Sum("platform_sales"),
        "income": Sum(sum((F(n) for n in INCOME_SOURCES[1:]), F(INCOME_SOURCES[0]))),
        "transfers": Sum("transfers"),
        "dibao": Sum("dibao"),
        **{key: Count("pk", filter=condition) for key, condition in under.items()},
        "crossed": Count("pk", filter=under["under_base"] & ~under["under_now"]),
        "crossed_relative": Count(
            "pk", filter=under["under_relative_base"] & ~under["under_relative_now"]
        ),
    }


# Which figures need which lines: with a line unset they are unknown, not zero.
NEEDS = {
    "under_base": ("base",),
    "under_now": ("now",),
    "crossed": ("base", "now"),
    "under_relative_base": ("relative_base",),
    "under_relative_now": ("relative_now",),
    "crossed_relative": ("relative_base", "relative_now"),
}


def _row(values: dict, lines: dict) -> dict:
    row = _amounts(values)
    for key, needed in NEEDS.items():
        row[key] = (
            values[key] if all(lines[name] is not None for name in needed) else None
        )
    return row


def _amounts(values: dict) -> dict:
    members = values["members"] or 0
    earned = Decimal(values["income"] or 0) - Decimal(values["transfers"] or 0)
    return {
        "households": values["households"],
        "platform_per_household": ratio(values["platform"], values["households"]),
        "platform_per_capita": ratio(values["platform"], members),
        "platform_share": ratio(values["platform"], values["income"], 100),
        "earned_per_capita": ratio(earned, members),
        "dibao_per_capita": ratio(values["dibao"], members),
    }


COLUMNS = [
    Column("households", gettext_lazy("Households"), COUNT),
    Column(
        "platform_per_household", gettext_lazy("Platform income per household"), MONEY
    ),
    Column("platform_per_capita", gettext_lazy("Platform income per person"), MONEY),
    Column("platform_share", gettext_lazy("Share of household income"), PERCENT),
    Column("earned_per_capita", gettext_lazy("Earned income per person"), MONEY),
    Column("dibao_per_capita", gettext_lazy("Dibao per person"), MONEY),
    Column("under_base", gettext_lazy("Under the line, base year"), COUNT),
    Column("under_now", gettext_lazy("Under the line, this year"), COUNT),
    Column("crossed", gettext_lazy("Crossed the line"), COUNT),
    Column(
        "under_relative_base", gettext_lazy("Under the relative line, base year"), COUNT
    ),
    Column(
        "under_relative_now", gettext_lazy("Under the relative line, this year"), COUNT
    ),
    Column("crossed_relative", gettext_lazy("Crossed the relative line"), COUNT),
]


def income_impact(filters: IncomeFilters) -> ReportResult:
    data = filters.cleaned_data
    county = filters.counties.get(code=data["county"])
    year, base_year = data["year"], data["base_year"]
    lines = {
        "base": line_or_none(county, base_year),
        "now": line_or_none(county, year),
        "relative_base": _relative(county, base_year),
        "relative_now": _relative(county, year),
    }
    base_per_capita = Subquery(
        surveys_per_capita(county, base_year)
        .filter(household=OuterRef("household"))
        .values("per_capita")[:1],
        output_field=NUMBER,
    )
    surveyed = (
        surveys_per_capita(county, year)
        .filter(household__status__in=ON_REGISTER)
        .annotate(base_per_capita=base_per_capita)
    )
    aggregates = _figures(lines)
    overall = _row(surveyed.aggregate(**aggregates), lines)
    # Table key, title, what rows are grouped by (the id, so equal names stay
    # apart), and the name fields (a village's name is shown in_language).
    by = [
        (
            "by_village",
            _("By village"),
            "household__village",
            ["household__village__name", "household__village__name_en"],
        ),
        ("by_assistant", _("By assistant"), "recorded_by", ["recorded_by__first_name"]),
    ]
    tables = []
    for key, title, group, names in by:
        rows = surveyed.values(group, *names).annotate(**aggregates)
        tables.append(
            Table(
                key,
                title,
                [NAME, *COLUMNS],
                [
                    {"name": in_language(*(row[n] or "" for n in names)) or "—"}
                    | _row(row, lines)
                    for row in rows.order_by(names[0], group)
                ],
                empty=_("No household was surveyed this year."),
            )
        )
    kinds = {column.key: column.kind for column in COLUMNS}
    return ReportResult(
        title=_("Income impact"),
        period=f"{base_year} → {year}",
        figures=[
            Figure(key, label, overall[key], kinds[key])
            for key, label in ((c.key, c.label) for c in COLUMNS)
        ],
        tables=tables,
        notes=_notes(county, base_year, year, lines),
    )


def _notes(county, base_year, year, lines) -> list[str]:
    notes = [
        _(
            "Households on the poverty register (registered, or exited since) with "
            "a survey in %(year)s; the base year is %(base)s."
        )
        % {"year": year, "base": base_year}
    ]
    for key, when in (("base", base_year), ("now", year)):
        line = lines[key]
        notes.append(
            _("Poverty line in %(year)s: %(line)s")
            % {"year": when, "line": line.describe()}
            if line
            else _("No poverty line is set for %(county)s in %(year)s.")
            % {"county": county, "year": when}
        )
    for key, when in (("relative_base", base_year), ("relative_now", year)):
        if lines[key] is not None:
            notes.append(
                _(
                    "Relative line in %(year)s: ¥%(amount)s per person, 60 per cent "
                    "of the median per-person income of the households surveyed."
                )
                % {"year": when, "amount": lines[key]}
            )
    notes.append(_("Earned income excludes transfers; dibao is shown on its own."))
    return [str(note) for note in notes]
