"""Profiles: a person's characteristics, from the core, the domains and the tenant, built up gradually."""
