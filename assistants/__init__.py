"""Assistants: their profiles, assignments to farmers (the one "assigned farmers"
rule), onboarding, my farmers, the officials' assignment page and listing
review."""
