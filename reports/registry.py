"""Every report in one table: its slug, title, filter form, the function that runs
it, and its page. The pages, the API and the exports are built from this table,
so adding a report is one entry here."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from counties.selectors import counties_visible_to
from procurement.selectors import units_reported_to
from reports.cache import CachedReport
from reports.definitions import ReportResult
from reports.income import IncomeFilters, income_impact
from reports.performance import assistant_performance
from reports.sales import SalesFilters, county_sales
from reports.targeting import TargetingFilters, targeting_quality
from reports.training_effect import training_effect
from reports.units import (
    CountyUnitsFilters,
    UnitFilters,
    county_unit_purchases,
    unit_purchases,
)


@dataclass(frozen=True)
class Report:
    slug: str
    title: Promise
    filters: type
    run: Callable[..., ReportResult]
    path: str  # its page (/reports/<path>/) and API (/api/reports/<api>/)
    api: str
    chart: bool = False
    readers: tuple = (Role.OFFICIAL, Role.STAFF)
    by_unit: bool = False  # its filters choose among the viewer's work units
    # Kept in the report result cache (reports.cache), which must then know every
    # kind of record it reads beyond the rollups ("app.Model").
    cached: bool = False
    records: tuple = ()

    @property
    def page(self) -> str:
        return f"reports:{self.slug}"

    def filters_for(self, user, data=None, counties=None):
        """The filter form scoped to `user`: their work units, or their counties
        (`counties`: those already read for them)."""
        if self.by_unit:
            return self.filters(data, units=units_reported_to(user))
        if counties is None:
            counties = counties_visible_to(user)
        return self.filters(data, counties=counties)


# What the cached reports read beyond the rollups.
PLACES = ("counties.County", "counties.Village")
SURVEYED = (
    *PLACES,
    "farmers.Household",
    "fieldwork.IncomeSurvey",
    "counties.PovertyLine",
)
ASSISTED = (
    "assistants.Assistant",
    "assistants.Assignment",
    "farmers.Farmer",
    "fieldwork.TrainingSession",
)
REPORTS = {
    report.slug: report
    for report in (
        Report(
            "county_sales",
            _("County sales"),
            SalesFilters,
            county_sales,
            "sales",
            "county-sales",
            chart=True,
            cached=True,
            records=(*PLACES, "farmers.Household"),
        ),
        Report(
            "income_impact",
            _("Income impact"),
            IncomeFilters,
            income_impact,
            "income",
            "income-impact",
            cached=True,
            records=SURVEYED,
        ),
        Report(
            "targeting_quality",
            _("Targeting quality"),
            TargetingFilters,
            targeting_quality,
            "targeting",
            "targeting-quality",
            cached=True,
            records=SURVEYED,
        ),
        Report(
            "assistant_performance",
            _("Assistant performance"),
            SalesFilters,
            assistant_performance,
            "assistants",
            "assistant-performance",
            cached=True,
            records=(*PLACES, *ASSISTED, "fieldwork.Visit"),
        ),
        Report(
            "training_effect",
            _("Training effect"),
            SalesFilters,
            training_effect,
            "training",
            "training-effect",
            cached=True,
            records=(*PLACES, *ASSISTED, "fieldwork.Attendance"),
        ),
        Report(
            "unit_purchases",
            _("A work unit's purchases"),
            UnitFilters,
            unit_purchases,
            "units",
            "unit-purchases",
            readers=(Role.BUYER, Role.OFFICIAL, Role.STAFF),
            by_unit=True,
        ),
        Report(
            "county_unit_purchases",
            _("Work units buying from the county"),
            CountyUnitsFilters,
            county_unit_purchases,
            "county-units",
            "county-unit-purchases",
        ),
    )
}
# Whoever reads at least one report (the exports' pages).
EVERY_READER = tuple(
    sorted({role for report in REPORTS.values() for role in report.readers})
)


def readable_by(user) -> list[Report]:
    return [report for report in REPORTS.values() if user.role in report.readers]


def run_as(user, slug: str, params) -> ReportResult | None:
    """The report as `user` may see it now (an export re-checks the scope); None
    if the filters are not valid for them."""
    report = REPORTS[slug]
    if user.role not in report.readers:
        return None
    filters = report.filters_for(user, params)
    return CachedReport(report, filters).result() if filters.is_valid() else None
