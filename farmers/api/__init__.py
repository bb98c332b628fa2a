"""REST API of the farmers app: farmers and households, scoped like the pages."""
