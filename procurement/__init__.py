"""Work units that buy from poor counties (the 832 model): the units, their
admins and buyers, invitations, yearly budgets and the reserved share."""
