"""What each notification says, in the reader's language: the text and link come
from the renderer the kind's own app registers (orders the order kinds, fieldwork
the farmer needing help), and notifications imports neither."""

import ast
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from catalogue.models import ProductStatus
from notifications.messages import register, render
from notifications.models import Notification
from orders.services.transitions import order_ship
from tests.factories import (
    AssistantFactory,
    ProductFactory,
    farmer_of,
    order_pay,
    place_order,
)

K = Notification.Kind
NOTIFICATIONS = Path(__file__).resolve().parents[2] / "notifications"
# notifications is a side service: it may import these of the project's apps.
ALLOWED = {"accounts", "counties", "common", "notifications"}
PROJECT_APPS = ALLOWED | {"farmers", "assistants", "catalogue", "orders"}
PROJECT_APPS |= {"fieldwork", "reports", "audit", "demo", "config"}


@pytest.fixture
def sent(db):
    """One notification of each kind, about a farmer and their shipped order."""
    assistant = AssistantFactory()
    farmer = farmer_of(assistant, shop_name="秀英的茶")
    product = ProductFactory(
        status=ProductStatus.ACTIVE, farmer=farmer, price=Decimal("12.50")
    )
    order = order_pay(order=place_order(product=product))
    order_ship(
        order=order, actor=farmer.user, carrier="ems", tracking_number="1123456789012"
    )
    order.refresh_from_db()
    about = {"farmer": farmer, "order": order}
    return about, {
        K.FARMER_NEEDS_HELP: Notification(
            recipient=assistant.user, kind=K.FARMER_NEEDS_HELP, farmer=farmer
        ),
        K.ORDER_PAID: Notification(recipient=farmer.user, kind=K.ORDER_PAID),
        K.FARMER_ORDER_PAID: Notification(
            recipient=assistant.user, kind=K.FARMER_ORDER_PAID
        ),
        K.ORDER_SHIPPED: Notification(recipient=order.buyer, kind=K.ORDER_SHIPPED),
    }


def _rendered(notification, **about):
    for name, value in about.items():
        setattr(notification, name, value)
    message = render(notification)
    return message.title, message.text, message.url


def test_every_kind_says_what_it_said(sent):
    about, notifications = sent
    farmer, order = about["farmer"], about["order"]
    help_ = notifications[K.FARMER_NEEDS_HELP]
    help_.reason = "no_listing"
    to_order = f"/orders/{order.pk}/"
    with translation.override("en"):
        assert _rendered(help_) == (
            "A farmer needs help",
            "秀英的茶 needs help: No active listing.",
            f"/assistant/farmers/{farmer.pk}/",
        )
        assert _rendered(notifications[K.ORDER_PAID], order=order) == (
            "A new order to ship",
            f"Order {order.number} (¥12.50) is paid. Please ship it within 48 hours.",
            to_order,
        )
        assert _rendered(notifications[K.FARMER_ORDER_PAID], order=order) == (
            "Your farmer has a new order",
            f"秀英的茶 has a paid order {order.number} (¥12.50) to ship.",
            to_order,
        )
        assert _rendered(notifications[K.ORDER_SHIPPED], order=order) == (
            "Your order has shipped",
            f"Your order {order.number} from 秀英的茶 has shipped: "
            "EMS (中国邮政 EMS), tracking number 1123456789012.",
            to_order,
        )
    with translation.override("zh-hans"):
        assert _rendered(help_)[:2] == (
            "有农户需要帮扶",
            "秀英的茶需要帮扶：没有在售商品。",
        )
        assert _rendered(notifications[K.ORDER_PAID], order=order)[1] == (
            f"订单 {order.number}（¥12.50）已付款，请在 48 小时内发货。"
        )


def test_a_help_reason_without_a_rule_is_shown_as_it_is(sent):
    about, notifications = sent
    help_ = notifications[K.FARMER_NEEDS_HELP]
    help_.reason = "gone_rule"
    with translation.override("en"):
        assert _rendered(help_)[1] == "秀英的茶 needs help: gone_rule."


def test_only_known_kinds_can_be_registered():
    with pytest.raises(ValueError):
        register("no_such_kind", lambda notification: ("", ""))


def test_notifications_import_no_feature_app():
    imported = set()
    for path in NOTIFICATIONS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported.add(node.module.split(".")[0])
    assert imported & PROJECT_APPS <= ALLOWED
