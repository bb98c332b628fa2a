"""Farmers: household files, farmer profiles and storefronts, and the produce catalogue."""
