"""The income-impact report: for a county and a year, over households on the
poverty register (registered, or exited since) that were surveyed, platform income
and its share, who is under the county-year line and the relative line (60% of
the median surveyed per-capita income) in the base year and now, who crossed, and
dibao apart from earned income; by village and by assistant. Household income is
the one definition of fieldwork.models.INCOME; every figure says which line it
used. The database does the per-household arithmetic and the counts; only the
median is taken in Python, over one column."""

from decimal import Decimal
from statistics import median

from django import forms
from django.db.models import Count, Max, OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from common.money import decimal, to_fen
from counties.models import County, Village
from counties.selectors import PovertyLineNotSet, poverty_line_for
from farmers.models import RegisterStatus
from fieldwork.models import NUMBER, IncomeSurvey, under_line
from orders.sales import COMPLETED
from reports.definitions import (
    COUNT,
    NAME,
    PERCENT,
    YUAN,
    Column,
    Figure,
    ReportResult,
    Table,
    names_of,
    ratio,
)

RELATIVE_SHARE = Decimal("0.6")
ON_REGISTER = (RegisterStatus.REGISTERED, RegisterStatus.EXITED)


def latest_survey_year(counties: QuerySet[County]) -> int | None:
    """The latest year with a survey in `counties`: where the report opens."""
    return IncomeSurvey.objects.filter(
        household__village__county__in=counties
    ).aggregate(year=Max("year"))["year"]


class CountyFilters(forms.Form):
    """Filters on one of the viewer's counties, chosen for a viewer with one."""

    county = forms.ChoiceField(label=gettext_lazy("County"))

    def __init__(self, data=None, *, counties: QuerySet[County]):
        data = data.copy() if data is not None else {}
        if counties.count() == 1:
            data.setdefault("county", counties.get().code)
        super().__init__(data)
        self.counties = counties
        self.fields["county"].choices = [(c.code, c.label) for c in counties]

    def chosen_county(self) -> County:
        return self.counties.get(code=self.cleaned_data["county"])


class IncomeFilters(CountyFilters):
    year = forms.IntegerField(
        label=gettext_lazy("Year"),
        min_value=2000,
        required=False,
        help_text=gettext_lazy("Empty: the latest year with surveys."),
    )
    base_year = forms.IntegerField(
        label=gettext_lazy("Base year"),
        min_value=2000,
        required=False,
        help_text=gettext_lazy("Empty: the year before."),
    )

    def clean(self):
        data = super().clean()
        if not data.get("year") and "year" not in self.errors:
            # Open on the latest year surveyed in the county chosen (a valid
            # code by now), else in the viewer's counties; shown in the form.
            code = data.get("county")
            chosen = self.counties.filter(code=code) if code else self.counties
            year = latest_survey_year(chosen) or timezone.localdate().year - 1
            data["year"] = year
            self.data["year"] = str(year)
        year = data.get("year")
        if year and year > timezone.localdate().year:
            self.add_error("year", gettext_lazy("The year is in the future."))
        if year and not data.get("base_year"):
            data["base_year"] = year - 1
        if year and data.get("base_year") and data["base_year"] >= year:
            self.add_error("base_year", gettext_lazy("The base year comes before."))
        return data


def surveys_per_capita(county: County, year: int) -> QuerySet[IncomeSurvey]:
    """The county's surveys of `year`, each with its income (the one definition)."""
    return IncomeSurvey.objects.filter(
        household__village__county=county, year=year
    ).with_income()


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
        "under_base": under_line("base_per_capita", base.amount if base else -big),
        "under_now": under_line("per_capita", now.amount if now else -big),
        "under_relative_base": under_line("base_per_capita", rel_base or -big),
        "under_relative_now": under_line("per_capita", rel_now or -big),
    }
    return {
        "households": Count("pk"),
        "members": Sum("members"),
        "platform": Sum("platform_sales"),
        "income": Sum("income_gross"),
        "earned": Sum("income_earned"),
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
    members = values["members"] or 0
    row = {
        "households": values["households"],
        "platform_per_household": ratio(values["platform"], values["households"]),
        "platform_per_capita": ratio(values["platform"], members),
        "platform_share": ratio(values["platform"], values["income"], 100),
        "earned_per_capita": ratio(values["earned"], members),
        "dibao_per_capita": ratio(values["dibao"], members),
    }
    for key, needed in NEEDS.items():
        known = all(lines[name] is not None for name in needed)
        row[key] = values[key] if known else None
    return row


def _line_label(line) -> str:
    return line.short() if line else _("no line set")


def _relative_label(amount) -> str:
    if amount is None:
        return _("no households surveyed")
    return _("¥%(amount)s") % {"amount": amount}


def _columns(lines: dict, base_year: int, year: int) -> list[Column]:
    """The figures, each label naming what it counts and the line it uses."""
    base, now = _line_label(lines["base"]), _line_label(lines["now"])
    rel_base = _relative_label(lines["relative_base"])
    rel_now = _relative_label(lines["relative_now"])
    years = {"base_year": base_year, "year": year}
    return [
        Column("households", gettext_lazy("Households surveyed"), COUNT),
        Column(
            "platform_per_household",
            gettext_lazy("Platform income (completed sales) per household"),
            YUAN,
        ),
        Column(
            "platform_per_capita",
            gettext_lazy("Platform income (completed sales) per person"),
            YUAN,
        ),
        Column(
            "platform_share",
            gettext_lazy("Platform income's share of gross household income"),
            PERCENT,
        ),
        Column(
            "earned_per_capita",
            gettext_lazy(
                "Earned income per person (net of production costs, without transfers)"
            ),
            YUAN,
        ),
        Column("dibao_per_capita", gettext_lazy("Dibao per person"), YUAN),
        Column(
            "under_base",
            _("Under the line in %(base_year)s (%(line)s)") % {**years, "line": base},
            COUNT,
        ),
        Column(
            "under_now",
            _("Under the line in %(year)s (%(line)s)") % {**years, "line": now},
            COUNT,
        ),
        Column(
            "crossed",
            _(
                "Crossed the line: under %(base)s in %(base_year)s, not under "
                "%(now)s in %(year)s"
            )
            % {**years, "base": base, "now": now},
            COUNT,
        ),
        Column(
            "under_relative_base",
            _("Under the relative line in %(base_year)s (%(line)s)")
            % {**years, "line": rel_base},
            COUNT,
        ),
        Column(
            "under_relative_now",
            _("Under the relative line in %(year)s (%(line)s)")
            % {**years, "line": rel_now},
            COUNT,
        ),
        Column(
            "crossed_relative",
            _(
                "Crossed the relative line: under %(base)s in %(base_year)s, not "
                "under %(now)s in %(year)s"
            )
            % {**years, "base": rel_base, "now": rel_now},
            COUNT,
        ),
    ]


# The breakdowns: table key → (the survey field grouped on, its title, how the
# grouped things are read and named).
BREAKDOWNS = {
    "by_village": (
        "household__village",
        gettext_lazy("By village"),
        lambda ids: names_of(Village, ids, name=lambda village: village.label),
    ),
    "by_assistant": (
        "recorded_by",
        gettext_lazy("By assistant (who recorded the survey)"),
        lambda ids: names_of(User, ids),
    ),
}


def _breakdown(surveyed, key: str, aggregates: dict, lines: dict, columns) -> Table:
    """One row per village or assistant, grouped by id (two of one name stay two
    rows), then named in one query, sorted by name."""
    field, title, names_of = BREAKDOWNS[key]
    grouped = list(surveyed.values(field).annotate(**aggregates).order_by(field))
    names = names_of([row[field] for row in grouped])
    rows = [{"name": names.get(row[field], "—"), **_row(row, lines)} for row in grouped]
    rows.sort(key=lambda row: row["name"])
    empty = _("No household was surveyed this year.")
    return Table(key, title, [NAME, *columns], rows, empty=empty)


def income_impact(filters: IncomeFilters) -> ReportResult:
    data = filters.cleaned_data
    county = filters.chosen_county()
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
    columns = _columns(lines, base_year, year)
    return ReportResult(
        title=_("Income impact"),
        period=f"{base_year} → {year}",
        figures=[
            Figure(column.key, column.label, overall[column.key], column.kind)
            for column in columns
        ],
        tables=[
            _breakdown(surveyed, key, aggregates, lines, columns) for key in BREAKDOWNS
        ],
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
    base, now = lines["base"], lines["now"]
    if base and now and base.is_national != now.is_national:
        notes.append(
            _(
                "The two years use different lines (%(base)s in %(base_year)s, "
                "%(now)s in %(year)s): crossing compares each household with the "
                "line of its own year."
            )
            % {
                "base": base.short(),
                "now": now.short(),
                "base_year": base_year,
                "year": year,
            }
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
        else:
            notes.append(
                _(
                    "No household of the county was surveyed in %(year)s, so its "
                    "relative line, and the counts that need it, are unknown (—)."
                )
                % {"year": when}
            )
    notes.append(
        _(
            "Income per person is net of production costs. Earned income also "
            "leaves out transfers; dibao (part of transfers) is shown on its own."
        )
    )
    notes.append(
        _(
            "Platform income is the completed sales of the household's farmers in "
            "the survey's year, kept up to date with the orders. %(definition)s"
        )
        % {"definition": COMPLETED.counts}
    )
    return [str(note) for note in notes]
