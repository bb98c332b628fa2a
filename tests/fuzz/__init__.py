"""Schemathesis fuzzing of the whole API against its OpenAPI schema (issue 8)."""
