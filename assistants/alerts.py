"""The nightly "needs help" alerts: open a HelpCase for each new (farmer, reason,
assistant) and tell that assistant, in-app and by e-mail; close the cases that
cleared or whose farmer moved to another assistant. A case is alerted once, so
running the job twice sends nothing twice."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from assistants.dashboard import help_rules, with_figures
from assistants.models import HelpCase
from farmers.models import Farmer
from notifications.models import Notification
from notifications.services import notify


@dataclass
class AlertRun:
    opened: int = 0
    closed: int = 0


def help_alerts_run(now=None) -> AlertRun:
    now = now or timezone.now()
    codes = [rule.code for rule in help_rules(now)]
    # Farmers with an active assignment, one row each, with their assistant.
    assigned = Farmer.objects.filter(
        assignments__ended_on__isnull=True, assignments__assistant__isnull=False
    )
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
