"""Notifications: in-app and e-mail notifications, delivered through an outbox (a side
service)."""
