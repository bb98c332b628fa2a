"""Reads about users: where each role lands after signing in."""

from django.urls import reverse

from accounts.models import Role

ROLE_HOME_URL_NAMES = {
    Role.BUYER: "orders:home",
    Role.FARMER: "farmers:home",
    Role.ASSISTANT: "assistants:home",
    Role.OFFICIAL: "reports:home",
    Role.STAFF: "admin:index",
}


def home_url_for(user) -> str:
    """The page a signed-in user lands on: their role's home."""
    return reverse(ROLE_HOME_URL_NAMES[Role(user.role)])
