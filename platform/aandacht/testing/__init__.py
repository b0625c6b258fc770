"""Test support shipped with the platform, for the core and the domain packages."""
