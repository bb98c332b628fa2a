"""REST API of the assistants app: assignments, scoped like the pages."""
