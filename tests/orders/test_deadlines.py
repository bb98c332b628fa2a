"""Shipped orders the buyer never confirms: the buyer is told once, a day before,
and the platform completes them ORDER_AUTO_COMPLETE_DAYS after shipping, which is
when the farmer earns; an order confirmed, refunded or not yet due is left alone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.messages import render
from notifications.models import Notification
from orders.models import Order, OrderEvent, OrderStatus
from orders.services.deadlines import complete_unconfirmed_orders, warn_completion_soon
from orders.services.transitions import order_ship
from orders.tasks import complete_unconfirmed_orders as task
from settlement.models import Entry
from tests.factories import order_pay, place_order

pytestmark = pytest.mark.django_db


def shipped(days_ago: float) -> Order:
    order = order_pay(order=place_order())
    order = order_ship(
        order=order, actor=order.farmer.user, carrier="other", tracking_number="E0001"
    )
    Order.objects.filter(pk=order.pk).update(
        shipped_at=timezone.now() - timedelta(days=days_ago)
    )
    order.refresh_from_db()
    return order


def test_the_buyer_is_told_once_a_day_before(settings):
    settings.ORDER_AUTO_COMPLETE_DAYS = 10
    settings.ORDER_AUTO_COMPLETE_NOTICE_DAYS = 1
    due_soon, not_yet = shipped(9.5), shipped(8)
    assert warn_completion_soon() == 1
    assert warn_completion_soon() == 0  # once
    told = Notification.objects.get(kind=Notification.Kind.ORDER_COMPLETES_SOON)
    assert told.recipient == due_soon.buyer and told.order == due_soon
    assert due_soon.number in render(told).text
    assert not not_yet.events.filter(type=OrderEvent.Type.AUTO_COMPLETE_SOON).exists()


def test_the_platform_completes_an_unconfirmed_order_and_the_farmer_earns(settings):
    settings.ORDER_AUTO_COMPLETE_DAYS = 10
    due, not_yet = shipped(10.1), shipped(9.9)
    assert complete_unconfirmed_orders() == 1
    assert complete_unconfirmed_orders() == 0
    due.refresh_from_db()
    assert due.status == OrderStatus.COMPLETED and due.completed_at
    event = due.events.get(type=OrderEvent.Type.COMPLETED)
    assert event.actor is None  # the platform
    assert Entry.objects.filter(kind="earning", order=due).exists()
    not_yet.refresh_from_db()
    assert not_yet.status == OrderStatus.SHIPPED


def test_the_task_tells_then_completes(settings):
    settings.ORDER_AUTO_COMPLETE_DAYS = 10
    shipped(9.5)
    due = shipped(11)
    assert task() == 1
    told = Notification.objects.filter(kind=Notification.Kind.ORDER_COMPLETES_SOON)
    assert told.count() == 1  # the one already due is completed, not warned
    due.refresh_from_db()
    assert due.status == OrderStatus.COMPLETED
