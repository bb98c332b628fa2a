"""The assistant's dashboard: each "needs help" rule on crafted data, the figures,
a constant query count from 5 to 60 farmers, and idempotent nightly alerts."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalogue.models import Product, ProductStatus
from fieldwork.help import dashboard_farmers, help_reasons
from fieldwork.models import Attendance, HelpCase, TrainingSession, Visit
from fieldwork.services import help_alerts_run
from notifications.models import Notification
from orders.models import Order
from orders.services.transitions import order_ship
from tests.factories import (
    AssistantFactory,
    ProductFactory,
    farmer_of,
    order_pay,
    place_order,
)

pytestmark = pytest.mark.django_db


def healthy(assistant):
    """A farmer who needs no help: listed, sold this week, visited this quarter."""
    farmer = farmer_of(assistant)
    product = ProductFactory(status=ProductStatus.ACTIVE, farmer=farmer, stock=50)
    order_pay(order=place_order(product=product))
    order = Order.objects.get(farmer=farmer)
    order_ship(order=order, actor=farmer.user, carrier="other", tracking_number="E1234")
    Visit.objects.create(
        assistant=assistant,
        household=farmer.household,
        visited_on=timezone.localdate(),
        purpose="follow_up",
    )
    return farmer, product


def reasons_of(assistant, farmer) -> set[str]:
    row = dashboard_farmers(assistant.user).get(pk=farmer.pk)
    return {rule.code for rule in help_reasons(row)}


def test_a_healthy_farmer_needs_no_help():
    assistant = AssistantFactory()
    farmer, _product = healthy(assistant)
    assert reasons_of(assistant, farmer) == set()


def test_no_active_listing():
    assistant = AssistantFactory()
    farmer, product = healthy(assistant)
    Product.objects.filter(pk=product.pk).update(status=ProductStatus.ARCHIVED)
    assert reasons_of(assistant, farmer) == {"no_listing"}


def test_no_sale_in_30_days():
    assistant = AssistantFactory()
    farmer, _product = healthy(assistant)
    Order.objects.filter(farmer=farmer).update(
        paid_at=timezone.now() - timedelta(days=31)
    )
    assert reasons_of(assistant, farmer) == {"no_sale"}


def test_an_order_unshipped_for_48_hours():
    assistant = AssistantFactory()
    farmer, product = healthy(assistant)
    late = order_pay(order=place_order(product=product))
    assert reasons_of(assistant, farmer) == set()
    Order.objects.filter(pk=late.pk).update(
        paid_at=timezone.now() - timedelta(hours=49)
    )
    assert reasons_of(assistant, farmer) == {"unshipped"}


def test_best_seller_out_of_stock():
    assistant = AssistantFactory()
    farmer, product = healthy(assistant)
    ProductFactory(status=ProductStatus.ACTIVE, farmer=farmer, stock=0)  # never sold
    assert reasons_of(assistant, farmer) == set()
    Product.objects.filter(pk=product.pk).update(stock=0)
    assert reasons_of(assistant, farmer) == {"best_seller_out"}


def test_no_visit_this_quarter():
    assistant = AssistantFactory()
    farmer, _product = healthy(assistant)
    today = timezone.localdate()
    quarter_start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    Visit.objects.update(visited_on=quarter_start - timedelta(days=1))
    assert reasons_of(assistant, farmer) == {"no_visit"}


def test_figures():
    assistant = AssistantFactory()
    farmer, product = healthy(assistant)
    ProductFactory(status=ProductStatus.ACTIVE, farmer=farmer, stock=3)
    ProductFactory(status=ProductStatus.PENDING, farmer=farmer)
    order = Order.objects.get(farmer=farmer)
    Order.objects.filter(pk=order.pk).update(
        paid_at=timezone.now() - timedelta(days=40)
    )
    recent = order_pay(order=place_order(product=product, quantity=2))
    session = TrainingSession.objects.create(
        assistant=assistant,
        held_on=date(2026, 3, 1),
        hours=2,
        location="村委会",
        topics=["pricing"],
    )
    Attendance.objects.create(session=session, farmer=farmer)
    row = dashboard_farmers(assistant.user).get(pk=farmer.pk)
    assert row.sales_30d == recent.total
    assert row.sales_prior_30d == order.total
    assert (row.to_ship, row.overdue_orders) == (1, 0)
    assert (row.active_listings, row.low_stock, row.out_of_stock) == (2, 1, 0)
    assert (row.awaiting_review, row.rejected) == (1, 0)
    assert row.last_training == date(2026, 3, 1)
    assert row.last_visit == timezone.localdate()


def test_needing_help_comes_first_and_only_own_farmers():
    assistant = AssistantFactory()
    fine, _ = healthy(assistant)
    struggling = farmer_of(assistant)
    stranger = farmer_of(AssistantFactory())
    rows = list(dashboard_farmers(assistant.user))
    assert [row.pk for row in rows] == [struggling.pk, fine.pk]
    assert stranger.pk not in [row.pk for row in rows]


def _farmers(assistant, count):
    for _ in range(count):
        farmer, product = healthy(assistant)
        ProductFactory(status=ProductStatus.PENDING, farmer=farmer)


def test_dashboard_page_queries_are_constant_from_5_to_60_farmers(client):
    assistant = AssistantFactory()
    client.force_login(assistant.user)
    _farmers(assistant, 5)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("fieldwork:home")).status_code == 200
    _farmers(assistant, 55)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("fieldwork:home"))
    assert response.status_code == 200
    assert len(many) == len(few)


def test_alerts_open_once_and_close_when_cleared(django_capture_on_commit_callbacks):
    assistant = AssistantFactory()
    farmer, product = healthy(assistant)
    Product.objects.filter(pk=product.pk).update(status=ProductStatus.ARCHIVED)
    with django_capture_on_commit_callbacks(execute=True):
        first = help_alerts_run()
    assert (first.opened, first.closed) == (1, 0)
    again = help_alerts_run()
    assert (again.opened, again.closed) == (0, 0)
    alerts = Notification.objects.filter(kind=Notification.Kind.FARMER_NEEDS_HELP)
    assert alerts.count() == 1
    alert = alerts.get()
    assert (alert.recipient, alert.farmer, alert.reason) == (
        assistant.user,
        farmer,
        "no_listing",
    )
    assert alert.email == Notification.Email.SENT
    Product.objects.filter(pk=product.pk).update(status=ProductStatus.ACTIVE)
    cleared = help_alerts_run()
    assert cleared.closed == 1
    assert not HelpCase.objects.filter(closed_at__isnull=True).exists()
    # It comes back: a new case, a new alert.
    Product.objects.filter(pk=product.pk).update(status=ProductStatus.ARCHIVED)
    assert help_alerts_run().opened == 1
    assert alerts.count() == 2


def test_the_alert_task_is_idempotent():
    from fieldwork.tasks import alert_farmers_needing_help

    assistant = AssistantFactory()
    farmer_of(assistant)  # no listing, no sale, no visit
    assert alert_farmers_needing_help() == {"opened": 3, "closed": 0}
    assert alert_farmers_needing_help() == {"opened": 0, "closed": 0}
    assert Notification.objects.count() == 3


def test_unassigned_farmers_raise_no_alert():
    from tests.factories import FarmerFactory

    FarmerFactory()
    assert help_alerts_run().opened == 0
    assert not HelpCase.objects.exists()


def test_a_reassigned_farmers_cases_move_to_the_new_assistant():
    from assistants.services import assignment_assign

    first, second = AssistantFactory(), AssistantFactory()
    farmer = farmer_of(first)
    assert help_alerts_run().opened == 3
    second.county = first.county
    second.save()
    assignment_assign(farmer=farmer, assistant=second, assigned_by=second.user)
    run = help_alerts_run()
    assert (run.opened, run.closed) == (3, 3)
    assert set(
        Notification.objects.filter(farmer=farmer).values_list("recipient", flat=True)
    ) == {first.user.pk, second.user.pk}
    assert help_alerts_run().opened == 0
