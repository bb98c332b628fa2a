"""Concurrent writes on real PostgreSQL: reassigning one farmer from many threads,
and two assistants onboarding the same phone at once. Each thread closes its
connection (as Oscar's stock-locking tests do)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from accounts.models import User
from assistants.models import Assignment
from assistants.services import NewFarmer, assignment_assign, farmer_onboard
from farmers.models import Farmer, Household
from tests.factories import AssignmentFactory, AssistantFactory, VillageFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def run_together(calls):
    """Start every call at the same moment; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_concurrent_reassignments_leave_one_active_assignment_and_full_history():
    first = AssignmentFactory()
    others = [AssistantFactory(county=first.assistant.county) for _ in range(8)]
    outcomes = run_together(
        [
            lambda a=assistant: assignment_assign(
                farmer=first.farmer, assistant=a, assigned_by=a.user
            )
            for assistant in others
        ]
    )
    assert all(isinstance(o, Assignment) for o in outcomes), outcomes
    history = Assignment.objects.filter(farmer=first.farmer)
    assert history.count() == 1 + len(others)
    assert history.filter(ended_on__isnull=True).count() == 1


def test_two_assistants_onboarding_one_phone_at_once():
    village = VillageFactory()
    assistants = [AssistantFactory(county=village.county) for _ in range(2)]
    new_household = {"village": village, "head_name": "王大山", "members": 3}
    outcomes = run_together(
        [
            lambda a=assistant, n=n: farmer_onboard(
                assistant=a,
                farmer=NewFarmer(
                    username=f"same-phone-{n}",
                    full_name="王秀英",
                    phone="13912345678",
                    shop_name="秀英的茶",
                    slug=f"shop-{n}",
                ),
                new_household=dict(new_household),
            )
            for n, assistant in enumerate(assistants)
        ]
    )
    assert sum(isinstance(o, Farmer) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, ValidationError) for o in outcomes) == 1, outcomes
    # The loser left nothing behind: one user, one household, one farmer.
    assert User.objects.filter(username__startswith="same-phone-").count() == 1
    assert Household.objects.count() == 1
    assert Farmer.objects.count() == 1
