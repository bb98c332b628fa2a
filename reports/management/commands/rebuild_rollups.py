"""rebuild_rollups: rebuild every sales rollup from the orders, set-based."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from reports import rollups


class Command(BaseCommand):
    help = "Rebuild the sales summary tables from the orders (one statement each)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--since", help="Only from this day on (YYYY-MM-DD); its whole month."
        )

    def handle(self, *args, since=None, **options):
        day = None
        if since:
            try:
                day = date.fromisoformat(since)
            except ValueError as exc:
                raise CommandError(
                    f"--since must be a date like 2018-01-01: {exc}"
                ) from exc
        rollups.rebuild_all(since=day)
        self.stdout.write(self.style.SUCCESS("Sales rollups rebuilt."))
