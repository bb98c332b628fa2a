"""The suite really runs on PostgreSQL in CI, with its constraints enforced there."""

import pytest
from django.db import IntegrityError, connection, transaction

from accounts.models import Role

pytestmark = [pytest.mark.services, pytest.mark.django_db]


def test_the_database_is_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        assert int(cursor.fetchone()[0]) >= 150000


def test_usernames_and_emails_are_unique_ignoring_case(make_user):
    make_user(username="Zhang", email="Zhang@Example.com", role=Role.BUYER)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_user(username="zhang", email="other@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_user(username="zhang2", email="zhang@example.com")
    # Farmers without e-mail do not collide with each other.
    make_user(username="farmer1", email="", role=Role.FARMER)
    make_user(username="farmer2", email="", role=Role.FARMER)
