"""Signals the orders app sends to the apps above it.

`sale_changed` is sent by every order transition and by `record_paid`, inside the
transaction that changed the order (which has marked its sale day dirty:
orders.services.dirty_days), with `order=` the order as it now is. The reports
app listens (reports/apps.py) to rebuild at once in embedded mode: orders do not
import reports, which sit above them (they read orders)."""

from django.dispatch import Signal

sale_changed = Signal()
