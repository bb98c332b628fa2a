"""The benchmark data, written with COPY (psycopg's `cursor.copy()`), never ORM
saves: counties and villages, households and their farmers, assistants and their
assignments, products, buyers and their addresses, and checkouts with their
orders, lines and payments, spread over the scale's years as the demo data is
(demo.shoppers' weights by month, hour, basket and status), plus national poverty
lines and income surveys for the income report. Deterministic (a fixed seed);
the generator assigns every id and resets the sequences after."""

import json
import random
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate

from django.core.management.color import no_style
from django.db import connection

from accounts.models import Role, User
from assistants.models import Assignment, Assistant
from bench.scales import Scale
from catalogue.models import Category, Product, ProductStatus
from counties.divisions import division_parse
from counties.models import County, Division, PovertyLine, PovertyLineMethod, Village
from demo.farmers import GIVEN_NAMES, PRODUCTS, SURNAMES
from demo.shoppers import (
    CHEAP,
    CHINA,
    HOUR_WEIGHTS,
    LINES_WEIGHTS,
    MONTH_WEIGHTS,
    ON_DELIVERY_SHARE,
    QUANTITY_WEIGHTS,
    REGIONS,
    SHOPPING_DAYS,
    STREETS,
    TWO_SHOPS_SHARE,
)
from farmers.models import Farmer, Household, PovertyCause, RegisterStatus
from fieldwork.models import IncomeSurvey
from orders.models import (
    Address,
    Checkout,
    Order,
    OrderLine,
    OrderStatus,
    Payment,
    PaymentProviderCode,
    PaymentStatus,
)
from orders.services.sold import products_recount_sold

SEED = 2018
CHUNK = 20_000  # checkouts generated and copied together
UNPAID_SHARE = 0.02  # checkouts never paid (cancelled when the payment window ends)
# Of the orders paid and settled: as demo.shoppers' YEAR_STATUSES, with the
# cancellations split between before and after payment.
SETTLED = {OrderStatus.COMPLETED: 95, OrderStatus.CANCELLED: 2.5, "refunded": 2.5}
# Orders this close to the end of the history are still on their way.
IN_PROGRESS_DAYS = {OrderStatus.PAID: 3, OrderStatus.SHIPPED: 7, "delivered": 15}
PRODUCT_STATUSES = {
    ProductStatus.ACTIVE: 88,
    ProductStatus.DRAFT: 5,
    ProductStatus.PENDING: 3,
    ProductStatus.ARCHIVED: 4,
}
HOUSEHOLD_STATUSES = {
    RegisterStatus.REGISTERED: 55,
    RegisterStatus.EXITED: 20,
    RegisterStatus.NEVER_REGISTERED: 25,
}
NATIONAL_LINE_2010 = Decimal("2300")
DESCRIPTION = (
    "产自{village}的{title}，农户自家种养，当季采收，现发现寄。"
    "扶贫助理实地核验，支持七天无理由退货。"
)
STAFF_ID = 1


@dataclass(frozen=True)
class Shop:
    farmer_id: int
    user_id: int
    county_id: int
    village_id: int
    assistant_id: int
    products: tuple[tuple[int, str, str, Decimal], ...]  # id, title, unit, price


class Ids:
    """The next id of each table."""

    def __init__(self):
        self.last: dict[type, int] = {}

    def next(self, model) -> int:
        self.last[model] = self.last.get(model, 0) + 1
        return self.last[model]


def copy_rows(model, fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """COPY `rows` (values of the model's `fields`, by attribute name) into its
    table; returns the number of rows."""
    meta = model._meta
    columns = ", ".join(
        connection.ops.quote_name(meta.get_field(name).column) for name in fields
    )
    count = 0
    statement = (
        f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
    )
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _chooser(rng: random.Random, weights: dict):
    """A function drawing k keys of `weights` at once."""
    keys, cumulative = list(weights), list(accumulate(weights.values()))
    return lambda k=1: rng.choices(keys, cum_weights=cumulative, k=k)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)


def _at(day: date, seconds: int) -> datetime:
    return datetime.combine(day, time(), CHINA) + timedelta(seconds=seconds)


class Generator:
    """Writes one scale's rows; `counts` says how many of each."""

    def __init__(self, scale: Scale, seed: int = SEED):
        self.scale = scale
        self.rng = random.Random(f"{seed}-{scale.name}")
        self.ids = Ids()
        self.counts: dict[str, int] = {}
        self.end = date(scale.years[-1], 12, 31)
        self.joined = _at(date(scale.years[0] - 1, 6, 1), 0)

    def _copy(self, model, fields, rows) -> None:
        label = model._meta.db_table
        self.counts[label] = self.counts.get(label, 0) + copy_rows(model, fields, rows)

    def run(self) -> dict[str, int]:
        counties = self.places()
        self.poverty_lines()
        shops = self.people(counties)
        buyers = self.buyers()
        self.orders(shops, buyers)
        self.surveys()
        self.reset_sequences()
        # Statistics first: without them the recount's correlated subquery is
        # planned as a scan of every order line per product (minutes at county
        # scale).
        self.analyze()
        products_recount_sold()
        self.analyze()
        return self.counts

    def analyze(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    # Places and people ---------------------------------------------------------

    def places(self) -> list[tuple[int, list[int]]]:
        """Counties (the first is County C) and villages: [(county, [villages])]."""
        counties, villages, rows = [], [], []
        for n in range(self.scale.counties):
            county_id = self.ids.next(County)
            code = f"52{9901 + n:04d}" if n < 99 else f"53{n:04d}"
            rows.append(
                (county_id, "County C" if n == 0 else f"Bench County {n}", code)
            )
            ids = []
            for v in range(self.scale.villages_per_county):
                village_id = self.ids.next(Village)
                villages.append((village_id, county_id, f"Village {v + 1:03d}"))
                ids.append(village_id)
            counties.append((county_id, ids))
        self._copy(
            County,
            ["id", "name", "code", "province", "is_key_poverty_county"],
            ((pk, name, code, "Guizhou", True) for pk, name, code in rows),
        )
        self._copy(Village, ["id", "county_id", "name"], villages)
        self.village_names = {pk: name for pk, _county, name in villages}
        return counties

    def poverty_lines(self) -> None:
        years = range(2010, self.scale.years[-1] + 2)
        self._copy(
            PovertyLine,
            ["id", "county_id", "year", "method", "amount", "source_note"],
            (
                (
                    self.ids.next(PovertyLine),
                    None,
                    year,
                    PovertyLineMethod.ABSOLUTE,
                    (NATIONAL_LINE_2010 * Decimal("1.02") ** (year - 2010)).quantize(
                        Decimal("0.01")
                    ),
                    "Bench figure: the 2010 national line with 2% a year.",
                )
                for year in years
            ),
        )

    def _user(self, username: str, role: str, name: str) -> tuple:
        pk = self.ids.next(User)
        staff = role == Role.STAFF
        return (
            pk,
            "!",
            staff,
            username,
            name,
            "",
            "",
            staff,
            True,
            self.joined,
            role,
            "",
        )

    USER_FIELDS = (
        "id",
        "password",
        "is_superuser",
        "username",
        "first_name",
        "last_name",
        "email",
        "is_staff",
        "is_active",
        "date_joined",
        "role",
        "phone",
    )

    def people(self, counties) -> list[Shop]:
        """Staff, one official per county, assistants, farmers (one household
        each), their assignments and products."""
        rng, scale = self.rng, self.scale
        users = [self._user("bench_staff", Role.STAFF, "Bench staff")]
        officials = []
        for n, (county_id, _villages) in enumerate(counties):
            users.append(self._user(f"bench_official_{n:03d}", Role.OFFICIAL, "官员"))
            officials.append((users[-1][0], county_id))
        assistants = []  # (assistant id, user id, county id)
        for n in range(scale.assistants):
            county_id = counties[n % len(counties)][0]
            users.append(self._user(f"bench_assistant_{n:04d}", Role.ASSISTANT, "助理"))
            assistants.append((self.ids.next(Assistant), users[-1][0], county_id))
        by_county: dict[int, list[tuple[int, int]]] = {}
        for pk, user_id, county_id in assistants:
            by_county.setdefault(county_id, []).append((pk, user_id))
        farmers = []  # (farmer id, user id, household id, village id, county id)
        for n in range(scale.farmers):
            county_id, villages = counties[n % len(counties)]
            users.append(self._user(f"bench_farmer_{n:06d}", Role.FARMER, _name(rng)))
            farmers.append(
                (
                    self.ids.next(Farmer),
                    users[-1][0],
                    self.ids.next(Household),
                    rng.choice(villages),
                    county_id,
                )
            )
        self._copy(User, self.USER_FIELDS, users)
        self.users = len(users)
        self._copy(
            User.counties.through,
            ["id", "user_id", "county_id"],
            ((n + 1, user, county) for n, (user, county) in enumerate(officials)),
        )
        self._copy(Assistant, ["id", "user_id", "county_id"], assistants)
        self.households(farmers)
        self._copy(
            Farmer,
            ["id", "user_id", "household_id", "phone", "shop_name", "slug", "story"]
            + ["cover_photo", "created_at"],
            (
                (
                    pk,
                    user_id,
                    household_id,
                    f"139{pk:08d}",
                    f"{self.village_names[village_id]}{rng.choice(GIVEN_NAMES)}的小店",
                    f"shop-{pk}",
                    "",
                    "",
                    self.joined,
                )
                for pk, user_id, household_id, village_id, _county in farmers
            ),
        )
        assigned = {}
        rows = []
        for pk, _user_id, _household, _village, county_id in farmers:
            assistant_id, _assistant_user = rng.choice(by_county[county_id])
            assigned[pk] = assistant_id
            start = date(scale.years[0] - 1, 1, 1) + timedelta(days=rng.randrange(300))
            rows.append((pk, assistant_id, pk, start, STAFF_ID))
        self._copy(
            Assignment,
            ["id", "assistant_id", "farmer_id", "started_on", "assigned_by_id"],
            rows,
        )
        self.assistant_users = {pk: user_id for pk, user_id, _c in assistants}
        self.farmer_assistant = assigned
        return self.products(farmers, assigned)

    def households(self, farmers) -> None:
        rng = self.rng
        statuses = _chooser(rng, HOUSEHOLD_STATUSES)(len(farmers))
        causes = list(PovertyCause.values)
        # (household id, members); a farmer's id is their household's.
        self.household_sizes: list[tuple[int, int]] = []
        rows = []
        for (_pk, _user, household_id, village_id, _c), status in zip(
            farmers, statuses, strict=True
        ):
            members = rng.randint(1, 6)
            on_register = status != RegisterStatus.NEVER_REGISTERED
            rows.append(
                (
                    household_id,
                    village_id,
                    _name(rng),
                    members,
                    status,
                    f"BENCH{household_id:010d}" if on_register else "",
                    2015 if on_register else None,
                    json.dumps(rng.sample(causes, 2) if on_register else []),
                    "",
                    2019 if status == RegisterStatus.REGISTERED else None,
                    date(2017, 12, 31) if status == RegisterStatus.EXITED else None,
                    self.joined,
                    self.joined,
                )
            )
            self.household_sizes.append((household_id, members))
        self._copy(
            Household,
            ["id", "village_id", "head_name", "members", "status"]
            + ["registration_number", "registration_year", "poverty_causes"]
            + ["support_measures", "expected_exit_year", "exited_on"]
            + ["created_at", "updated_at"],
            rows,
        )

    def products(self, farmers, assigned) -> list[Shop]:
        rng, most = self.rng, 2 * self.scale.products_per_farmer - 1
        categories = dict(Category.objects.values_list("slug", "pk"))
        status_of = _chooser(rng, PRODUCT_STATUSES)
        rows, shops = [], []
        for pk, user_id, _household, village_id, county_id in farmers:
            listed = []
            for status in status_of(rng.randint(1, most)):
                product_id = self.ids.next(Product)
                slug, title, unit, weight, (low, high) = rng.choice(PRODUCTS)
                title = f"{self.village_names[village_id]}{title}"
                price = Decimal(rng.randint(low * 100, high * 100)) / 100
                created = self.joined + timedelta(days=rng.randrange(200))
                rows.append(
                    (
                        product_id,
                        pk,
                        categories[slug],
                        title,
                        DESCRIPTION.format(
                            village=self.village_names[village_id], title=title
                        ),
                        unit,
                        Decimal(weight),
                        price,
                        rng.randint(50, 500),
                        0,
                        status,
                        "",
                        created if status == ProductStatus.PENDING else None,
                        user_id,
                        created,
                        created,
                    )
                )
                if status == ProductStatus.ACTIVE:
                    listed.append((product_id, title, unit, price))
            if listed:
                shops.append(
                    Shop(
                        pk, user_id, county_id, village_id, assigned[pk], tuple(listed)
                    )
                )
        self._copy(
            Product,
            ["id", "farmer_id", "category_id", "title", "description", "unit"]
            + ["net_weight_kg", "price", "stock", "units_sold", "status"]
            + ["rejection_reason", "submitted_at", "created_by_id"]
            + ["created_at", "updated_at"],
            rows,
        )
        return shops

    def buyers(self) -> list[tuple[int, str, str, str]]:
        """Buyers with one address each: [(user id, recipient, phone, address)]."""
        rng, buyers = self.rng, []
        users, addresses = [], []
        # Each region's district, located once (as the demo's addresses are).
        everywhere = list(Division.objects.all())
        located = {r: division_parse(r, everywhere) for r in REGIONS}
        for n in range(self.scale.buyers):
            recipient = _name(rng)
            users.append(self._user(f"bench_buyer_{n:07d}", Role.BUYER, recipient))
            user_id = users[-1][0]
            phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
            region = rng.choice(REGIONS)
            street = f"{rng.choice(STREETS)}{rng.randint(1, 399)}号"
            division = located[region]
            addresses.append(
                (
                    self.ids.next(Address),
                    user_id,
                    recipient,
                    phone,
                    region,
                    division.pk if division else None,
                    street,
                )
            )
            buyers.append((user_id, recipient, phone, f"{region} {street}"))
        self._copy(User, self.USER_FIELDS, users)
        self._copy(
            Address,
            [
                "id",
                "buyer_id",
                "recipient",
                "phone",
                "region",
                "division_id",
                "street",
                "created_at",
            ],
            (row + (self.joined,) for row in addresses),
        )
        return buyers

    # Orders ------------------------------------------------------------------------

    def _days(self) -> tuple[list[date], list[float]]:
        """Every day of the history with its weight (month, shopping festivals)."""
        days = []
        for year in self.scale.years:
            day = date(year, 1, 1)
            while day.year == year:
                days.append(day)
                day += timedelta(days=1)
        weights = [
            MONTH_WEIGHTS[d.month - 1] * SHOPPING_DAYS.get((d.month, d.day), 1.0)
            for d in days
        ]
        return days, list(accumulate(weights))

    def orders(self, shops: list[Shop], buyers) -> None:
        rng = self.rng
        # Some storefronts sell far more than others (a long tail).
        popularity = list(
            accumulate(1 / (rank + 1) ** 0.8 for rank in range(len(shops)))
        )
        shops = rng.sample(shops, len(shops))
        days, day_weights = self._days()
        hours = list(accumulate(HOUR_WEIGHTS))
        settled = _chooser(rng, SETTLED)
        lines_of, quantity_of = (
            _chooser(rng, LINES_WEIGHTS),
            _chooser(rng, QUANTITY_WEIGHTS),
        )
        remaining = self.scale.orders
        while remaining > 0:
            batch = {Checkout: [], Order: [], OrderLine: [], Payment: []}
            for _ in range(CHUNK):
                if remaining <= 0:
                    break
                two = rng.random() < TWO_SHOPS_SHARE and remaining > 1
                count = 2 if two else 1
                remaining -= count
                day = rng.choices(days, cum_weights=day_weights)[0]
                hour = rng.choices(range(24), cum_weights=hours)[0]
                placed = _at(day, hour * 3600 + rng.randrange(3600))
                stores = rng.choices(shops, cum_weights=popularity, k=count)
                self._checkout(
                    batch,
                    buyers[rng.randrange(len(buyers))],
                    placed,
                    stores,
                    settled,
                    lines_of,
                    quantity_of,
                )
            self._copy(
                Checkout,
                [
                    "id",
                    "buyer_id",
                    "idempotency_key",
                    "provider",
                    "total",
                    "created_at",
                ],
                batch[Checkout],
            )
            self._copy(Order, ORDER_FIELDS, batch[Order])
            self._copy(
                OrderLine,
                ["id", "order_id", "product_id", "title", "unit", "unit_price"]
                + ["quantity", "line_total"],
                batch[OrderLine],
            )
            self._copy(
                Payment,
                ["id", "checkout_id", "provider", "reference", "amount", "refunded"]
                + ["status", "transaction_id", "created_at", "paid_at"],
                batch[Payment],
            )

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def _checkout(self, batch, buyer, placed, stores, settled, lines_of, quantity_of):
        rng = self.rng
        checkout_id = self.ids.next(Checkout)
        buyer_id, recipient, phone, address = buyer
        unpaid = rng.random() < UNPAID_SHARE
        on_delivery = not unpaid and rng.random() < ON_DELIVERY_SHARE
        paid = None if unpaid else placed + timedelta(seconds=rng.randint(30, 900))
        if on_delivery:
            paid = placed
        age = (self.end - placed.date()).days
        total = refunded = Decimal(0)
        for shop in stores:
            order_id = self.ids.next(Order)
            picked = rng.sample(shop.products, min(lines_of()[0], len(shop.products)))
            order_total = Decimal(0)
            for (product_id, title, unit, price), quantity in zip(
                picked, quantity_of(len(picked)), strict=True
            ):
                quantity *= 2 if price < CHEAP else 1
                line_total = price * quantity
                order_total += line_total
                batch[OrderLine].append(
                    (
                        self.ids.next(OrderLine),
                        order_id,
                        product_id,
                        title,
                        unit,
                        price,
                        quantity,
                        line_total,
                    )
                )
            status, times = self._timeline(placed, paid, age, settled)
            if status in (OrderStatus.CANCELLED, OrderStatus.REFUNDED) and paid:
                refunded += order_total
            total += order_total
            batch[Order].append(
                (
                    order_id,
                    checkout_id,
                    buyer_id,
                    shop.farmer_id,
                    shop.county_id,
                    shop.village_id,
                    shop.assistant_id,
                    status,
                    order_total,
                    recipient,
                    phone,
                    address,
                    placed,
                    None if paid else placed + timedelta(minutes=30),
                    paid,
                    *times,
                )
            )
        provider = (
            PaymentProviderCode.ON_DELIVERY
            if on_delivery
            else PaymentProviderCode.SIMULATED
        )
        batch[Checkout].append(
            (checkout_id, buyer_id, self._uuid(), provider, total, placed)
        )
        online_paid = paid is not None and not on_delivery
        batch[Payment].append(
            (
                self.ids.next(Payment),
                checkout_id,
                provider,
                self._uuid(),
                total,
                refunded if online_paid else Decimal(0),
                PaymentStatus.PAID if online_paid else PaymentStatus.PENDING,
                f"bench-{checkout_id}" if online_paid else None,
                placed,
                paid if online_paid else None,
            )
        )

    def _timeline(self, placed, paid, age, settled):
        """The order's status and its shipped, delivered, completed and closed
        times."""
        rng = self.rng
        if paid is None:
            return OrderStatus.CANCELLED, (
                None,
                None,
                None,
                placed + timedelta(minutes=30),
            )
        if age < IN_PROGRESS_DAYS[OrderStatus.PAID]:
            return OrderStatus.PAID, (None, None, None, None)
        shipped = paid + timedelta(hours=rng.randint(6, 48))
        if age < IN_PROGRESS_DAYS[OrderStatus.SHIPPED]:
            return OrderStatus.SHIPPED, (shipped, None, None, None)
        delivered = shipped + timedelta(hours=rng.randint(24, 96))
        if age < IN_PROGRESS_DAYS["delivered"]:
            return OrderStatus.DELIVERED, (shipped, delivered, None, None)
        outcome = settled()[0]
        if outcome == OrderStatus.CANCELLED:
            return outcome, (
                None,
                None,
                None,
                paid + timedelta(hours=rng.randint(1, 24)),
            )
        if outcome == "refunded":
            closed = delivered + timedelta(days=rng.randint(1, 5))
            return OrderStatus.REFUNDED, (shipped, delivered, None, closed)
        completed = delivered + timedelta(days=rng.randint(1, 7))
        return OrderStatus.COMPLETED, (shipped, delivered, completed, None)

    # Field work --------------------------------------------------------------------

    def surveys(self) -> None:
        """Income surveys of a share of the households, for the last two years."""
        rng, rows = self.rng, []
        years = (self.scale.years[-1] - 1, self.scale.years[-1])
        share = self.scale.surveyed_share
        chosen = [h for h in self.household_sizes if rng.random() < share]
        for household_id, members in chosen:
            recorder = self.assistant_users[self.farmer_assistant[household_id]]
            for year in years:
                transfers = Decimal(rng.randint(500, 4000))
                rows.append(
                    (
                        self.ids.next(IncomeSurvey),
                        household_id,
                        year,
                        members,
                        Decimal(rng.randint(0, 8000)),
                        rng.randint(0, 40),
                        Decimal(rng.randint(2000, 10000)),
                        Decimal(rng.randint(0, 20000)),
                        Decimal(rng.randint(0, 5000)),
                        transfers,
                        (transfers * Decimal(rng.randint(0, 50)) / 100).quantize(
                            Decimal("0.01")
                        ),
                        Decimal(rng.randint(0, 1000)),
                        Decimal(rng.randint(500, 3000)),
                        Decimal(rng.randint(3000, 12000)),
                        recorder,
                        self.joined,
                        self.joined,
                    )
                )
        self._copy(
            IncomeSurvey,
            ["id", "household_id", "year", "members", "platform_sales"]
            + ["platform_orders", "other_agriculture", "wages", "business"]
            + ["transfers", "dibao", "other_income", "production_costs"]
            + ["living_costs", "recorded_by_id", "created_at", "updated_at"],
            rows,
        )

    def reset_sequences(self) -> None:
        models = [
            County,
            Village,
            PovertyLine,
            User,
            User.counties.through,
            Assistant,
            Assignment,
            Household,
            Farmer,
            Product,
            Address,
            Checkout,
            Order,
            OrderLine,
            Payment,
            IncomeSurvey,
        ]
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)


ORDER_FIELDS = [
    "id",
    "checkout_id",
    "buyer_id",
    "farmer_id",
    "county_id",
    "village_id",
    "assistant_id",
    "status",
    "total",
    "recipient",
    "phone",
    "shipping_address",
    "placed_at",
    "expires_at",
    "paid_at",
    "shipped_at",
    "delivered_at",
    "completed_at",
    "closed_at",
]
