"""factory_boy factories shared by the test suite."""

from decimal import Decimal

import factory

from accounts.models import Role, User
from counties.models import County, PovertyLine, PovertyLineMethod, Village


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County

    name = factory.Sequence(lambda n: f"Test County {n}")
    code = factory.Sequence(lambda n: f"{100000 + n:06d}")
    province = "Guizhou"
    is_key_poverty_county = True


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    county = factory.SubFactory(CountyFactory)
    name = factory.Sequence(lambda n: f"Village {n}")


class PovertyLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PovertyLine

    county = None
    year = 2018
    method = PovertyLineMethod.ABSOLUTE
    amount = Decimal("2995.00")
    source_note = "test"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    role = Role.BUYER
    is_staff = factory.LazyAttribute(lambda u: u.role == Role.STAFF)
    password = factory.django.Password("correct-horse-battery-9")
