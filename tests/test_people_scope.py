import pytest
from accounts.models import Role
from tests.factories import AssistantFactory, farmer_of, CountyFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_probe(client):
    a = AssistantFactory()
    f = farmer_of(a)
    off = UserFactory(role=Role.OFFICIAL)
    off.counties.add(a.county)
    client.force_login(off)
    for url in [
        "/assistant/assignments/?county=abc",
        "/assistant/assignments/?county=99999999999999999999999",
        "/api/farmers/?county=99999999999999999999999",
        "/api/farmers/?county=abc",
        "/api/assignments/?farmer=99999999999999999999999",
        "/api/assignments/?farmer=abc",
        "/api/households/?village=99999999999999999999999",
        "/api/households/?registration_year=99999999999999999999999",
        "/api/farmers/?cursor=zzz",
        "/api/farmers/?page_size=abc",
        "/assistant/farmers/?page=99999999999999999999999",
        "/api/farmers/999999999999999999/",
        "/api/farmers/99999999999999999999999/",
        "/assistant/farmers/999999999999999999/",
    ]:
        try:
            r = client.get(url)
            print(url, r.status_code, r.content[:200] if r.status_code >= 400 else "")
        except Exception as e:
            print(url, "EXC", repr(e)[:200])
    client.force_login(a.user)
    for url in [
        "/assistant/farmers/?page=99999999999999999999999",
        "/assistant/farmers/?q=%00",
    ]:
        try:
            r = client.get(url)
            print(url, r.status_code)
        except Exception as e:
            print(url, "EXC", repr(e)[:200])
