"""Assistants: their profiles, assignments to farmers (the one "assigned farmers" rule
and the scopes that follow it), onboarding, my farmers, the officials' assignment
page and the people API."""
