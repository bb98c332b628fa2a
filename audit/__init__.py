"""Audit: the append-only trail of sensitive changes, listing changes included (a side
service)."""
