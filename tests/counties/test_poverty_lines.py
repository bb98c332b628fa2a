"""poverty_line_for: the county's own line (absolute or percentage), else national."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from accounts.models import Role
from counties.models import PovertyLineMethod
from counties.selectors import PovertyLineNotSet, counties_visible_to, poverty_line_for
from tests.factories import CountyFactory, PovertyLineFactory

pytestmark = pytest.mark.django_db


def test_county_absolute_line_wins_over_the_national_line():
    county = CountyFactory()
    PovertyLineFactory(county=None, year=2019, amount=Decimal("3218"))
    PovertyLineFactory(county=county, year=2019, amount=Decimal("3600"))
    line = poverty_line_for(county, 2019)
    assert line.amount == Decimal("3600")
    assert line.method == PovertyLineMethod.ABSOLUTE
    assert line.is_national is False
    assert "3600" in line.describe()


def test_percentage_line_is_a_share_of_the_reference_income():
    county = CountyFactory(province="Zhejiang")
    PovertyLineFactory(county=None, year=2011, amount=Decimal("2536"))
    PovertyLineFactory(
        county=county,
        year=2011,
        method=PovertyLineMethod.PERCENTAGE,
        amount=None,
        percentage=Decimal("45"),
        reference_income=Decimal("10222.23"),
    )
    line = poverty_line_for(county, 2011)
    assert line.amount == Decimal("4600.00")  # 45% of 10,222.23 = 4,600.0035
    assert line.method == PovertyLineMethod.PERCENTAGE
    assert "45%" in line.describe()


def test_a_county_without_its_own_line_falls_back_to_the_national_line():
    county, other = CountyFactory(), CountyFactory()
    PovertyLineFactory(county=None, year=2018, amount=Decimal("2995"))
    PovertyLineFactory(county=other, year=2018, amount=Decimal("9999"))
    PovertyLineFactory(county=county, year=2017, amount=Decimal("8888"))
    line = poverty_line_for(county, 2018)
    assert (line.amount, line.is_national) == (Decimal("2995"), True)


def test_no_line_at_all_is_a_clear_error():
    county = CountyFactory()
    PovertyLineFactory(county=None, year=2017)
    with pytest.raises(PovertyLineNotSet, match="2018"):
        poverty_line_for(county, 2018)


@pytest.mark.parametrize(
    "fields",
    [
        {"amount": None},
        {"method": PovertyLineMethod.PERCENTAGE},
        {"amount": Decimal("-1")},
        {
            "method": PovertyLineMethod.PERCENTAGE,
            "amount": None,
            "percentage": Decimal("120"),
            "reference_income": Decimal("1000"),
        },
    ],
)
def test_the_database_refuses_a_line_whose_fields_do_not_match_its_method(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        PovertyLineFactory(**fields)


def test_one_national_line_per_year():
    PovertyLineFactory(county=None, year=2020)
    with pytest.raises(IntegrityError), transaction.atomic():
        PovertyLineFactory(county=None, year=2020)


def test_counties_visible_to_each_role(make_user):
    mine, theirs = CountyFactory(), CountyFactory()
    official = make_user(role=Role.OFFICIAL)
    official.counties.add(mine)
    assert list(counties_visible_to(official)) == [mine]
    assert set(counties_visible_to(make_user(role=Role.STAFF))) == {mine, theirs}
    for role in (Role.BUYER, Role.FARMER, Role.ASSISTANT):
        assert not counties_visible_to(make_user(role=role)).exists()
