"""Writes about field work. Training sessions with their attendance, and
household visits: only the assistant's own assigned farmers (and their
households) may be named; anything else is refused and nothing is saved. Income
surveys: recorded and corrected (history kept in the audit trail: one event per
recording or correction, with the figures before and after), their platform
sales filled in from the orders and kept up to date with them. The nightly
"needs help" alerts: a HelpCase opened for each new (farmer, reason, assistant)
and that assistant told, in-app and by e-mail; cases that cleared, or whose
farmer moved to another assistant, closed. A case is alerted once, so running
the job twice sends nothing twice."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import (
    Count,
    DecimalField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assistants.models import Assistant
from assistants.selectors import assigned_farmers, assigned_households
from audit.models import AuditEvent
from audit.services import diff, record, snapshot
from common.money import MONEY
from common.signals import records_written
from common.years import FIRST_YEAR
from farmers.models import Farmer, Household
from fieldwork.help import help_rules, with_figures
from fieldwork.models import (
    MAX_SESSION_HOURS,
    SURVEY_FIELDS,
    Attendance,
    HelpCase,
    IncomeSurvey,
    SkillTopic,
    TrainingSession,
    Visit,
    VisitPurpose,
)
from fieldwork.selectors import completed_sales, platform_sales_for
from notifications.models import Notification
from notifications.services import notify
from orders.sales import order_value

DUPLICATE = gettext_lazy(
    "This household already has a survey for %(year)s; correct it instead."
)
# What the audit keeps of a survey: every figure, typed or filled in.
AUDITED_FIELDS = ("year", *SURVEY_FIELDS, "platform_sales", "platform_orders")


# --- Training and visits -----------------------------------------------------


def _check_date(day: date) -> None:
    if day > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future")


def _check_farmers(assistant: Assistant, farmers) -> list[Farmer]:
    """The farmers, each once (a list may name one twice: one attendance), if all
    are the assistant's."""
    farmers = list(dict.fromkeys(farmers))
    mine = set(
        assigned_farmers(assistant)
        .filter(pk__in=[f.pk for f in farmers])
        .values_list("pk", flat=True)
    )
    strangers = [farmer for farmer in farmers if farmer.pk not in mine]
    if strangers:
        raise ValidationError(
            _("Not one of your farmers: %(names)s.")
            % {"names": ", ".join(str(f) for f in strangers)},
            code="not_assigned",
        )
    return farmers


@transaction.atomic
def training_record(
    *,
    assistant: Assistant,
    held_on: date,
    hours,
    topics: list[str],
    online: bool = False,
    location: str = "",
    notes: str = "",
    farmers=(),
    device: dict | None = None,
) -> TrainingSession:
    """Record a training session and who of the assistant's farmers attended;
    `device`: what a record made offline carries (DeviceRecord's fields)."""
    _check_date(held_on)
    if not topics:
        raise ValidationError(_("Choose at least one skill topic."), code="no_topic")
    unknown = set(topics) - set(SkillTopic.values)
    if unknown:
        raise ValidationError(_("Unknown skill topic."), code="topic")
    if not 0 < hours <= MAX_SESSION_HOURS:
        raise ValidationError(
            _("A session lasts more than 0 and at most %(max)s hours.")
            % {"max": MAX_SESSION_HOURS},
            code="hours",
        )
    if not online and not location.strip():
        raise ValidationError(
            _("Say where the session was held, or mark it online."), code="place"
        )
    farmers = _check_farmers(assistant, farmers)
    session = TrainingSession.objects.create(
        assistant=assistant,
        held_on=held_on,
        hours=hours,
        online=online,
        location=location.strip(),
        topics=[topic for topic in SkillTopic.values if topic in topics],
        notes=notes,
        **(device or {}),
    )
    Attendance.objects.bulk_create(
        Attendance(session=session, farmer=farmer) for farmer in farmers
    )
    records_written.send(Attendance)
    return session


@transaction.atomic
def training_attendance_set(*, session: TrainingSession, farmers) -> None:
    """Set who of the assistant's current farmers attended."""
    farmers = _check_farmers(session.assistant, farmers)
    # Only the assistant's current farmers are theirs to change: the attendance of
    # a farmer since moved to another assistant stays in the history.
    session.attendance.filter(farmer__in=assigned_farmers(session.assistant)).exclude(
        farmer__in=farmers
    ).delete()
    present = set(session.attendance.values_list("farmer_id", flat=True))
    Attendance.objects.bulk_create(
        Attendance(session=session, farmer=farmer)
        for farmer in farmers
        if farmer.pk not in present
    )
    records_written.send(Attendance)


@transaction.atomic
def visit_record(
    *,
    assistant: Assistant,
    household: Household,
    visited_on: date,
    purpose: str,
    challenges: str = "",
    support_needed: str = "",
    device: dict | None = None,
) -> Visit:
    """Record a visit to the household of one of the assistant's farmers;
    `device`: what a visit recorded offline carries (the device's id and clock,
    a GPS position, a photo)."""
    _check_date(visited_on)
    if not assigned_households(assistant).filter(pk=household.pk).exists():
        raise ValidationError(
            _("This household is not one of your farmers'."), code="not_assigned"
        )
    if purpose not in VisitPurpose.values:
        raise ValidationError(_("Choose the purpose of the visit."), code="purpose")
    visit = Visit(
        assistant=assistant,
        household=household,
        visited_on=visited_on,
        purpose=purpose,
        challenges=challenges,
        support_needed=support_needed,
        **(device or {}),
    )
    visit.full_clean()
    visit.save()
    return visit


# --- Income surveys ------------------------------------------------------------


def _check_year(year: int) -> None:
    if year > timezone.localdate().year:
        raise ValidationError(
            _("A survey year cannot be in the future."), code="future_year"
        )
    if year < FIRST_YEAR:
        raise ValidationError(
            _("A survey year starts from %(year)s.") % {"year": FIRST_YEAR},
            code="old_year",
        )


@transaction.atomic
def survey_record(
    *, household: Household, year: int, recorded_by, device=None, **figures
) -> IncomeSurvey:
    """A household's survey for `year`; platform sales are filled in. `device`:
    what a survey recorded offline carries (DeviceRecord's fields)."""
    _check_year(year)
    if IncomeSurvey.objects.filter(household=household, year=year).exists():
        raise ValidationError(DUPLICATE % {"year": year}, code="duplicate")
    sales = platform_sales_for(household, year)
    survey = IncomeSurvey(
        household=household,
        year=year,
        recorded_by=recorded_by,
        platform_sales=sales.total,
        platform_orders=sales.orders,
        **{name: figures[name] for name in SURVEY_FIELDS if name in figures},
        **(device or {}),
    )
    survey.full_clean()
    try:
        with transaction.atomic():
            survey.save()
    except IntegrityError as exc:  # a double submit: the other one was first
        raise ValidationError(DUPLICATE % {"year": year}, code="duplicate") from exc
    record(
        actor=recorded_by,
        action=AuditEvent.Action.SURVEY_RECORDED,
        subject=survey,
        household=household,
        after=diff(None, survey, AUDITED_FIELDS)[1],
    )
    return survey


@transaction.atomic
def survey_correct(*, survey: IncomeSurvey, changed_by, **figures) -> IncomeSurvey:
    """Change a survey's figures, keeping the change (each changed figure before
    and after) in the audit trail, its history. Platform sales are refreshed from
    the orders (a late completion or refund shows up)."""
    survey = IncomeSurvey.objects.select_for_update().get(pk=survey.pk)
    sales = platform_sales_for(survey.household, survey.year)
    new = {
        **{name: figures[name] for name in SURVEY_FIELDS if name in figures},
        "platform_sales": sales.total,
        "platform_orders": sales.orders,
    }
    before = snapshot(survey, new)
    for name, value in new.items():
        setattr(survey, name, value)
    old, changed = diff(before, survey, new)
    if not changed:
        return survey
    survey.full_clean()
    survey.save()
    record(
        actor=changed_by,
        action=AuditEvent.Action.SURVEY_CORRECTED,
        subject=survey,
        household=survey.household,
        before=old,
        after=changed,
    )
    return survey


def surveys_refresh_platform_sales(
    *, year: int, farmers: QuerySet | None = None
) -> int:
    """Platform sales of the surveys of `year` again from the orders, set-based
    (one UPDATE), for the households of `farmers` (None: every household). The
    rollups call it for the farmers of each day they rebuild, so a refund or a
    completion after a survey was recorded reaches it. Returns the rows updated."""
    orders = (
        completed_sales(year)
        .filter(farmer__household=OuterRef("household"))
        .order_by()
        .values("farmer__household")
    )
    surveys = IncomeSurvey.objects.filter(year=year)
    if farmers is not None:
        surveys = surveys.filter(household__farmers__in=farmers)
    amount = DecimalField(**MONEY)
    records_written.send(IncomeSurvey)
    return surveys.update(
        platform_sales=Coalesce(
            Subquery(orders.annotate(total=Sum(order_value())).values("total")),
            Value(0, output_field=amount),
            output_field=amount,
        ),
        platform_orders=Coalesce(
            Subquery(orders.annotate(n=Count("pk")).values("n")), Value(0)
        ),
    )


# --- Needs-help alerts ---------------------------------------------------------


@dataclass
class AlertRun:
    opened: int = 0
    closed: int = 0


def help_alerts_run(now=None) -> AlertRun:
    """The nightly check: open and alert the new cases, close the cleared ones."""
    now = now or timezone.now()
    codes = [rule.code for rule in help_rules(now)]
    # Farmers with an active assignment, one row each, with their assistant.
    assigned = assigned_farmers(anyone=True)
    farmers = with_figures(assigned, now).values(
        "pk", "assignments__assistant", *[f"help_{code}" for code in codes]
    )
    # Each current (farmer, reason, assistant); a farmer moved to another
    # assistant closes the old assistant's cases and opens the new one's.
    current = {
        (row["pk"], code, row["assignments__assistant"])
        for row in farmers.iterator(chunk_size=500)
        for code in codes
        if row[f"help_{code}"]
    }
    open_cases = {
        (case.farmer_id, case.reason, case.assistant_id): case.pk
        for case in HelpCase.objects.filter(closed_at__isnull=True)
    }
    run = AlertRun()
    cleared = [pk for key, pk in open_cases.items() if key not in current]
    run.closed = HelpCase.objects.filter(pk__in=cleared).update(closed_at=now)
    for farmer_id, code, assistant_id in sorted(current - open_cases.keys()):
        run.opened += _open_case(
            farmer_id=farmer_id, assistant_id=assistant_id, reason=code
        )
    return run


def _open_case(*, farmer_id: int, assistant_id: int, reason: str) -> int:
    """Open the case and alert its assistant, both or neither; 0 if a parallel
    run opened it first."""
    try:
        with transaction.atomic():
            created = HelpCase.objects.create(
                farmer_id=farmer_id, assistant_id=assistant_id, reason=reason
            )
            case = HelpCase.objects.select_related("assistant__user", "farmer").get(
                pk=created.pk
            )
            notify(
                recipient=case.assistant.user,
                kind=Notification.Kind.FARMER_NEEDS_HELP,
                farmer=case.farmer,
                reason=reason,
            )
    except IntegrityError:
        return 0
    return 1
