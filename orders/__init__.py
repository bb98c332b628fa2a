"""Orders: cart, checkout, orders, payments and shipments, the farmer's home, and the
dirty-days outbox the reports rebuild from."""
