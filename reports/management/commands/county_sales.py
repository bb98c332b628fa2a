"""county_sales: print the county sales report's figures for a county and year
(the same definition as the page and API), e.g. for the case-study check."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from counties.models import County
from reports.sales import SalesFilters, county_sales


class Command(BaseCommand):
    help = "Print the county sales figures for a county (by name or code) and a year."

    def add_arguments(self, parser):
        parser.add_argument(
            "county", help='A county code or name, e.g. 529901, "C县" or "County C"'
        )
        parser.add_argument("year", type=int)

    def handle(self, *args, county, year, **options):
        place = County.objects.filter(
            Q(code=county) | Q(name=county) | Q(name_en=county)
        ).first()
        if place is None:
            raise CommandError(f"no county {county!r}")
        filters = SalesFilters(
            {"county": place.code, "start": f"{year}-01", "end": f"{year}-12"},
            counties=County.objects.all(),
        )
        if not filters.is_valid():
            raise CommandError(filters.errors.as_text())
        report = county_sales(filters)
        self.stdout.write(f"{place.label} {report.period}")
        for figure in report.figures:
            self.stdout.write(f"  {figure.key:<14} {figure.value}")
