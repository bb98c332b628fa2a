"""Farmers: household files, farmer profiles, storefronts and the produce catalogue."""
