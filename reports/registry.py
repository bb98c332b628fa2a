"""Every report in one table: its slug, title, filter form, the function that runs
it, and its page. The pages, the API and the exports are built from this table,
so adding a report is one entry here."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from counties.selectors import counties_visible_to
from reports.definitions import ReportResult
from reports.income import IncomeFilters, income_impact
from reports.performance import assistant_performance
from reports.sales import SalesFilters, county_sales
from reports.targeting import TargetingFilters, targeting_quality
from reports.training_effect import training_effect


@dataclass(frozen=True)
class Report:
    slug: str
    title: Promise
    filters: type
    run: Callable[..., ReportResult]
    path: str  # its page (/reports/<path>/) and API (/api/reports/<api>/)
    api: str
    chart: bool = False

    @property
    def page(self) -> str:
        return f"reports:{self.slug}"


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
        ),
        Report(
            "income_impact",
            _("Income impact"),
            IncomeFilters,
            income_impact,
            "income",
            "income-impact",
        ),
        Report(
            "targeting_quality",
            _("Targeting quality"),
            TargetingFilters,
            targeting_quality,
            "targeting",
            "targeting-quality",
        ),
        Report(
            "assistant_performance",
            _("Assistant performance"),
            SalesFilters,
            assistant_performance,
            "assistants",
            "assistant-performance",
        ),
        Report(
            "training_effect",
            _("Training effect"),
            SalesFilters,
            training_effect,
            "training",
            "training-effect",
        ),
    )
}


def run_as(user, slug: str, params) -> ReportResult | None:
    """The report as `user` may see it now (an export re-checks the scope); None
    if the filters are not valid for them."""
    report = REPORTS[slug]
    filters = report.filters(params, counties=counties_visible_to(user))
    return report.run(filters) if filters.is_valid() else None
