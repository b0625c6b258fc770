"""Broken domains for the tests."""
