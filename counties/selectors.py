"""Reads about counties: the poverty line in force, which counties a user sees,
and China's administrative divisions (provinces, their cities, their districts)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts.selectors import scoped
from common.money import to_fen
from counties.models import County, Division, PovertyLine, PovertyLineMethod


class PovertyLineNotSet(LookupError):
    """Neither the county nor the nation has a poverty line for the year."""


@dataclass(frozen=True)
class PovertyLineInForce:
    """The line a county uses in a year, and how it was arrived at."""

    amount: Decimal
    method: str
    year: int
    is_national: bool
    line: PovertyLine

    def short(self) -> str:
        """Which line and its amount, for a figure's label: "county line ¥3600.00"."""
        if self.is_national:
            return _("national line ¥%(amount)s") % {"amount": self.amount}
        return _("county line ¥%(amount)s") % {"amount": self.amount}

    def describe(self) -> str:
        """One sentence for reports: which line, by which method, from where."""
        scope = _("national line") if self.is_national else _("county line")
        if self.method == PovertyLineMethod.ABSOLUTE:
            rule = _("absolute amount")
        else:
            rule = _("%(pct)s%% of a reference income of ¥%(ref)s") % {
                "pct": self.line.percentage.normalize(),
                "ref": self.line.reference_income,
            }
        text = _("¥%(amount)s per person per year in %(year)s (%(scope)s, %(rule)s)")
        return text % {
            "amount": self.amount,
            "year": self.year,
            "scope": scope,
            "rule": rule,
        }


def poverty_line_for(county: County, year: int) -> PovertyLineInForce:
    """The county's own line for `year`, falling back to the national line."""
    candidates = PovertyLine.objects.filter(
        Q(county=county) | Q(county__isnull=True), year=year
    ).order_by("county_id")  # NULLs sort first on SQLite, last on PostgreSQL
    lines = {line.county_id: line for line in candidates}
    line = lines.get(county.pk) or lines.get(None)
    if line is None:
        raise PovertyLineNotSet(
            _("No poverty line is set for %(county)s or nationally in %(year)s.")
            % {"county": county, "year": year}
        )
    if line.method == PovertyLineMethod.ABSOLUTE:
        amount = line.amount
    else:
        amount = to_fen(line.reference_income * line.percentage / 100)
    return PovertyLineInForce(
        amount=amount,
        method=line.method,
        year=year,
        is_national=line.county_id is None,
        line=line,
    )


def counties_visible_to(user) -> QuerySet[County]:
    """Counties whose figures `user` may see: staff all, officials their own."""
    return scoped(County.objects.all(), user, official=lambda u: Q(officials=u))


def provinces() -> QuerySet[Division]:
    """China's provinces (and municipalities, autonomous regions, SARs), by code."""
    return Division.objects.filter(level=Division.Level.PROVINCE)


def divisions_within(code: str) -> QuerySet[Division]:
    """The cities of a province, or the districts of a city, by code; none for
    an unknown code or a district."""
    return Division.objects.filter(parent_id=code)


def division_path(code: str) -> list[Division]:
    """A division and those it lies within, province first (empty for an unknown
    code), in one query."""
    division = Division.objects.select_related("parent__parent").filter(pk=code).first()
    path = []
    while division is not None:
        path.insert(0, division)
        division = division.parent
    return path
