"""`manage.py check_ledger`: verify the settlement ledger's invariants
(settlement.invariants); exits non-zero and names the first mismatch."""

from django.core.management.base import BaseCommand, CommandError

from settlement.invariants import first_mismatch


class Command(BaseCommand):
    help = "Verify that the settlement ledger balances and misses no money event."

    def handle(self, *args, **options):
        problem = first_mismatch()
        if problem:
            raise CommandError(f"ledger mismatch: {problem}")
        self.stdout.write("ledger ok: it balances and every money event is posted")
