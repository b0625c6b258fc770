"""The `aandacht` command: Flask's CLI with the platform's own commands.

aandacht db upgrade           bring the database to the head of the core and every domain
aandacht tenants sync         create or update tenants from tenants/*.toml (--dry-run to preview)
aandacht domains              list installed domains and those that failed to load
aandacht demo load            fill the demo tenants with demo data
aandacht worker               run a background worker (RQ, with its scheduler)
aandacht run                  serve (development server)
"""

from __future__ import annotations

import sys

import click
from alembic import command as alembic_command
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext

from aandacht import jobs, migrate
from aandacht.config import ConfigError
from aandacht.db import session
from aandacht.tenancy.context import tenant_context
from aandacht.tenancy.files import TenantFilesInvalid, read_tenant_files
from aandacht.tenancy.service import active_tenants, sync_tenants


def _make_app() -> Flask:
    from aandacht.app import create_app

    try:
        return create_app()
    except ConfigError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)


@click.group(cls=FlaskGroup, create_app=_make_app, add_version_option=False, load_dotenv=False)
def main() -> None:
    """Aandacht: personal digital attention. Settings come from environment variables."""


@click.group("db", cls=AppGroup)
def db_group() -> None:
    """Database schema (Alembic): core and domain branches."""


@db_group.command("upgrade")
@click.argument("revision", default="heads")
def db_upgrade(revision: str) -> None:
    """Upgrade the database to REVISION (default: every head)."""
    migrate.upgrade(current_app, revision)
    click.echo(f"Database upgraded to {revision}.")


@db_group.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Downgrade the database to REVISION (`base` removes everything)."""
    migrate.downgrade(current_app, revision)
    click.echo(f"Database downgraded to {revision}.")


@db_group.command("revision")
@click.option("--branch", required=True, help="aandacht for the core, or a domain's name.")
@click.option("-m", "--message", required=True, help="What the revision does.")
@click.option("--rev-id", help="A readable revision id, e.g. studie_0002 (default: random).")
def db_revision(branch: str, message: str, rev_id: str | None) -> None:
    """Write a new revision on BRANCH from the difference between models and database."""
    config = migrate.alembic_config(current_app)
    alembic_command.revision(config, message, autogenerate=True, head=f"{branch}@head", rev_id=rev_id)


@click.group("tenants", cls=AppGroup)
def tenants_group() -> None:
    """Tenants, declared in tenants/<slug>.toml."""


@tenants_group.command("sync")
@click.option("--dry-run", is_flag=True, help="Show what would change without writing anything.")
@click.option("--dir", "directory", type=click.Path(file_okay=False), help="Folder of the tenant files.")
def tenants_sync(dry_run: bool, directory: str | None) -> None:
    """Create or update every tenant from its file and report what changed."""
    from pathlib import Path

    settings = current_app.extensions["aandacht.settings"]
    registry = current_app.extensions["aandacht.domains"]
    folder = Path(directory) if directory else settings.tenants_dir
    try:
        declarations = read_tenant_files(folder, registry.domains.keys(), registry.failures)
    except TenantFilesInvalid as invalid:
        click.echo(f"Nothing changed: {len(invalid.errors)} problem(s) in the tenant files.", err=True)
        for error in invalid.errors:
            click.echo(f"  {error}", err=True)
        sys.exit(1)
    changes = sync_tenants(declarations, dry_run=dry_run)
    for change in changes:
        click.echo(f"{change.slug}: {change.action}")
        for name, (old, new) in change.fields.items():
            click.echo(f"    {name}: {old!r} -> {new!r}")
    if dry_run:
        click.echo("Dry run: nothing was written.")


@tenants_group.command("list")
def tenants_list() -> None:
    """List the active tenants and their addresses on this machine."""
    for tenant in active_tenants():
        click.echo(
            f"{tenant.slug:<12} {tenant.name:<32} /t/{tenant.slug}/  domains: {', '.join(tenant.domains)}"
        )


@click.command("domains")
@with_appcontext
def domains_command() -> None:
    """List the installed domains, and any that failed to load with the reason."""
    registry = current_app.extensions["aandacht.domains"]
    for domain in registry.domains.values():
        click.echo(f"{domain.name:<12} loaded   {domain.title}")
    for name, problem in registry.failures.items():
        click.echo(f"{name:<12} FAILED   {problem}")


@click.group("demo", cls=AppGroup)
def demo_group() -> None:
    """Demo data for trying the platform."""


@demo_group.command("load")
def demo_load() -> None:
    """Let each tenant's enabled domains add their demo data."""
    registry = current_app.extensions["aandacht.domains"]
    for tenant in active_tenants():
        domains = registry.enabled_for(tenant)
        with tenant_context(tenant):
            for domain in domains:
                domain.load_demo_data(tenant)
            session.commit()
        click.echo(f"{tenant.slug}: demo data of {', '.join(d.name for d in domains) or 'no domain'} loaded")


@click.command("worker")
@with_appcontext
@click.option(
    "--queue", "queues", multiple=True, type=click.Choice(jobs.QUEUES), help="Queues (default all)."
)
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
def worker_command(queues: tuple[str, ...], burst: bool) -> None:
    """Run a worker for background jobs (needs REDIS_URL)."""
    if current_app.extensions.get("aandacht.redis") is None:
        click.echo(
            "Error: REDIS_URL is not set; without it jobs run inline and no worker is needed.", err=True
        )
        sys.exit(2)
    jobs.run_worker(current_app._get_current_object(), queues or jobs.QUEUES, burst=burst)  # type: ignore[attr-defined]


def init_app(app: Flask) -> None:
    """Add the platform's commands to `app` (so `aandacht` and test runners both have them)."""
    for command in (db_group, tenants_group, demo_group, domains_command, worker_command):
        app.cli.add_command(command)


if __name__ == "__main__":
    main()
