"""The portal's import pages (`/portal/imports`): upload a client file, map its columns, dry run, run.

Only a tenant administrator in a login session may use them (never an API token). The steps are those
of `aandacht.profiles.imports`; an import of another tenant is "not found", like one that does not exist.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from aandacht.accounts.permissions import Permission, Rule, requires_any
from aandacht.profiles import imports
from aandacht.profiles.import_models import ACTIVE_STATUSES, ImportRun

blueprint = Blueprint("imports", __name__, url_prefix="/portal/imports", template_folder="templates")
#: Administrators in a login session; a token cannot import.
MANAGE_IMPORTS = requires_any(Rule.of(Permission.PORTAL), tokens=False)


def _menu() -> list:
    return current_app.extensions["aandacht.domains"].menu_items(g.tenant, "portal")


def _run_or_404(import_id: str) -> ImportRun:
    run = imports.import_run(import_id)
    if run is None:
        abort(404)
    return run


def status_names() -> dict[str, str]:
    """Each state of an import in words."""
    return {
        "uploaded": _("Uploaded: link the columns"),
        "checked": _("Checked: ready to import"),
        "queued": _("Waiting to start"),
        "running": _("Importing"),
        "done": _("Imported"),
        "rejected": _("Not imported: rows with errors"),
        "failed": _("Not imported: stopped by an error"),
    }


def _index_page(status: int = 200) -> tuple[str, int]:
    page = render_template(
        "profiles/imports/index.html",
        runs=imports.recent_imports(),
        statuses=status_names(),
        max_megabytes=max(1, imports.max_file_bytes() // (1024 * 1024)),
        menu=_menu(),
    )
    return page, status


@blueprint.get("/")
@MANAGE_IMPORTS
def index() -> tuple[str, int]:
    """The upload form and the latest imports."""
    return _index_page()


@blueprint.post("/")
@MANAGE_IMPORTS
def upload() -> tuple[str, int] | Response:
    """Receive a file, check that it can be read, and go on to link its columns."""
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        flash(_("Choose a file first."), "error")
        return _index_page(400)
    data = sent.stream.read(imports.max_file_bytes() + 1)
    try:
        run = imports.upload(file_name=sent.filename, data=data, acting_staff_id=g.principal.id)
    except imports.ImportRefused as refused:
        flash(str(refused), "error")
        return _index_page(400)
    return redirect(url_for("imports.mapping", import_id=run.id))


def _mapping_page(run: ImportRun, mapping: dict[str, str], status: int = 200) -> tuple[str, int]:
    page = render_template(
        "profiles/imports/mapping.html",
        run=run,
        mapping=mapping,
        targets=imports.targets(),
        menu=_menu(),
    )
    return page, status


@blueprint.route("/<import_id>/mapping", methods=["GET", "POST"])
@MANAGE_IMPORTS
def mapping(import_id: str) -> tuple[str, int] | Response:
    """Link each column of the file to a field or question; posting it makes the dry run."""
    run = _run_or_404(import_id)
    if run.status not in ("uploaded", "checked"):
        return redirect(url_for("imports.show", import_id=run.id))
    if request.method == "GET":
        return _mapping_page(run, dict(run.mapping or {}))
    chosen = {column: request.form.get(f"column-{index}", "") for index, column in enumerate(run.columns)}
    try:
        imports.check(run, chosen)
    except imports.ImportRefused as refused:
        flash(str(refused), "error")
        return _mapping_page(run, chosen, 400)
    return redirect(url_for("imports.show", import_id=run.id))


@blueprint.get("/<import_id>")
@MANAGE_IMPORTS
def show(import_id: str) -> str | Response:
    """The dry-run report with the button to import, the progress of a run, or its result."""
    run = _run_or_404(import_id)
    if run.status == "uploaded":
        return redirect(url_for("imports.mapping", import_id=run.id))
    return render_template(
        "profiles/imports/show.html",
        run=run,
        statuses=status_names(),
        active=run.status in ACTIVE_STATUSES,
        menu=_menu(),
    )


@blueprint.get("/<import_id>/progress")
@MANAGE_IMPORTS
def progress(import_id: str) -> str:
    """The progress part of the run page, which htmx asks for every few seconds while it runs."""
    run = _run_or_404(import_id)
    return render_template(
        "profiles/imports/_progress.html",
        run=run,
        statuses=status_names(),
        active=run.status in ACTIVE_STATUSES,
    )


@blueprint.post("/<import_id>/run")
@MANAGE_IMPORTS
def start(import_id: str) -> Response:
    """Start the real import of a checked file (in the background)."""
    run = _run_or_404(import_id)
    try:
        imports.start(run)
    except imports.ImportRefused as refused:
        flash(str(refused), "error")
    return redirect(url_for("imports.show", import_id=run.id))
