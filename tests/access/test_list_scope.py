"""Lists never leak. Every API list and every list page, asked by each person the
matrix lets in (its GET cell is 200), is read to the end (cursor pages of two
rows, page after page), and what it lists is checked twice over: against the
selector the view reads (a subset of that person's scope), and against the world,
independently of the code: exactly the world's objects this person should see
(below), or, for rows the world does not name, rows that are theirs."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from accounts.models import Role
from aftersales.models import AfterSale
from aftersales.selectors import aftersales_visible_to
from assistants.models import Assignment
from assistants.selectors import (
    assignments_visible_to,
    farmers_visible_to,
    households_visible_to,
)
from audit.models import AuditEvent
from audit.selectors import events_visible_to
from catalogue.models import Product
from catalogue.selectors import (
    products_visible_to,
    public_products,
    public_storefronts,
    review_queue,
)
from farmers.models import Farmer, Household, RegisterImport
from farmers.selectors import register_imports_visible_to
from fieldwork.help import dashboard_farmers
from fieldwork.models import IncomeSurvey, TrainingSession, Visit
from fieldwork.selectors import (
    surveys_visible_to,
    training_visible_to,
    visits_visible_to,
)
from notifications.models import Notification
from orders.models import Address, Mismatch, Order
from orders.selectors import addresses_of, mismatches_visible_to, orders_visible_to
from procurement.models import UnitMember, WorkUnit
from procurement.selectors import units_visible_to
from reviews.models import Review
from reviews.selectors import managed_by
from sms.models import TextMessage
from tests.access.matrix import parse
from tests.access.probe import ask
from tests.access.world import ROLES

pytestmark = pytest.mark.django_db
_, CELLS = parse()

# Whose rows each person's lists hold: F1's ("1"), F2's ("2"), F_out's ("_out").
FARMERS_SEEN = {
    "anon": "",
    "buyer": "",
    "buyer2": "",
    "uadmin": "",
    "ubuyer": "",
    "uadmin2": "",
    "farmer": "1",
    "farmer2": "2",
    "asst": "1",
    "asst2": "2",
    "off_in": "1 2",
    "off_out": "_out",
    "staff": "1 2 _out",
}
# Buyers see their own orders (O1, the unpaid one, the two received and the two
# completed are B1's).
BUYERS_ORDERS = {
    "buyer": {"o1", "o1_unpaid", "o1_asked", "o1_received", "o1_reviewed", "o1_done"},
    "buyer2": {"o2", "o_out"},
    "ubuyer": {"o_unit", "o_unit_done"},  # F1's, for unit U1
    "uadmin": set(),
    "uadmin2": set(),
}
EVERY_FARMER = ("1", "2", "_out")
PAGE_SIZE = 2  # API cursor pages: most lists take two or more


def tags(column: str) -> list[str]:
    return FARMERS_SEEN[column].split()


def named(*patterns: str):
    """The world's objects named by `patterns` ("f{}", "p{}_pending") for each
    farmer the person sees."""
    return lambda column: {p.format(t) for p in patterns for t in tags(column)}


def public(*patterns: str):
    return lambda column: {p.format(t) for p in patterns for t in EVERY_FARMER}


def orders(column: str) -> set[str]:
    if column in BUYERS_ORDERS:
        return BUYERS_ORDERS[column]
    return {f"o{t}" for t in tags(column)} | (
        {"o1_unpaid", "o1_asked", "o1_received", "o1_reviewed", "o1_done"}
        | {"o_unit", "o_unit_done"}
        if "1" in tags(column)
        else set()
    )


def not_farmers(expected):
    """Farmers have no training sessions of their own to list."""
    return lambda column: set() if column.startswith("farmer") else expected(column)


@dataclass(frozen=True)
class Listed:
    """One list: where it is, what model its rows are, the selector that scopes it,
    and the world's objects each person must find there (None: rows the world does
    not name, checked by `mine` instead)."""

    url: str  # a URL name
    model: type
    scope: object  # user → QuerySet
    expected: object = None  # column → set of world names
    mine: object = None  # (world, row, column) → whether the row is theirs
    kwargs: object = None  # world objects → URL kwargs
    query: dict = field(default_factory=dict)

    @property
    def is_api(self) -> bool:
        return not (":" in self.url or self.url in PUBLIC_PAGES)


PUBLIC_PAGES = {"catalogue", "storefront", "county"}


def _farmer_tag(world, farmer_id) -> str | None:
    return {world.objects[f"f{t}"].pk: t for t in EVERY_FARMER}.get(farmer_id)


def _event_is_theirs(world, event, column) -> bool:
    """An audit event is about a farmer, a household or (else) a county; one
    about none (a bank transfer paying several storefronts' orders) is staff's."""
    households = {world.objects[f"household{t}"].pk: t for t in EVERY_FARMER}
    counties = {
        world.objects["county_in"].pk: "1 2",
        world.objects["county_out"].pk: "_out",
    }
    seen = set(tags(column))
    if event.farmer_id:
        return _farmer_tag(world, event.farmer_id) in seen
    if event.household_id:
        return households.get(event.household_id) in seen
    if not event.county_id:
        return column == "staff"
    return bool(set(counties.get(event.county_id, "").split()) & seen)


def _oversees(world, farmer, column) -> bool:
    """The assignment page lists one county's farmers: one the person oversees."""
    user = world.users[column]
    county = farmer.household.village.county
    return user.role == Role.STAFF or county.officials.filter(pk=user.pk).exists()


LISTS = [
    # The API's lists.
    Listed("farmer-list", Farmer, farmers_visible_to, named("f{}")),
    Listed("household-list", Household, households_visible_to, named("household{}")),
    Listed("listing-list", Product, products_visible_to, named("p{}", "p{}_pending")),
    Listed("listing-to-review", Product, review_queue, named("p{}_pending")),
    Listed(
        "assignment-list", Assignment, assignments_visible_to, named("assignment{}")
    ),
    Listed(
        "training-list",
        TrainingSession,
        training_visible_to,
        not_farmers(named("training{}")),
    ),
    Listed("visit-list", Visit, visits_visible_to, named("visit{}")),
    Listed("survey-list", IncomeSurvey, surveys_visible_to, named("survey{}")),
    Listed(
        "address-list",
        Address,
        addresses_of,
        lambda column: {
            "buyer": {"address1"},
            "buyer2": {"address2"},
            "ubuyer": {"unit_address"},
        }.get(column, set()),
    ),
    Listed("order-list", Order, orders_visible_to, orders),
    Listed(
        "catalogue-product-list", Product, lambda u: public_products(), public("p{}")
    ),
    Listed("storefront-list", Farmer, lambda u: public_storefronts(), public("f{}")),
    # The list pages.
    Listed("fieldwork:home", Farmer, dashboard_farmers, named("f{}")),
    Listed("assistants:farmer_list", Farmer, farmers_visible_to, named("f{}")),
    Listed(
        "assistants:assignment_list",
        Farmer,
        farmers_visible_to,
        mine=_oversees,
    ),
    Listed(
        "catalogue:listings", Product, products_visible_to, named("p{}", "p{}_pending")
    ),
    Listed("catalogue:reviews", Product, review_queue, named("p{}_pending")),
    Listed(
        "fieldwork:training_list",
        TrainingSession,
        training_visible_to,
        not_farmers(named("training{}")),
    ),
    Listed("orders:home", Order, orders_visible_to, orders),
    Listed(
        "reviews:list",
        Review,
        managed_by,
        lambda column: {"review"} if "f1" in named("f{}")(column) else set(),
    ),
    Listed(
        "aftersales:list",
        AfterSale,
        aftersales_visible_to,
        lambda column: {"aftersale"} if "o1_asked" in orders(column) else set(),
    ),
    Listed("orders:to_ship", Order, orders_visible_to, orders, query={"show": "all"}),
    Listed("orders:farmers_orders", Order, orders_visible_to, orders),
    Listed(
        "orders:reconciliation",
        Mismatch,
        mismatches_visible_to,
        lambda column: {"mismatch"},
    ),
    Listed(
        "farmers:register_import",
        RegisterImport,
        register_imports_visible_to,
        lambda column: {
            "off_in": {"register_import"},
            "off_out": {"register_import_out"},
        }.get(column, {"register_import", "register_import_out"}),
    ),
    Listed(
        "notifications:inbox",
        Notification,
        lambda user: Notification.objects.filter(recipient=user),
        mine=lambda world, row, column: row.recipient == world.users[column],
    ),
    Listed(
        "assistants:on_behalf", AuditEvent, events_visible_to, mine=_event_is_theirs
    ),
    # Staff only (the matrix); they see every text message.
    Listed(
        "sms:send_log",
        TextMessage,
        lambda user: TextMessage.objects.all(),
        lambda column: {"text"},
    ),
    Listed("audit:events", AuditEvent, events_visible_to, mine=_event_is_theirs),
    Listed(
        "procurement:units",
        WorkUnit,
        units_visible_to,
        lambda column: set() if column == "off_out" else {"unit1", "unit2"},
    ),
    Listed(
        "procurement:unit",
        UnitMember,
        lambda user: UnitMember.objects.filter(unit__in=units_visible_to(user)),
        mine=lambda world, row, column: row.unit == world.objects["unit1"],
        kwargs=lambda o: {"pk": o["unit1"].pk},
    ),
    Listed("catalogue", Product, lambda u: public_products(), public("p{}")),
    Listed(
        "storefront",
        Product,
        lambda u: public_products(),
        lambda column: {"p1"},
        kwargs=lambda o: {"slug": o["f1"].slug},
    ),
    Listed(
        "county",
        Product,
        lambda u: public_products(),
        lambda column: {"p1", "p2"},
        kwargs=lambda o: {"code": o["county_in"].code},
    ),
]


def _ids_from_api(session, start) -> list[int]:
    ids, pages, url = [], 0, f"{start}?{urlencode({'page_size': PAGE_SIZE})}"
    while url:
        answer = ask(session, "GET", url)
        assert answer.status == 200, (url, answer.status)
        body = answer.response.json()
        ids += [row["id"] for row in body["results"]]
        pages += 1
        url = body["next"]
    # Every page was read (and each but the last was full).
    assert pages == max(1, -(-len(ids) // PAGE_SIZE)), (start, pages, len(ids))
    return ids


def _ids_from_page(session, url, query) -> list[int]:
    ids, page = [], 1
    while True:
        answer = ask(session, "GET", url, {**query, "page": page})
        assert answer.status == 200, (url, answer.status)
        page_obj = answer.response.context["page_obj"]
        ids += [row.pk for row in page_obj.object_list]
        if not page_obj.has_next():
            return ids
        page += 1


@pytest.mark.parametrize("listed", LISTS, ids=lambda listed: listed.url)
def test_a_list_holds_only_what_its_reader_may_see(world, listed):
    o = world.objects
    names = {}
    for name, obj in o.items():  # the first name of an object (not an alias)
        if hasattr(obj, "pk"):  # not the invitation's token
            names.setdefault((type(obj), obj.pk), name)
    url = reverse(listed.url, kwargs=listed.kwargs(o) if listed.kwargs else None)
    readers = [
        column
        for column, cell in zip(ROLES, CELLS[listed.url, "GET"], strict=True)
        if cell == "200"
    ]
    assert readers, f"nobody reads {listed.url}?"
    wrong, listed_any = {}, False
    for column in readers:
        user, session = world.users[column], world.sessions.get(column)
        ids = (
            _ids_from_api(session, url)
            if listed.is_api
            else _ids_from_page(session, url, listed.query)
        )
        assert len(ids) == len(set(ids)), f"{column}: a row listed twice"
        listed_any = listed_any or bool(ids)
        rows = listed.model.objects.in_bulk(ids)
        scope = set(listed.scope(user).filter(pk__in=ids).values_list("pk", flat=True))
        if set(ids) - scope:
            wrong[column] = f"outside the selector's scope: {sorted(set(ids) - scope)}"
        elif listed.expected is not None:
            got = {names.get((listed.model, pk), f"unnamed #{pk}") for pk in ids}
            if got != listed.expected(column):
                wrong[column] = (
                    f"lists {sorted(got)}, not {sorted(listed.expected(column))}"
                )
        else:
            strangers = [
                pk for pk, row in rows.items() if not listed.mine(world, row, column)
            ]
            if strangers:
                wrong[column] = f"lists others' rows: {strangers}"
    assert wrong == {}
    assert listed_any, "nobody's list holds anything: the check proves nothing"


@pytest.mark.parametrize(
    "url_name",
    ["product", "catalogue-product-detail", "storefront", "storefront-detail"],
)
def test_public_pages_show_nothing_that_is_not_on_sale(world, url_name):
    """A listing waiting for review, and the shop of a farmer whose account is
    closed, are not public: 404 for everyone, their owner and staff included."""
    o = world.objects
    if url_name.startswith("storefront"):
        closed = o["f2"].user
        closed.is_active = False
        closed.save(update_fields=["is_active"])
        kwargs = {"slug": o["f2"].slug}
    else:
        kwargs = {"pk": o["p1_pending"].pk}
    url = reverse(url_name, kwargs=kwargs)
    got = {
        column: ask(world.sessions.get(column), "GET", url).outcome for column in ROLES
    }
    assert got == dict.fromkeys(ROLES, "404")
