"""In-app and e-mail notifications, delivered through an outbox."""
