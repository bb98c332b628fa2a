"""seed_demo: deterministic, idempotent demo data, built from the demo app's modules."""

import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils.translation import gettext as _

from demo.aftercare import seed_aftersale, seed_reviews
from demo.farmers import (
    seed_attention_listings,
    seed_farmer_phones,
    seed_people,
    seed_products,
)
from demo.orders import seed_recent_orders, seed_this_month_orders, seed_year_orders
from demo.payouts import seed_payouts
from demo.people import DEMO_PASSWORD, seed_demo_users
from demo.places import CASE_STUDY_COUNTY, seed_counties
from demo.surveys import seed_small_fieldwork, seed_year_fieldwork
from demo.training import Added
from demo.units import UNIT_LOGINS, seed_units
from orders.services.sold import products_recount_sold
from reports.rollups import rebuild_all
from settlement.services.backfill import ledger_backfill

PRESETS = ("small", "county-c-2018")
SMALL_FARMERS = 12
CASE_STUDY_ASSISTANTS = 71  # docs/DOMAIN.md: county C had 71 assistants
CASE_STUDY_FARMERS = 2000
# docs/DOMAIN.md: county C's sales reached about 10 million yuan in 2018.
CASE_STUDY_SALES = Decimal("10000000")
CASE_STUDY_BUYERS = 3000
SMALL_BUYERS = ["demo_buyer"] + [f"demo_buyer_{i}" for i in range(2, 6)]
# docs/DOMAIN.md: the case study surveyed 150 farmers' households; here about
# two in three of them registered poor, surveyed for 2017 (before the platform's
# sales) and 2018.
CASE_STUDY_SURVEYED = {"registered": 100, "others": 50}
CASE_STUDY_YEARS = (2017, 2018)
SEED = 2018


class Command(BaseCommand):
    help = (
        "Create demo counties, villages, poverty lines, one user per role, and "
        "assistants with the farmers they manage, their listings, and orders."
    )

    def add_arguments(self, parser):
        parser.add_argument("--preset", choices=PRESETS, default="small")

    def handle(self, *args, preset, **options):
        rng = random.Random(SEED)
        with transaction.atomic():
            counties = seed_counties(rng)
            county_c = next(c for c in counties if c.code == CASE_STUDY_COUNTY)
            users = seed_demo_users(official_counties=[county_c])
            password = make_password(DEMO_PASSWORD)
            # demo_assistant and demo_farmer get their profiles here, as the first
            # of a small team; one farmer is left unassigned to show on the
            # officials' assignment page.
            team = ["demo_assistant", "demo_assistant_2", "demo_assistant_3"]
            seed_people(
                rng,
                county=county_c,
                assistant_names=team,
                farmer_names=["demo_farmer"]
                + [f"demo_farmer_{i:02d}" for i in range(2, SMALL_FARMERS + 1)],
                phone_prefix="1380000",
                password=password,
                unassigned=1,
            )
            small_farmers = ["demo_farmer"] + [
                f"demo_farmer_{i:02d}" for i in range(2, SMALL_FARMERS + 1)
            ]
            seed_products(rng, farmer_names=small_farmers, most=3)
            staff = next(user for user in users if user.username == "demo_staff")
            # Orders draw from their own generators, so they come out the same
            # whatever the runs before them consumed.
            orders = seed_recent_orders(
                random.Random(f"{SEED}-small-orders"),
                farmer_names=small_farmers,
                buyer_names=SMALL_BUYERS,
                password=password,
                staff=staff,
            )
            # That history is pinned to SMALL_REFERENCE; on top of it demo_farmer's
            # home has a month to show whenever the demo runs: listings that need
            # her attention, and orders paid this month (a set per month).
            seed_attention_listings(farmer_name="demo_farmer")
            orders += seed_this_month_orders(
                random.Random(f"{SEED}-small-this-month"),
                farmer_name="demo_farmer",
                buyer_names=SMALL_BUYERS,
                password=password,
                staff=staff,
            )
            # Field work after the orders: surveys fill in platform sales from them.
            fieldwork = seed_small_fieldwork(
                random.Random(f"{SEED}-small-fieldwork"), farmer_names=small_farmers
            )
            if preset == "county-c-2018":
                # The case study's County C: 71 assistants in all (the small team
                # included) managing 2,000 farmers, about 28 each.
                case_farmers = [
                    f"c18_farmer_{i:04d}"
                    for i in range(SMALL_FARMERS + 1, CASE_STUDY_FARMERS + 1)
                ]
                seed_people(
                    rng,
                    county=county_c,
                    assistant_names=team
                    + [
                        f"c18_assistant_{i:03d}"
                        for i in range(len(team) + 1, CASE_STUDY_ASSISTANTS + 1)
                    ],
                    farmer_names=case_farmers,
                    phone_prefix="1391000",
                    password=password,
                )
                _analyze()
                seed_products(
                    rng,
                    farmer_names=case_farmers,
                    most=5,
                )
                _analyze()
                orders += seed_year_orders(
                    random.Random(f"{SEED}-county-c-2018-orders"),
                    farmer_names=case_farmers,
                    buyer_names=[
                        f"c18_buyer_{i:04d}" for i in range(1, CASE_STUDY_BUYERS + 1)
                    ],
                    password=password,
                    staff=staff,
                    year=2018,
                    completed_sales=CASE_STUDY_SALES,
                    label="county-c-2018",
                )
                _analyze()
                fieldwork += seed_year_fieldwork(
                    random.Random(f"{SEED}-county-c-2018-fieldwork"),
                    farmer_names=case_farmers,
                    years=CASE_STUDY_YEARS,
                    **CASE_STUDY_SURVEYED,
                )
            # Bulk-loaded orders bypass the transitions that keep the sold counts,
            # post the ledger and mark the reports' days dirty: recount, post the
            # ledger and rebuild, in bulk.
            _analyze()
            products_recount_sold()
            ledger_backfill()
            seed_payouts(farmer_name="demo_farmer", staff=staff)
            # Work units order through the services (the ledger posts live).
            orders += seed_units(
                staff=staff, password=password, orders=preset == "county-c-2018"
            )
            if orders:  # a second run adds none, and keeps the rows as they are
                rebuild_all()
            seed_reviews(random.Random(f"{SEED}-reviews"))
            seed_aftersale()
            seed_farmer_phones()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({preset})."))
        self.stdout.write(f"Orders added: {orders}.")
        self.stdout.write(_describe(fieldwork))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for user in users:
            self.stdout.write(f"  {user.username:<16} {user.get_role_display()}")
        for username in UNIT_LOGINS:
            self.stdout.write(f"  {username:<16} {_('Work unit')}")


def _analyze() -> None:
    """On PostgreSQL, refresh the planner's statistics after a bulk load (ANALYZE
    counts this transaction's own new rows). Stale ones, from when the tables were
    nearly empty, have made a 2,000-farmer query plan a nested loop that ran for
    minutes."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _describe(added: Added) -> str:
    return (
        f"Field work added: {added.sessions} training sessions "
        f"({added.attendance} attendances), {added.visits} visits, "
        f"{added.surveys} income surveys."
    )
