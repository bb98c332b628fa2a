"""Signals the orders app sends to the apps above it, each inside the transaction
that made the change, so a receiver's writes commit or roll back with it. Orders
do not import the apps above them, which read orders.

- `sale_changed`, `order=`: sent by every order transition and by `record_paid`
  (the order's sale day is already marked dirty: orders.services.dirty_days). The
  reports app listens to rebuild at once in embedded mode.
- `payment_received`, `payment=`: an online payment took money (its
  transaction id is set), including a second payment that is refunded whole.
- `account_paid`, `payment=`, `amount=`: staff recorded a unit's transfer of
  `amount` paying for the goods it took on account (the payment's amount less
  what was credited before).
- `order_completed`, `order=`: the buyer confirmed receipt, or the platform
  completed the order after the confirmation period.
- `refund_sent`, `refund=`: money was sent back (a `Refund`, in progress or done).
- `refund_failed`, `refund=`: the gateway reported that a refund in progress
  failed; the money stayed.

The settlement app posts its ledger entries from the last five."""

from django.dispatch import Signal

sale_changed = Signal()
payment_received = Signal()
account_paid = Signal()
order_completed = Signal()
refund_sent = Signal()
refund_failed = Signal()
