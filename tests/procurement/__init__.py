"""Tests of work units."""
