"""seed_demo: deterministic, idempotent demo data, built from each app's demo.py."""

import random

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import DEMO_PASSWORD, seed_demo_users
from counties.demo import seed_counties

PRESETS = ("small", "county-c-2018")
SEED = 2018


class Command(BaseCommand):
    help = "Create demo counties, villages, poverty lines and one user per role."

    def add_arguments(self, parser):
        parser.add_argument("--preset", choices=PRESETS, default="small")

    def handle(self, *args, preset, **options):
        rng = random.Random(SEED)
        with transaction.atomic():
            counties = seed_counties(rng)
            county_c = next(c for c in counties if c.name == "County C")
            users = seed_demo_users(official_counties=[county_c])
        if preset == "county-c-2018":
            self.stdout.write(
                "Preset county-c-2018: the case study's trade volume arrives with the "
                "catalogue and orders; for now it seeds what 'small' seeds."
            )
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({preset})."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for user in users:
            self.stdout.write(f"  {user.username:<16} {user.get_role_display()}")
