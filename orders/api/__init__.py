"""REST API of the orders app."""
