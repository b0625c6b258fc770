"""Accounts: residents, staff and the platform administrator; roles, login, sessions and API credentials."""
