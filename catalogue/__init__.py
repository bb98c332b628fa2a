"""Catalogue: categories, listings and their photos, the listing and review workflow,
stock, and public browsing and search."""
