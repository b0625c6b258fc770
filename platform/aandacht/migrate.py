"""Alembic for the core and every domain: one environment, a version branch per installed domain.

The core's revisions live in `migrations/versions` (branch `aandacht`); each domain brings its own
folder (`Domain.migrations_dir`, branch `<domain name>`) whose first revision depends on the core.
Migrations connect with `DATABASE_ADMIN_URL` (the owner of the tables). On PostgreSQL, when the app
connects as another role (`DATABASE_URL`), that role is granted the right to read and write rows after
each upgrade: it owns nothing, so row level security always applies to it.
"""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from flask import Flask
from sqlalchemy import Connection, text

import aandacht
from aandacht.config import Settings
from aandacht.plugins import DomainRegistry


def migrations_dir() -> Path:
    """The Alembic environment: inside the installed wheel, or at the top of a source checkout."""
    packaged = Path(aandacht.__file__).parent / "migrations"
    return packaged if packaged.is_dir() else Path(aandacht.__file__).resolve().parents[2] / "migrations"


def alembic_config(app: Flask) -> Config:
    """An Alembic configuration for `app`'s database and installed domains."""
    settings: Settings = app.extensions["aandacht.settings"]
    registry: DomainRegistry = app.extensions["aandacht.domains"]
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("path_separator", "os")
    locations = [migrations_dir() / "versions", *registry.migration_dirs()]
    config.set_main_option("version_locations", os.pathsep.join(str(path) for path in locations))
    config.attributes["url"] = settings.database_admin_url
    app_user, admin_user = settings.database_url.username, settings.database_admin_url.username
    config.attributes["app_role"] = app_user if app_user and app_user != admin_user else None
    return config


def upgrade(app: Flask, revision: str = "heads") -> None:
    """Bring the database to `revision` (default: the head of the core and of every domain)."""
    command.upgrade(alembic_config(app), revision)


def downgrade(app: Flask, revision: str) -> None:
    """Take the database back to `revision` (`base` empties it)."""
    command.downgrade(alembic_config(app), revision)


def grant_app_role(connection: Connection, role: str) -> None:
    """Let `role` read and write rows of every table (PostgreSQL); it owns none, so RLS binds it."""
    quoted = connection.dialect.identifier_preparer.quote(role)
    connection.execute(text(f"GRANT USAGE ON SCHEMA public TO {quoted}"))
    connection.execute(
        text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}")
    )
    connection.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}"))
    connection.execute(text(f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {quoted}"))
