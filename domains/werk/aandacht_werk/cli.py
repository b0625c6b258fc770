"""`aandacht werk …`: the vacancy feed from a file, for a nightly cron job."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from aandacht.tenancy.context import tenant_context
from aandacht.tenancy.service import find_tenant
from aandacht_werk.vacancy_feed import FeedRefused, import_feed, read_rows, rows_outcomes

commands = AppGroup("werk", help="The werk domain: job seekers and their work coaches.")


@commands.command("import-vacancies")
@click.argument("slug")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--source", default="feed", show_default=True, help="Name of the feed; prefixes its external ids."
)
@click.option(
    "--full", is_flag=True, help="The file is the whole feed: retire this source's vacancies it lacks."
)
def import_vacancies(slug: str, path: Path, source: str, full: bool) -> None:
    """Import the vacancies of the CSV or JSON file PATH into tenant SLUG."""
    tenant = find_tenant(slug=slug)
    if tenant is None or "werk" not in tenant.domains:
        raise click.ClickException(f"No tenant {slug!r} with the werk domain.")
    with tenant_context(tenant):
        try:
            report = import_feed(read_rows(path.read_bytes(), path.name), source=source, full=full)
        except FeedRefused as error:
            raise click.ClickException(f"{path.name}: refused, nothing changed: {error}") from None
    for row in report.rows:
        if row.outcome == "refused":
            reasons = "; ".join(f"{name}: {reason}" for name, reason in row.errors.items())
            click.echo(f"row {row.number} ({row.external_id or '-'}): refused: {reasons}")
    totals = ", ".join(f"{count} {outcome}" for outcome, count in rows_outcomes(report))
    click.echo(f"{slug}: {totals}, {len(report.withdrawn)} withdrawn (not in the full feed)")
