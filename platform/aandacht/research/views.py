"""Outcomes in the coach's workspace: a person's outcomes with a form to register one, and a file import.

`/workspace/people/<person>/outcomes` lists what happened to the person and registers a new outcome;
the coach who registered one, or a team lead, removes one registered in error. A person outside the
caseload, or of another tenant, is not found (404). `/workspace/outcomes/import` takes a CSV file of
outcomes (team leads and administrators), all or nothing, with a report per row.
"""

from __future__ import annotations

import csv
import io
import uuid

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from aandacht.accounts.permissions import Permission, requires
from aandacht.db import session
from aandacht.profiles.views import person_of_caseload
from aandacht.research import imports, service
from aandacht.research.models import Outcome
from aandacht.research.service import OutcomeInput, OutcomeInvalid

blueprint = Blueprint("outcomes", __name__, template_folder="templates")


def _menu() -> list:
    return current_app.extensions["aandacht.domains"].menu_items(g.tenant, "coach")


def _may_remove(outcome: Outcome) -> bool:
    return outcome.recorded_by == g.principal.id or g.principal.can(Permission.PEOPLE_VIEW_ALL)


def _submitted_input() -> OutcomeInput:
    type_key = request.form.get("type", "")
    prefix = f"{type_key}--"
    details = {
        name.removeprefix(prefix): value
        for name, value in request.form.items()
        if name.startswith(prefix) and value.strip()
    }
    return OutcomeInput(
        type_key=type_key,
        occurred_on=request.form.get("date"),
        details=details,
        note=request.form.get("note"),
    )


@blueprint.route("/workspace/people/<uuid:person_id>/outcomes", methods=["GET", "POST"])
@requires(Permission.CASELOAD_VIEW)
def person_outcomes(person_id: uuid.UUID) -> str | tuple[str, int] | Response:
    """The person's outcomes, newest first, and the form to register one."""
    person = person_of_caseload(person_id)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            checked = service.check(_submitted_input())
            recorded = service.record_outcome(person.id, checked, source="coach", recorded_by=g.principal.id)
        except OutcomeInvalid as invalid:
            session.rollback()
            errors = invalid.errors
        else:
            session.commit()
            if recorded.action == "unchanged":
                flash(_("This outcome was registered already."), "info")
            else:
                flash(_("The outcome is registered."), "info")
            return redirect(url_for("outcomes.person_outcomes", person_id=person.id))
    kinds = service.outcome_types()
    return (
        render_template(
            "research/person_outcomes.html",
            person=person,
            kinds=kinds,
            outcomes=service.outcomes_of(person.id),
            may_remove=_may_remove,
            errors=errors,
            menu=_menu(),
        ),
        400 if errors else 200,
    )


@blueprint.post("/workspace/people/<uuid:person_id>/outcomes/<uuid:outcome_id>/remove")
@requires(Permission.CASELOAD_VIEW)
def remove(person_id: uuid.UUID, outcome_id: uuid.UUID) -> Response:
    """Remove an outcome registered in error (its registrar or a team lead)."""
    person = person_of_caseload(person_id)
    outcome = service.outcome_by_id(outcome_id)
    if outcome is None or outcome.person_id != person.id:
        abort(404)
    if not _may_remove(outcome):
        abort(403)
    service.remove_outcome(outcome)
    session.commit()
    flash(_("The outcome is removed."), "info")
    return redirect(url_for("outcomes.person_outcomes", person_id=person.id))


@blueprint.route("/workspace/outcomes/import", methods=["GET", "POST"])
@requires(Permission.CASELOAD_MANAGE)
def import_file() -> str | tuple[str, int]:
    """Upload a CSV file of outcomes: every row is registered, or none when any row is refused."""
    report = None
    problem = None
    if request.method == "POST":
        upload = request.files.get("file")
        try:
            if upload is None or not upload.filename:
                raise imports.FileRefused(_("Choose a CSV file."))
            rows = imports.read_csv(upload.read(imports.LARGEST_FILE + 1))
        except imports.FileRefused as refused:
            problem = str(refused)
        else:
            report = imports.import_outcomes(
                rows, source="import", recorded_by=g.principal.id, may_see=lambda _person: True
            )
            if report.written:
                session.commit()
            else:
                session.rollback()
    status = 400 if problem or (report is not None and not report.written) else 200
    return (
        render_template(
            "research/import.html",
            report=report,
            problem=problem,
            kinds=service.outcome_types(),
            menu=_menu(),
        ),
        status,
    )


@blueprint.get("/workspace/outcomes/import/example.csv")
@requires(Permission.CASELOAD_MANAGE)
def example_file() -> Response:
    """A CSV file with the columns the import reads and one example row per outcome type."""
    kinds = list(service.outcome_types().values())
    details = list(dict.fromkeys(detail.name for kind in kinds for detail in kind.details))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["client_number", "outcome", "date", "outcome_id", "note", *details])
    for number, kind in enumerate(kinds, start=1):
        examples = {
            detail.name: detail.options[0][0] if detail.options else ("32" if detail.kind == "number" else "")
            for detail in kind.details
        }
        writer.writerow(
            [
                f"CL-{number:04d}",
                kind.key,
                "2026-03-01",
                f"EX-{number}",
                "",
                *(examples.get(d, "") for d in details),
            ]
        )
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=outcomes-example.csv"},
    )
