"""The caseload report in the workspace: `/workspace/report`, and each of its tables as CSV.

A coach sees their own caseload and their own contact moments. A team lead picks a coach
(`?coach=<id>`) or the whole organisation (no `coach`). `?months=` (1-24, default 6) ends with the
current month. People named on the page or in a download are written to their access log.
"""

from __future__ import annotations

import csv
import io
import uuid

from flask import Blueprint, abort, current_app, g, render_template, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from aandacht.accounts import service as accounts
from aandacht.accounts.models import StaffMember
from aandacht.accounts.permissions import Permission, requires
from aandacht.attention import charts, report_tables
from aandacht.attention.report import Report, caseload_report
from aandacht.db import utcnow
from aandacht.privacy.service import record_accesses
from aandacht.profiles.presentation import spreadsheet_safe
from aandacht.tenancy.scoping import get_scoped

blueprint = Blueprint("report", __name__, url_prefix="/workspace", template_folder="templates")
MOST_MONTHS, DEFAULT_MONTHS = 24, 6


def _coach() -> StaffMember | None:
    """The coach whose caseload the report is of; None: the whole organisation (team leads only)."""
    principal = g.principal
    if not principal.can(Permission.PEOPLE_VIEW_ALL):
        return get_scoped(StaffMember, principal.id)
    raw = request.args.get("coach", "")
    if not raw:
        return None
    try:
        coach = get_scoped(StaffMember, uuid.UUID(raw))
    except ValueError:
        coach = None
    if coach is None or coach.role not in accounts.CASELOAD_ROLES:
        abort(404)
    return coach


def _months() -> int:
    months = request.args.get("months", DEFAULT_MONTHS, type=int)
    if months is None or not 1 <= months <= MOST_MONTHS:
        abort(400, _("Choose between 1 and %(most)d months.", most=MOST_MONTHS))
    return months


def _report(coach: StaffMember | None) -> Report:
    people = accounts.caseload(coach.id) if coach else accounts.all_people()
    return caseload_report(people, staff_id=coach.id if coach else None, last=utcnow(), months=_months())


def _named_people(report: Report, coach: StaffMember | None, keys: list[str]) -> list[uuid.UUID]:
    """The people whose names the tables `keys` show: the per-person table only of one coach's caseload."""
    named = []
    if coach is not None and "people" in keys:
        named += [person.id for person in report.people]
    if "unreachable" in keys:
        named += [found.person.id for found in report.unreachable]
    return named


@blueprint.get("/report")
@requires(Permission.CASELOAD_VIEW)
def caseload_report_page() -> str:
    """The report: charts with their tables, and a CSV download of each table."""
    coach = _coach()
    report = _report(coach)
    keys = ["summary", "channels", "unreachable"] + (["people"] if coach is not None else [])
    record_accesses(_named_people(report, coach, keys), what="report")
    tables = {key: report_tables.TABLES[key](report) for key in keys}
    drawn = {"attention": charts.attention(report), "channels": charts.channels(report)}
    return render_template(
        "attention/report.html",
        report=report,
        coach=coach,
        coaches=accounts.caseload_holders() if g.principal.can(Permission.PEOPLE_VIEW_ALL) else [],
        months=len(report.months),
        tables=tables,
        charts=drawn,
        menu=current_app.extensions["aandacht.domains"].menu_items(g.tenant, "coach"),
    )


@blueprint.get("/report/<key>.csv")
@requires(Permission.CASELOAD_VIEW)
def report_csv(key: str) -> Response:
    """One table of the report as CSV, exactly as the page shows it."""
    coach = _coach()
    if key not in report_tables.TABLES or (key == "people" and coach is None):
        abort(404)
    report = _report(coach)
    record_accesses(_named_people(report, coach, [key]), what="report", channel="export")
    table = report_tables.TABLES[key](report)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.headers)
    writer.writerows([spreadsheet_safe(str(cell)) for cell in row] for row in table.rows)
    response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="report-{key}.csv"'
    response.cache_control.no_store = True
    return response
