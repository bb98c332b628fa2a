"""Every path that locks a payment and its orders takes the payment first (the
lock order in docs/ARCHITECTURE.md), so a cancel or a refund never deadlocks with
a payment callback on the same checkout. Read from the SQL on PostgreSQL, where
SELECT … FOR UPDATE is real."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from catalogue.models import ProductStatus
from orders.services.transitions import order_cancel, order_refund
from tests.factories import ProductFactory, UserFactory, order_pay, place_order

pytestmark = [pytest.mark.services, pytest.mark.django_db]


def locked_tables(queries) -> list[str]:
    """The tables of each SELECT … FOR UPDATE, in order."""
    tables = []
    for query in queries:
        sql = query["sql"]
        if "FOR UPDATE" in sql:
            tables.append(re.search(r'FROM "(\w+)"', sql).group(1))
    return tables


@pytest.mark.parametrize("close", [order_cancel, order_refund])
def test_closing_a_paid_order_locks_its_payment_before_it(close):
    product = ProductFactory(status=ProductStatus.ACTIVE, stock=5)
    order = order_pay(order=place_order(product=product))
    actor = order.buyer if close is order_cancel else UserFactory(role=Role.STAFF)
    with CaptureQueriesContext(connection) as queries:
        close(order=order, actor=actor)
    tables = locked_tables(queries.captured_queries)
    assert tables[0] == "orders_payment"
    assert tables.index("orders_payment") < tables.index("orders_order")
