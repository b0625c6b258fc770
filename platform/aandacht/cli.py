"""The `aandacht` command: Flask's CLI with the platform's own commands.

aandacht db upgrade           bring the database to the head of the core and every domain
aandacht tenants sync         create or update tenants from tenants/*.toml (--dry-run to preview)
aandacht domains              list installed domains and those that failed to load
aandacht demo load            fill the demo tenants with demo data
aandacht segments schema      print the JSON Schema of selection documents
aandacht segments count       check a selection document and count whom it selects
aandacht worker               run a background worker (RQ, with its scheduler)
aandacht cron                 run the scheduler of periodic jobs (--list: show them; --run JOB: run one now)
aandacht run                  serve (development server)
"""

from __future__ import annotations

import json
import sys
from typing import TextIO

import click
from alembic import command as alembic_command
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext
from redis.exceptions import ConnectionError as RedisConnectionError

from aandacht import jobs, migrate, schedule
from aandacht.accounts import demo
from aandacht.accounts import service as accounts
from aandacht.accounts.models import STAFF_ROLES
from aandacht.attention import service as attention
from aandacht.config import ConfigError
from aandacht.conversations import demo as conversations_demo
from aandacht.db import session
from aandacht.segments import service as segments
from aandacht.segments.language import SelectionInvalid, Viewer
from aandacht.segments.registry import predicates_for
from aandacht.segments.schema import document_schema
from aandacht.tenancy.context import tenant_context
from aandacht.tenancy.files import TenantFilesInvalid, read_tenant_files
from aandacht.tenancy.service import active_tenants, find_tenant, sync_tenants


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


# Settings come from the environment only: Flask's --env-file and --app options do not apply here.
main.params = [param for param in main.params if param.name not in ("env_file", "app")]


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
        declarations = read_tenant_files(
            folder, registry.domains.keys(), registry.failures, attention.known_signals(registry)
        )
        changes = sync_tenants(declarations, dry_run=dry_run)
    except TenantFilesInvalid as invalid:
        click.echo(f"Nothing changed: {len(invalid.errors)} problem(s) in the tenant files.", err=True)
        for error in invalid.errors:
            click.echo(f"  {error}", err=True)
        sys.exit(1)
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
    if registry.failures:
        sys.exit(1)


@click.group("demo", cls=AppGroup)
def demo_group() -> None:
    """Demo data for trying the platform."""


@demo_group.command("load")
@click.option("--tenant", "slugs", multiple=True, help="Only this tenant (repeat for more); default all.")
def demo_load(slugs: tuple[str, ...]) -> None:
    """Give every tenant (or those named) demo accounts, and let its enabled domains add their demo data."""
    registry = current_app.extensions["aandacht.domains"]
    tenants = [tenant for tenant in active_tenants() if not slugs or tenant.slug in slugs]
    unknown = sorted(set(slugs) - {tenant.slug for tenant in tenants})
    if unknown:
        click.echo(f"Error: no active tenant {', '.join(unknown)}.", err=True)
        sys.exit(2)
    for tenant in tenants:
        domains = registry.enabled_for(tenant)
        with tenant_context(tenant):
            demo.load_demo_accounts(tenant)
            conversations_demo.load_demo_conversations(tenant)
            for domain in domains:
                domain.load_demo_data(tenant)
            session.commit()
        names = ", ".join(domain.name for domain in domains) or "no domain"
        click.echo(f"{tenant.slug}: demo accounts and demo data of {names}")


@demo_group.command("logins")
def demo_logins() -> None:
    """Print the demo logins of every tenant (password and authenticator code included)."""
    for tenant in active_tenants():
        addresses = demo.demo_addresses(tenant)
        click.echo(f"{tenant.name} (/t/{tenant.slug}/)")
        for role, address in addresses.items():
            click.echo(f"    {role:<13} {address}")
    click.echo(f"Password of every demo account: {demo.DEMO_PASSWORD}")
    click.echo(
        f"Staff are asked for an authenticator code: run 'aandacht demo code' (now: {demo.demo_code()})."
    )


@demo_group.command("code")
def demo_code() -> None:
    """Print the current authenticator code of the demo staff accounts (not in production)."""
    if current_app.extensions["aandacht.settings"].environment == "production":
        click.echo("Error: demo codes are not available in production.", err=True)
        sys.exit(2)
    click.echo(demo.demo_code())


@click.command("worker")
@with_appcontext
@click.option(
    "--queue", "queues", multiple=True, type=click.Choice(jobs.QUEUES), help="Queues (default all)."
)
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@click.option(
    "--fork/--no-fork",
    default=True,
    help="Run each job in a forked process of its own (the default), or in the worker's process.",
)
def worker_command(queues: tuple[str, ...], burst: bool, fork: bool) -> None:
    """Run a worker for background jobs (needs REDIS_URL)."""
    if current_app.extensions.get("aandacht.redis") is None:
        click.echo(
            "Error: REDIS_URL is not set; without it jobs run inline and no worker is needed.", err=True
        )
        sys.exit(2)
    try:
        jobs.run_worker(current_app._get_current_object(), queues or jobs.QUEUES, burst=burst, fork=fork)
    except RedisConnectionError as error:
        click.echo(f"Error: Redis at REDIS_URL does not answer: {error}", err=True)
        sys.exit(2)  # type: ignore[attr-defined]


@click.command("cron")
@with_appcontext
@click.option("--list", "show", is_flag=True, help="List the periodic jobs and their next run, and stop.")
@click.option("--run", "target", metavar="JOB", help="Run this periodic job now, in this process, and stop.")
def cron_command(show: bool, target: str | None) -> None:
    """Enqueue the periodic jobs when they are due, for `aandacht worker` to run (needs REDIS_URL)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if show and target:
        raise click.UsageError("Give --list or --run, not both.")
    try:
        if show:
            click.echo("\n".join(schedule.listing(app)))
        elif target:
            outcome = schedule.run_now(app, schedule.find_periodic(app, target))
            for slug, problem in outcome.items():
                click.echo(f"{slug}: {'done' if problem is None else f'FAILED {problem}'}")
            if any(outcome.values()):
                sys.exit(1)
        elif app.extensions.get("aandacht.redis") is None:
            click.echo(
                "Error: REDIS_URL is not set; without Redis there is no scheduler. "
                "Run a periodic job now with 'aandacht cron --run JOB'.",
                err=True,
            )
            sys.exit(2)
        else:
            schedule.run_scheduler(app)
    except schedule.ScheduleError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)
    except RedisConnectionError as error:
        click.echo(f"Error: Redis at REDIS_URL does not answer: {error}", err=True)
        sys.exit(2)


@click.group("accounts", cls=AppGroup)
def accounts_group() -> None:
    """Staff accounts and platform administrators."""


@accounts_group.command("create-staff")
@click.option("--tenant", "slug", required=True, help="The tenant's slug.")
@click.option("--email", required=True)
@click.option("--name", required=True, help="Full name, as colleagues see it.")
@click.option("--role", type=click.Choice(STAFF_ROLES), required=True)
@click.option("--local", is_flag=True, help="A local account: password (asked) and authenticator app.")
def create_staff_command(slug: str, email: str, name: str, role: str, local: bool) -> None:
    """Add a staff member to a tenant (without --local they log in through the tenant's identity provider)."""
    tenant = find_tenant(slug=slug)
    if tenant is None:
        click.echo(f"Error: there is no tenant {slug!r}.", err=True)
        sys.exit(2)
    password = click.prompt("Password", hide_input=True, confirmation_prompt=True) if local else None
    with tenant_context(tenant):
        if accounts.staff_account_exists(email):
            click.echo(f"Error: {email} already has an account at {slug} (perhaps deactivated).", err=True)
            sys.exit(1)
        accounts.create_staff(display_name=name, email=email, role=role, password=password)
    click.echo(f"{email} is now {role} at {tenant.name}.")


@accounts_group.command("create-platform-admin")
@click.option("--email", required=True)
@click.option("--name", required=True)
def create_platform_admin_command(email: str, name: str) -> None:
    """Add a platform administrator (asks the password; the authenticator app is set up at first login)."""
    if accounts.platform_admin_by_email(email):
        click.echo(f"Error: {email} is already a platform administrator.", err=True)
        sys.exit(1)
    password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    accounts.create_platform_admin(display_name=name, email=email, password=password)
    click.echo(f"{email} is now a platform administrator; log in at /staff/login on the platform's address.")


@click.group("segments", cls=AppGroup)
def segments_group() -> None:
    """Selections: their language and how many people a document selects."""


@segments_group.command("schema")
@click.option("--tenant", "slug", help="Include the selection conditions of this tenant's domains.")
def segments_schema(slug: str | None) -> None:
    """Print the JSON Schema of selection documents."""
    tenant = find_tenant(slug=slug) if slug else None
    if slug and tenant is None:
        click.echo(f"Error: there is no tenant {slug!r}.", err=True)
        sys.exit(2)
    click.echo(json.dumps(document_schema(predicates_for(tenant)), indent=2, ensure_ascii=False))


@segments_group.command("count")
@click.option("--tenant", "slug", required=True, help="The tenant's slug.")
@click.argument("document", type=click.File("r"))
def segments_count(slug: str, document: TextIO) -> None:
    """Check a selection DOCUMENT (a JSON file, - for standard input) and count whom it selects."""
    tenant = find_tenant(slug=slug)
    if tenant is None:
        click.echo(f"Error: there is no tenant {slug!r}.", err=True)
        sys.exit(2)
    try:
        parsed = json.load(document)
    except json.JSONDecodeError as error:
        click.echo(f"Error: the document is not JSON: {error}", err=True)
        sys.exit(2)
    with tenant_context(tenant):
        try:
            number = segments.count(parsed, Viewer.system())
        except SelectionInvalid as invalid:
            for problem in invalid.problems:
                click.echo(f"{problem.path or '/'}: {problem.message}", err=True)
            sys.exit(1)
    click.echo(f"{number} people at {tenant.name}.")


def init_app(app: Flask) -> None:
    """Add the platform's commands to `app` (so `aandacht` and test runners both have them)."""
    commands = (
        db_group,
        tenants_group,
        demo_group,
        accounts_group,
        segments_group,
        domains_command,
        worker_command,
        cron_command,
    )
    for command in commands:
        app.cli.add_command(command)


if __name__ == "__main__":
    main()
