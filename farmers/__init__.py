"""Farmers: household files (and leaving the poverty register), the register import,
farmer profiles and their storefront settings."""
