"""Text messages (SMS): the outbox, its limits and quiet hours, its backends."""
