"""Orders: cart, checkout, orders, payments, shipments and stock allocation."""
