"""Assistants: assignments, training, visits, income surveys and listing review."""
