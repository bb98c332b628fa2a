"""The ledger listens to the orders app's money signals (orders.signals). Each
receiver runs inside the transaction that made the change, so an order and its
entries commit together or not at all."""

from orders import signals
from settlement.services import earnings


def _payment_received(sender, payment, **kwargs):
    earnings.payment_received(payment)


def _account_paid(sender, payment, amount, **kwargs):
    earnings.account_paid(payment, amount)


def _order_completed(sender, order, **kwargs):
    earnings.order_completed(order)


def _refund_sent(sender, refund, **kwargs):
    earnings.refund_sent(refund)


def _refund_failed(sender, refund, **kwargs):
    earnings.refund_failed(refund)


def connect() -> None:
    signals.payment_received.connect(_payment_received, dispatch_uid="ledger.paid")
    signals.account_paid.connect(_account_paid, dispatch_uid="ledger.account")
    signals.order_completed.connect(_order_completed, dispatch_uid="ledger.earned")
    signals.refund_sent.connect(_refund_sent, dispatch_uid="ledger.refund")
    signals.refund_failed.connect(_refund_failed, dispatch_uid="ledger.unrefund")
