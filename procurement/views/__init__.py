"""The pages of work units: procurement.views.units (the unit, its members,
checkout and transfers) and procurement.views.deliveries (after delivery)."""
