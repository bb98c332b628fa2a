"""Templates read the signed-in user's role from the `role` flags
(accounts.context_processors.role), computed once per request: no template
compares role strings."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory

from accounts.context_processors import role
from accounts.models import Role
from tests.factories import UserFactory

COMPARISON = re.compile(r"\.role\s*(==|!=|\bin\b)")


def test_no_template_compares_a_role():
    templates = Path(settings.BASE_DIR, "templates").rglob("*.html")
    found = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for path in templates
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if COMPARISON.search(line)
    ]
    assert found == []


@pytest.mark.django_db
@pytest.mark.parametrize("value", Role.values)
def test_the_flags_name_the_users_role_only(value):
    request = RequestFactory().get("/")
    request.user = UserFactory(role=value)
    flags = role(request)["role"]
    assert flags == {other: other == value for other in Role.values}


def test_anonymous_visitors_have_no_role():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert not any(role(request)["role"].values())
