"""The broker goes down: an order placed meanwhile still succeeds, its notification
waits in the outbox, and once Redis is back the outbox job (run by a real worker,
as beat would send it) delivers it. Nothing is lost."""

import pytest
from django.core import mail

from farmers.models import ProductStatus
from notifications.models import Notification
from notifications.tasks import deliver_notification_outbox
from orders.models import OrderStatus, PaymentProviderCode
from tests.factories import ProductFactory, place_order
from tests.services.stack import (
    STARTUP_SECONDS,
    running,
    start_redis,
    stop_redis,
    wait_for,
)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_an_order_placed_while_redis_is_down_is_notified_when_it_returns(
    stack_env, tmp_path
):
    product = ProductFactory(status=ProductStatus.ACTIVE)
    stop_redis()
    try:
        # Pay on delivery: placed and confirmed at once, so the farmer is told.
        order = place_order(
            product=product, quantity=2, provider=PaymentProviderCode.ON_DELIVERY
        )
    finally:
        start_redis()
    assert order.status == OrderStatus.PAID
    notification = Notification.objects.get(order=order)
    assert notification.recipient == product.farmer.user
    assert notification.email == Notification.Email.PENDING
    assert mail.outbox == []

    log = tmp_path / "worker.log"
    with running("worker", stack_env, log) as worker:
        wait_for(lambda: "ready." in log.read_text(), worker, log)
        sent = deliver_notification_outbox.delay().get(timeout=STARTUP_SECONDS)
    notification.refresh_from_db()
    assert sent == 1
    assert notification.email == Notification.Email.SENT
    assert notification.emailed_at is not None
    # The console mail backend in the worker printed it.
    assert order.number in log.read_text()
