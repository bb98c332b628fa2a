"""seed_demo is deterministic and idempotent, and makes one demo login per role."""

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from accounts.models import Role, User
from assistants.models import Assignment, Assistant
from catalogue.models import Product, ProductStatus
from counties.models import County, PovertyLine, Village
from demo.farmers import SHOP_KINDS
from demo.management.commands import seed_demo
from demo.people import DEMO_PASSWORD, DEMO_USERS
from demo.shoppers import SMALL_REFERENCE
from farmers.models import Farmer, Household, RegisterStatus
from orders.models import Order, OrderStatus, Refund
from settlement.models import Payout, PayoutAccount, PayoutStatus

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    """Every row of every model of our apps, as plain values."""
    ours = {"accounts", "counties", "farmers", "assistants", "orders", "fieldwork"}
    ours |= {"reports", "settlement"}
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


def test_the_demo_orders_have_their_ledger_and_demo_farmer_a_payout():
    call_command("seed_demo")
    call_command("check_ledger")  # raises CommandError on any mismatch
    farmer = Farmer.objects.get(user__username="demo_farmer")
    payout = Payout.objects.get(farmer=farmer)
    assert payout.status == PayoutStatus.PAID and payout.batch.bank_reference
    # She was paid what her completed orders earned once their hold ended, less
    # refunds (no fee by default), summed here from the orders themselves.
    held = timezone.now() - timedelta(days=7)
    done = Order.objects.filter(
        farmer=farmer, status=OrderStatus.COMPLETED, completed_at__lte=held
    )
    earned = done.aggregate(t=Sum("total"))["t"]
    back = Refund.objects.filter(order__in=done).aggregate(t=Sum("amount"))["t"] or 0
    assert payout.amount == earned - back
    assert PayoutAccount.objects.get(farmer=farmer).verified


def test_seed_demo_creates_county_c_and_a_login_per_role():
    call_command("seed_demo")
    county_c = County.objects.get(code="529901")
    assert county_c.villages.count() >= 3
    assert PovertyLine.objects.filter(county__isnull=True).exists()
    for role in Role:
        user = User.objects.get(username=f"demo_{role}")
        assert user.role == role
        assert user.check_password(DEMO_PASSWORD)
    official = User.objects.get(username="demo_official")
    assert list(official.counties.all()) == [county_c]
    assert User.objects.get(username="demo_staff").is_staff


def test_small_preset_gives_the_demo_users_their_people():
    call_command("seed_demo")
    assistant = Assistant.objects.get(user__username="demo_assistant")
    assert assistant.county.code == "529901"
    farmer = Farmer.objects.get(user__username="demo_farmer")
    assert farmer.assignments.get(ended_on__isnull=True).assistant == assistant
    assert Household.objects.filter(status=RegisterStatus.REGISTERED).exists()
    assert Household.objects.filter(status=RegisterStatus.NEVER_REGISTERED).exists()
    active = Assignment.objects.filter(ended_on__isnull=True)
    assert Farmer.objects.exclude(pk__in=active.values("farmer")).count() == 1


def test_county_c_2018_preset_is_the_case_study_county_and_idempotent(
    capsys, monkeypatch
):
    # The year's orders at a fiftieth of the 10 million yuan, to keep this quick;
    # tests/orders/test_demo.py tests reaching the target.
    monkeypatch.setattr(seed_demo, "CASE_STUDY_SALES", Decimal("200000"))
    call_command("seed_demo", "--preset", "county-c-2018")
    assert "county-c-2018" in capsys.readouterr().out
    county_c = County.objects.get(code="529901")
    assistants = Assistant.objects.filter(county=county_c).annotate(
        farmers=Count("assignments", filter=Q(assignments__ended_on__isnull=True))
    )
    assert assistants.count() == 71
    assert Farmer.objects.filter(household__village__county=county_c).count() == 2000
    loads = sorted(a.farmers for a in assistants)
    assert sum(loads) == 1999  # one farmer of the small team is left unassigned
    assert 25 <= loads[0] <= loads[-1] <= 35
    assert Order.objects.filter(county=county_c, placed_at__year=2018).exists()
    counts = (
        Farmer.objects.count(),
        Household.objects.count(),
        User.objects.count(),
        Order.objects.count(),
    )
    call_command("seed_demo", "--preset", "county-c-2018")
    assert (
        Farmer.objects.count(),
        Household.objects.count(),
        User.objects.count(),
        Order.objects.count(),
    ) == counts


def test_unknown_presets_are_refused():
    with pytest.raises(CommandError):
        call_command("seed_demo", "--preset", "galaxy")


CJK = re.compile(r"^[\u4e00-\u9fff]+$")


def test_demo_places_and_people_read_naturally_in_each_language(client):
    """Demo counties and villages are Chinese on Chinese pages and English on
    English ones (the case study's county is C县, County C); demo people have
    Chinese names, so demo_farmer's shop reads "王秀英的…小店"."""
    call_command("seed_demo")
    county_c = County.objects.get(code="529901")
    villages = list(Village.objects.all())
    with override("zh-hans"):
        assert str(county_c) == "C县"
        assert all(CJK.match(v.label) for v in villages), [v.label for v in villages]
    with override("en"):
        assert str(county_c) == "County C"
        assert all(v.label.isascii() for v in villages)
    farmer = Farmer.objects.select_related("user", "household__village").get(
        user__username="demo_farmer"
    )
    for username, _role, _name in DEMO_USERS:
        assert CJK.match(User.objects.get(username=username).get_full_name())
    assert farmer.shop_name.startswith(f"{farmer.user.get_full_name()}的")
    village = farmer.household.village
    zh = client.get(f"/shop/{farmer.slug}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "C县" in zh.content.decode() and village.name in zh.content.decode()
    assert "County C" not in zh.content.decode()
    en = client.get(f"/shop/{farmer.slug}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "County C" in en.content.decode() and village.name_en in en.content.decode()


def test_demo_shops_are_named_after_their_main_produce():
    """Each demo shop is "<farmer>的<kind>小店", the kind being its first listing's
    (so 王秀英's shop says tea only if she sells tea)."""
    call_command("seed_demo", stdout=io.StringIO())
    farmers = Farmer.objects.select_related("user").prefetch_related("products")
    assert farmers.count() == 12
    for farmer in farmers:
        first = min(farmer.products.all(), key=lambda product: product.pk)
        kind = SHOP_KINDS[first.title]
        assert kind in first.title
        assert farmer.shop_name == f"{farmer.user.first_name}的{kind}小店"


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_demo_farmers_home_is_alive_whenever_the_demo_is_seeded(client):
    """The small preset's history ends at SMALL_REFERENCE; on top of it demo_farmer
    has orders paid this month (local time), to ship (one overdue, one recent)
    and completed, and listings that need attention: rejected with its reason,
    out of stock, pending review."""
    call_command("seed_demo", stdout=io.StringIO())
    farmer = Farmer.objects.get(user__username="demo_farmer")
    now = timezone.now()
    start = timezone.localtime(now).replace(
        day=1, hour=0, minute=0, second=0, microsecond=0
    )
    mine = Order.objects.filter(farmer=farmer)
    sales = (
        mine.filter(paid_at__gte=start, paid_at__lte=now)
        .exclude(status__in=[OrderStatus.CANCELLED, OrderStatus.REFUNDED])
        .aggregate(s=Sum("total"))["s"]
    )
    completed = mine.filter(
        status=OrderStatus.COMPLETED, completed_at__gte=start, completed_at__lte=now
    ).aggregate(s=Sum("total"))["s"]
    assert sales > 0 and completed > 0
    to_ship = mine.filter(status=OrderStatus.PAID, paid_at__gt=SMALL_REFERENCE)
    recent = to_ship.filter(paid_at__gte=now - timedelta(hours=48)).get()
    late = to_ship.filter(paid_at__lt=now - timedelta(hours=48)).get()
    listings = Product.objects.filter(farmer=farmer)
    rejected = listings.get(status=ProductStatus.REJECTED)
    assert rejected.rejection_reason
    sold_out = listings.filter(status=ProductStatus.ACTIVE, stock=0).first()
    pending = listings.filter(status=ProductStatus.PENDING).first()
    assert sold_out and pending

    client.force_login(farmer.user)
    html = text_of(client.get(reverse("orders:farmer_home")))
    shipping = html[html.index('id="to-ship"') : html.index('id="this-month"')]
    assert recent.number in shipping and late.number in shipping
    month = html[html.index('id="this-month"') : html.index('id="attention"')]
    assert re.search(rf'id="figure-sales">.*?¥{sales:.2f}<', month)
    assert re.search(rf'id="figure-completed">.*?¥{completed:.2f}<', month)
    attention = html[html.index('id="attention"') :]
    for product in (rejected, sold_out, pending):
        assert product.title in attention
    assert rejected.rejection_reason in attention
