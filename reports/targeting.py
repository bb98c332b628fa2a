"""Targeting quality: for a county and a year, registered poor households whose
surveyed income per person is far above the county-year line (candidates for
wrong evaluation) and surveyed households never registered that are under it
(candidates for missing evaluation), with both rates. The database compares each
survey with the line; the lists are the cases to examine by visits."""

from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.money import to_fen
from farmers.models import RegisterStatus
from fieldwork.models import under_line
from reports.definitions import (
    COUNT,
    NAME,
    PERCENT,
    YUAN,
    Column,
    Figure,
    ReportResult,
    Table,
    ratio,
)
from reports.income import IncomeFilters, line_or_none, surveys_per_capita

NO_HOUSEHOLD = gettext_lazy("No household meets the criteria.")

# "Far above": at least this many times the line (a working threshold for the
# officials' checks; docs/DOMAIN.md: the policy names the rates, not a threshold).
FAR_ABOVE = Decimal("2")
LISTED = 200


class TargetingFilters(IncomeFilters):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["base_year"]


def targeting_quality(filters: TargetingFilters) -> ReportResult:
    data = filters.cleaned_data
    county = filters.chosen_county()
    year = data["year"]
    line = line_or_none(county, year)
    surveyed = surveys_per_capita(county, year).select_related("household__village")
    registered = Q(household__status=RegisterStatus.REGISTERED)
    never = Q(household__status=RegisterStatus.NEVER_REGISTERED)
    notes = [
        _(
            "Wrong evaluation: registered households surveyed at %(times)s times "
            "the line or more. Missing evaluation: surveyed households never "
            "registered that are under the line."
        )
        % {"times": FAR_ABOVE}
    ]
    if line is None:
        notes.append(
            _("No poverty line is set for %(county)s in %(year)s.")
            % {"county": county, "year": year}
        )
        wrong = missing = surveyed.none()
    else:
        notes.append(
            _("Poverty line in %(year)s: %(line)s")
            % {"year": year, "line": line.describe()}
        )
        wrong = surveyed.filter(registered, per_capita__gte=line.amount * FAR_ABOVE)
        missing = surveyed.filter(never, under_line("per_capita", line.amount))
    counts = surveyed.aggregate(
        registered=Count("pk", filter=registered), never=Count("pk", filter=never)
    )
    wrong_count, missing_count = wrong.count(), missing.count()
    shown_line = line.short() if line else _("no line set")
    columns = [
        NAME,
        Column("village", gettext_lazy("Village")),
        Column("per_capita", gettext_lazy("Net income per person"), YUAN),
    ]

    def rows(queryset):
        return [
            {
                "name": survey.household.head_name,
                "village": survey.household.village.label,
                "per_capita": to_fen(survey.per_capita),
            }
            for survey in queryset.order_by("household__village__name", "pk")[:LISTED]
        ]

    return ReportResult(
        title=_("Targeting quality"),
        period=str(year),
        figures=[
            Figure(
                "registered",
                _("Registered households surveyed"),
                counts["registered"],
                COUNT,
            ),
            Figure(
                "wrong",
                _("Registered, at %(times)s× the line or more (%(line)s)")
                % {"times": FAR_ABOVE, "line": shown_line},
                wrong_count,
                COUNT,
            ),
            Figure(
                "wrong_rate",
                _("Wrong-evaluation rate"),
                ratio(wrong_count, counts["registered"], 100),
                PERCENT,
            ),
            Figure(
                "never", _("Unregistered households surveyed"), counts["never"], COUNT
            ),
            Figure(
                "missing",
                _("Never registered, under the line (%(line)s)") % {"line": shown_line},
                missing_count,
                COUNT,
            ),
            Figure(
                "missing_rate",
                _("Missing-evaluation rate"),
                ratio(missing_count, counts["never"], 100),
                PERCENT,
            ),
        ],
        tables=[
            Table(
                "wrong_evaluation",
                _("Candidates for wrong evaluation"),
                columns,
                rows(wrong),
                empty=NO_HOUSEHOLD,
            ),
            Table(
                "missing_evaluation",
                _("Candidates for missing evaluation"),
                columns,
                rows(missing),
                empty=NO_HOUSEHOLD,
            ),
        ],
        notes=[str(note) for note in notes],
    )
