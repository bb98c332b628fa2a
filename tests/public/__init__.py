"""Tests of the public pages: home, catalogue, product, storefront and county."""
