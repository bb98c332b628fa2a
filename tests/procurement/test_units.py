"""Work units: staff register one and its first admin joins by link, admins
invite buyers (a link works once, until it expires or is withdrawn; a buyer
belongs to one unit; only buyers join), remove members (never the last admin,
after a confirmation), and set the year's budget (bad figures are refused on
the page and change nothing); members land on /units/; officials see their
counties' units only; the page's query count does not grow with the members.
Every change is in the audit trail."""

import html
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.selectors import home_url_for
from audit.models import AuditEvent
from procurement.models import UnitBudget, UnitInvite, UnitMember, WorkUnit
from procurement.selectors import invite_by_token
from procurement.services.units import (
    invite_create,
    invite_withdraw,
    member_remove,
    unit_register,
)
from tests.factories import CountyFactory, UserFactory
from tests.procurement.conftest import joined

pytestmark = pytest.mark.django_db
A = AuditEvent.Action


def text(response) -> str:
    return html.unescape(response.content.decode())


def english(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def test_staff_register_a_unit_and_its_first_admin_joins_by_the_link(staff):
    county = CountyFactory()
    client = english(staff)
    response = client.post(
        reverse("procurement:unit_new"),
        {
            "name": "县人民政府",
            "name_en": "",
            "kind": "government",
            "county": county.pk,
        },
    )
    assert response.status_code == 200
    unit = WorkUnit.objects.get(name="县人民政府")
    link = response.context["link"]
    assert "shown only now" in response.content.decode()
    assert UnitInvite.objects.get(unit=unit).token_hash not in link  # never stored
    path = link.split("testserver", 1)[1]
    visitor = english()
    page = visitor.get(path).content.decode()
    assert "Sign up" in page and "Unit admin" in page
    admin = UserFactory(role=Role.BUYER)
    joined_page = english(admin).post(path, follow=True)
    assert "Welcome: you now belong to" in joined_page.content.decode()
    member = UnitMember.objects.get(user=admin)
    assert (member.unit, member.role) == (unit, "admin")
    assert home_url_for(admin) == reverse("procurement:home") == "/units/"
    assert english(UserFactory(role=Role.BUYER)).get(path).status_code == 404  # used
    assert set(
        AuditEvent.objects.filter(county=county).values_list("action", flat=True)
    ) == {A.UNIT_CREATED, A.UNIT_MEMBER_JOINED}


def test_a_buyer_outside_every_unit_still_lands_on_their_orders():
    assert home_url_for(UserFactory(role=Role.BUYER)) == reverse("orders:home")


def test_a_link_works_once_and_not_after_it_expires_or_is_withdrawn(unit_and_admin):
    unit, admin = unit_and_admin
    token = invite_create(unit=unit, role="buyer", note="食堂", actor=admin)
    first, second = UserFactory(), UserFactory()
    url = reverse("procurement:join", args=[token])
    english(first).post(url)
    assert UnitMember.objects.filter(user=first, unit=unit, role="buyer").exists()
    assert english(second).post(url).status_code == 404
    assert not UnitMember.objects.filter(user=second).exists()

    late = invite_create(unit=unit, role="buyer", note="", actor=admin)
    UnitInvite.objects.filter(note="").exclude(used_at__isnull=False).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert invite_by_token(late) is None
    withdrawn = invite_create(unit=unit, role="buyer", note="x", actor=admin)
    invite_withdraw(invite=invite_by_token(withdrawn), actor=admin)
    response = english(second).get(reverse("procurement:join", args=[withdrawn]))
    assert response.status_code == 404
    assert "does not work" in response.content.decode()
    assert english(second).get("/units/join/" + "x" * 500 + "/").status_code == 404


def test_a_buyer_belongs_to_one_unit_and_only_buyers_join(unit_and_admin, staff):
    unit, admin = unit_and_admin
    other, _token = unit_register(
        name="总工会", name_en="", kind="trade_union", county=unit.county, actor=staff
    )
    buyer = joined(unit, by=admin).user
    token = invite_create(unit=other, role="buyer", note="", actor=staff)
    response = english(buyer).post(
        reverse("procurement:join", args=[token]), follow=True
    )
    assert "a buyer belongs to one unit only" in response.content.decode()
    assert UnitMember.objects.get(user=buyer).unit == unit
    assert invite_by_token(token) is not None  # the refusal did not use the link
    farmer = UserFactory(role=Role.FARMER)
    response = english(farmer).post(
        reverse("procurement:join", args=[token]), follow=True
    )
    assert "Only a buyer's account can join" in text(response)
    assert not UnitMember.objects.filter(user=farmer).exists()


def test_only_admins_invite_and_remove(unit_and_admin):
    unit, admin = unit_and_admin
    buyer = joined(unit, by=admin).user
    with pytest.raises(ValidationError):
        invite_create(unit=unit, role="buyer", note="", actor=buyer)
    response = english(buyer).post(
        reverse("procurement:invite_new", args=[unit.pk]),
        {"role": "admin"},
        follow=True,
    )
    assert "Only the unit's admins can do this." in text(response)
    assert UnitInvite.objects.filter(unit=unit, used_at__isnull=True).count() == 0


def test_removing_takes_a_confirmation_and_never_the_last_admin(unit_and_admin):
    unit, admin = unit_and_admin
    member = joined(unit, by=admin)
    client = english(admin)
    url = reverse("procurement:member_remove", args=[unit.pk, member.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Yes, remove" in confirm.content.decode()
    assert UnitMember.objects.filter(pk=member.pk).exists()  # a GET removes nobody
    client.post(url)
    assert not UnitMember.objects.filter(pk=member.pk).exists()
    own = UnitMember.objects.get(user=admin)
    response = client.post(
        reverse("procurement:member_remove", args=[unit.pk, own.pk]), follow=True
    )
    assert "A unit needs an admin" in response.content.decode()
    assert UnitMember.objects.filter(pk=own.pk).exists()
    with pytest.raises(ValidationError):
        member_remove(member=own, actor=admin)
    removed = AuditEvent.objects.filter(action=A.UNIT_MEMBER_REMOVED)
    assert removed.count() == 1 and removed.get().before["user"] == member.user.username


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": "-1"}, "Ensure this value is greater than or equal to 0."),
        ({"amount": "NaN"}, "Enter a number."),
        ({"amount": "1e30"}, "Ensure that there are no more than 12 digits in total."),
        ({"amount": "0.001"}, "Ensure that there are no more than 2 decimal places."),
        ({"year": "1999"}, "Ensure this value is greater than or equal to 2000."),
        ({"year": "x"}, "Enter a whole number."),
    ],
)
def test_a_bad_budget_is_refused_on_the_page_and_changes_nothing(
    unit_and_admin, changes, message
):
    unit, admin = unit_and_admin
    response = english(admin).post(
        reverse("procurement:budget_set", args=[unit.pk]),
        {"year": "2026", "amount": "50000", **changes},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not UnitBudget.objects.exists()
    assert not AuditEvent.objects.filter(action=A.UNIT_BUDGET_SET).exists()


def test_the_budget_is_set_then_replaced_and_both_are_audited(unit_and_admin):
    unit, admin = unit_and_admin
    url = reverse("procurement:budget_set", args=[unit.pk])
    client = english(admin)
    client.post(url, {"year": "2026", "amount": "50000"})
    client.post(url, {"year": "2026", "amount": "80000.50"})
    assert str(UnitBudget.objects.get(unit=unit, year=2026).amount) == "80000.50"
    events = AuditEvent.objects.filter(action=A.UNIT_BUDGET_SET).order_by("pk")
    assert [e.after["amount"] for e in events] == ["50000.00", "80000.50"]
    assert events.last().before == {"amount": "50000.00"}


def test_officials_see_their_counties_units_only(unit_and_admin):
    unit, _admin = unit_and_admin
    inside = UserFactory(role=Role.OFFICIAL)
    inside.counties.add(unit.county)
    outside = UserFactory(role=Role.OFFICIAL)
    outside.counties.add(CountyFactory())
    url = reverse("procurement:unit", args=[unit.pk])
    assert english(inside).get(url).status_code == 200
    assert english(outside).get(url).status_code == 404
    listed = english(outside).get(reverse("procurement:units"))
    assert list(listed.context["page_obj"]) == []
    assert list(
        english(inside).get(reverse("procurement:units")).context["page_obj"]
    ) == [unit]


def test_the_units_page_costs_the_same_queries_however_many_members(unit_and_admin):
    unit, admin = unit_and_admin
    client = english(admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/units/")
        assert response.status_code == 200
        return len(captured)

    joined(unit, by=admin)
    invite_create(unit=unit, role="buyer", note="a", actor=admin)
    few = queries()
    for n in range(12):
        joined(unit, by=admin)
        invite_create(unit=unit, role="buyer", note=f"n{n}", actor=admin)
    assert queries() == few
