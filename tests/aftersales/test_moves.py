"""The after-sales state machine, move by move: who may make each move from
each status, what it leads to, and every other move refused with nothing
changed. Each move is an order event, audited, and told to the other party."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from aftersales.models import AfterSale
from aftersales.services import aftersale_move, aftersale_request
from audit.models import AuditEvent
from notifications.models import Notification
from orders.models import OrderEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
S = AfterSale.Status
ADDRESS = "李秀英 13900000000 湖北省恩施州巴东县 茶店子镇 1 号"


def ask(order, line, kind=AfterSale.Kind.RETURN, quantity=1):
    return aftersale_request(
        order=order,
        buyer=order.buyer,
        kind=kind,
        reason=AfterSale.Reason.DAMAGED,
        quantities={line.pk: quantity},
    )


def people(order):
    staff = UserFactory(role="staff")
    return {
        "buyer": order.buyer,
        "farmer": order.farmer.user,
        "assistant": order.assistant.user,
        "staff": staff,
        "stranger": UserFactory(),
    }


def move(case, action, actor, **kwargs):
    return aftersale_move(case=case, action=action, actor=actor, **kwargs)


# (status to reach, action, who makes it, the status it leads to); every
# other (action, person) from that status is refused.
LEGAL = [
    (S.REQUESTED, "accept", "farmer", S.AWAITING_RETURN),
    (S.REQUESTED, "accept", "assistant", S.AWAITING_RETURN),
    (S.REQUESTED, "refuse", "farmer", S.REFUSED),
    (S.REQUESTED, "refuse", "assistant", S.REFUSED),
    (S.REQUESTED, "withdraw", "buyer", S.WITHDRAWN),
    (S.REFUSED, "escalate", "buyer", S.ESCALATED),
    (S.REFUSED, "withdraw", "buyer", S.WITHDRAWN),
    (S.ESCALATED, "uphold", "staff", S.AWAITING_RETURN),
    (S.ESCALATED, "reject", "staff", S.CLOSED),
    (S.ESCALATED, "withdraw", "buyer", S.WITHDRAWN),
    (S.AWAITING_RETURN, "returned", "farmer", S.REFUNDED),
    (S.AWAITING_RETURN, "returned", "assistant", S.REFUNDED),
    (S.AWAITING_RETURN, "returned", "staff", S.REFUNDED),
    (S.AWAITING_RETURN, "withdraw", "buyer", S.WITHDRAWN),
]
ACTIONS = ["accept", "refuse", "escalate", "uphold", "reject", "returned", "withdraw"]
WHO = ["buyer", "farmer", "assistant", "staff", "stranger"]


def reach(status, order, line, who):
    """A return case of one unit, moved to `status` by the legal path."""
    case = ask(order, line)
    path = {
        S.REQUESTED: [],
        S.REFUSED: [("refuse", "farmer")],
        S.ESCALATED: [("refuse", "farmer"), ("escalate", "buyer")],
        S.AWAITING_RETURN: [("accept", "farmer")],
    }[status]
    for action, person in path:
        case = move(case, action, who[person], note="n", return_address=ADDRESS)
    return case


@pytest.mark.parametrize("status, action, person, target", LEGAL)
def test_each_legal_move(received, status, action, person, target):
    order, rice, _honey = received
    who = people(order)
    case = reach(status, order, rice, who)
    events, told = OrderEvent.objects.count(), Notification.objects.count()
    moved = move(case, action, who[person], note="a reason", return_address=ADDRESS)
    assert moved.status == target
    assert AfterSale.objects.get(pk=case.pk).status == target
    assert OrderEvent.objects.count() > events
    assert Notification.objects.count() > told
    assert AuditEvent.objects.filter(
        subject_id=case.pk, actor=who[person], action__startswith="aftersale"
    ).exists()


ILLEGAL = [
    (status, action, person)
    for status in (S.REQUESTED, S.REFUSED, S.ESCALATED, S.AWAITING_RETURN)
    for action in ACTIONS
    for person in WHO
    if not any(row[:3] == (status, action, person) for row in LEGAL)
]


@pytest.mark.parametrize("status, action, person", ILLEGAL)
def test_every_other_move_is_refused_and_changes_nothing(
    received, status, action, person
):
    order, rice, _honey = received
    who = people(order)
    case = reach(status, order, rice, who)
    events = OrderEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        move(case, action, who[person], note="a reason", return_address=ADDRESS)
    assert refused.value.code == "illegal_move"
    assert AfterSale.objects.get(pk=case.pk).status == status
    assert OrderEvent.objects.count() == events


def test_closed_cases_move_no_more(received):
    order, rice, honey = received
    who = people(order)
    refunded = reach(S.AWAITING_RETURN, order, rice, who)
    refunded = move(refunded, "returned", who["farmer"])
    withdrawn = move(ask(order, honey), "withdraw", who["buyer"])
    for case in (refunded, withdrawn):
        for action in ACTIONS:
            for person in WHO:
                with pytest.raises(ValidationError):
                    move(case, action, who[person], note="n", return_address=ADDRESS)


def test_an_unanswered_request_may_be_escalated_after_48_hours(received):
    order, rice, _honey = received
    who = people(order)
    case = ask(order, rice)
    with pytest.raises(ValidationError):
        move(case, "escalate", who["buyer"])
    AfterSale.objects.filter(pk=case.pk).update(
        answer_by=timezone.now() - timedelta(minutes=1)
    )
    assert move(case, "escalate", who["buyer"]).status == S.ESCALATED


def test_a_refusal_and_a_decision_need_a_reason_and_a_return_an_address(received):
    order, rice, honey = received
    who = people(order)
    case = ask(order, rice)
    with pytest.raises(ValidationError, match="Give a reason"):
        move(case, "refuse", who["farmer"], note="  ")
    with pytest.raises(ValidationError, match="address the goods go back to"):
        move(case, "accept", who["farmer"])
    assert AfterSale.objects.get(pk=case.pk).status == S.REQUESTED
    accepted = move(case, "accept", who["farmer"], return_address=ADDRESS)
    assert accepted.return_address == ADDRESS
    refund_only = ask(order, honey, kind=AfterSale.Kind.REFUND)
    # A refund only needs no address: granting it refunds at once.
    assert move(refund_only, "accept", who["farmer"]).status == S.REFUNDED
