"""Signals the orders app sends to the apps above it.

`sale_changed` is sent by every order transition and by `record_paid`, inside the
transaction that changed the order, with `order=` the order as it now is. The
reports app listens (reports/apps.py) to mark the order's sale day for a rollup
rebuild: orders do not import reports, which sit above them (they read orders)."""

from django.dispatch import Signal

sale_changed = Signal()
