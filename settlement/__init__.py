"""Settlement: what the platform owes each farmer and how it reaches them. An
append-only, double-entry ledger posted from the orders' money events, the hold
before an earning can be paid out, payout accounts verified by the assistant, the
weekly payout run and its bank batches, and the farmer's earnings page."""
