"""Assistants: assignments, training, household visits, income surveys and listing review."""
