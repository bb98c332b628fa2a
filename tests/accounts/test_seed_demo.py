"""seed_demo is deterministic and idempotent, and makes one demo login per role."""

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from accounts.demo import DEMO_PASSWORD
from accounts.models import Role, User
from counties.models import County, PovertyLine

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    """Every row of every model of our apps, as plain values."""
    ours = {"accounts", "counties", "farmers", "assistants", "orders", "reports"}
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in ours:
            rows[model._meta.label] = sorted(
                model.objects.values_list(), key=lambda row: str(row)
            )
    return rows


def test_seed_demo_twice_changes_nothing(capsys):
    call_command("seed_demo")
    first = snapshot()
    call_command("seed_demo")
    assert snapshot() == first
    assert "demo_official" in capsys.readouterr().out


def test_seed_demo_creates_county_c_and_a_login_per_role():
    call_command("seed_demo")
    county_c = County.objects.get(name="County C")
    assert county_c.villages.count() >= 3
    assert PovertyLine.objects.filter(county__isnull=True).exists()
    for role in Role:
        user = User.objects.get(role=role, username__startswith="demo_")
        assert user.check_password(DEMO_PASSWORD)
    official = User.objects.get(username="demo_official")
    assert list(official.counties.all()) == [county_c]
    assert User.objects.get(username="demo_staff").is_staff


def test_seed_demo_accepts_the_county_c_preset_and_refuses_unknown_ones(capsys):
    call_command("seed_demo", preset="county-c-2018")
    assert "county-c-2018" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("seed_demo", "--preset", "galaxy")
