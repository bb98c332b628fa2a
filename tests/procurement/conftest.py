"""A work unit with its admin, made through the services (as the pages do)."""

import pytest

from accounts.models import Role
from procurement.selectors import invite_by_token
from procurement.services.units import invite_accept, invite_create, unit_register
from tests.factories import CountyFactory, UserFactory


def joined(unit, role="buyer", *, by, user=None):
    """`user` (a new buyer unless given) joins `unit` through an invitation
    `by` makes; returns the membership."""
    token = invite_create(unit=unit, role=role, note="", actor=by)
    return invite_accept(invite=invite_by_token(token), user=user or UserFactory())


@pytest.fixture
def staff():
    return UserFactory(role=Role.STAFF)


@pytest.fixture
def unit_and_admin(staff):
    """A school in a Guizhou county, and its first admin (joined by its link)."""
    unit, token = unit_register(
        name="县第一中学",
        name_en="County No. 1 Middle School",
        kind="school",
        county=CountyFactory(province="贵州省"),
        actor=staff,
    )
    admin = UserFactory(role=Role.BUYER)
    invite_accept(invite=invite_by_token(token), user=admin)
    return unit, admin
