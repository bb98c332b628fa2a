"""Delivery economics: the carriers a farmer ships with, each storefront's
shipping template and the fee it charges to a destination (issue 19)."""
