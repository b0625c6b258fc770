"""Tenants, their resolution per request, and the central scoping of tenant-owned rows."""
