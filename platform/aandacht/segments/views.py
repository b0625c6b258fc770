"""Selections in the coach workspace: build one without writing JSON, see who matches, save, freeze, export.

- `/workspace/segments/`: the tenant's saved selections, each with its count for the viewer.
- `/workspace/segments/new` and `/<id>/edit`: the builder (rows of `aandacht.segments.builder`); htmx
  posts it to `preview` on every change, for the count, a sample and the rows drawn again.
- `/workspace/segments/<id>`: the people, paged; `/<id>/export.csv` for roles with PEOPLE_EXPORT.

Everything is evaluated as the viewer (`viewer_of`): a coach selects only on what their role may see,
and only among their caseload. Anyone in the workspace uses saved selections; changing one is for its
owner and for roles that see everyone. A selection of another tenant is not found (404).
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.datastructures import MultiDict
from werkzeug.utils import secure_filename
from werkzeug.wrappers import Response

from aandacht.accounts import service as accounts
from aandacht.accounts.models import Person, StaffMember
from aandacht.accounts.permissions import Permission, requires
from aandacht.profiles.presentation import spreadsheet_safe, value_text
from aandacht.profiles.service import profile_values_of
from aandacht.segments import service
from aandacht.segments.builder import (
    Built,
    Selection,
    apply_action,
    document_of,
    selection_from_form,
    selection_of,
)
from aandacht.segments.choices import Choices, choices_for, template_values
from aandacht.segments.language import Problem, SelectionInvalid, Viewer
from aandacht.segments.models import Segment
from aandacht.segments.service import SelectionTooSlow
from aandacht.tenancy.scoping import get_scoped

blueprint = Blueprint("segments", __name__, url_prefix="/workspace/segments", template_folder="templates")
#: People per page of a selection's results.
PAGE_SIZE = 50
#: How long the list of selections waits for each count before it leaves the counting to its own page.
LIST_COUNT_TIMEOUT_MS = 2_000


@dataclass
class Outcome:
    """What a selection gives now: how many and a sample, or its problems (by row, or in general)."""

    count: int | None = None
    sample: list[Person] = field(default_factory=list)
    row_errors: dict[tuple[int, int], list[str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


@dataclass
class Draft:
    """The builder form as filled in: the fields, and the rows (None: a document the rows cannot draw)."""

    name: str = ""
    description: str = ""
    kind: str = "dynamic"
    selection: Selection | None = field(default_factory=Selection)
    document: Any = None
    errors: dict[str, str] = field(default_factory=dict)

    def built(self, choices: Choices) -> Built:
        """The document to evaluate and save, with the rows its paths point into."""
        if self.selection is None:
            return Built(self.document, {})
        return document_of(self.selection, choices.attributes)


def _viewer() -> Viewer:
    return service.viewer_of(g.principal)


def _menus() -> dict[str, Any]:
    return {"menu": current_app.extensions["aandacht.domains"].menu_items(g.tenant, "coach")}


def _segment(segment_id: uuid.UUID) -> Segment:
    segment = service.segment_by_id(segment_id)
    if segment is None:
        abort(404)
    return segment


def may_change(segment: Segment) -> bool:
    """Whether the staff member may change, freeze or delete the saved selection: its owner, or a lead."""
    return g.principal.can(Permission.PEOPLE_VIEW_ALL) or segment.owner_id == g.principal.id


def _changeable(segment_id: uuid.UUID) -> Segment:
    segment = _segment(segment_id)
    if not may_change(segment):
        abort(403)
    return segment


def _outcome(built: Built, viewer: Viewer) -> Outcome:
    try:
        count, sample = service.count_and_page(built.document, viewer, limit=service.SAMPLE_SIZE)
    except SelectionInvalid as invalid:
        return _problems(built, invalid.problems)
    return Outcome(count, sample)


def _problems(built: Built, problems: Iterable[Problem]) -> Outcome:
    outcome = Outcome()
    for problem in problems:
        row = built.row_of(problem.path)
        if row is None:
            outcome.errors.append(problem.message)
        else:
            outcome.row_errors.setdefault(row, []).append(problem.message)
    return outcome


# --- The list ------------------------------------------------------------------------------------------


@blueprint.get("/")
@requires(Permission.CASELOAD_VIEW)
def index() -> str:
    """The tenant's saved selections: live or frozen, owner, and how many people the viewer sees in each."""
    viewer = _viewer()
    owners = {staff.id: staff.display_name for staff in accounts.all_staff()}
    rows = [(segment, *_count(segment, viewer)) for segment in service.saved_segments()]
    return render_template("segments/index.html", rows=rows, owners=owners, **_menus())


def _count(segment: Segment, viewer: Viewer) -> tuple[int | None, str]:
    """The number of people in the list, or why it is not shown (a slow count waits for its own page)."""
    try:
        return service.count(service.as_document(segment), viewer, timeout_ms=LIST_COUNT_TIMEOUT_MS), ""
    except SelectionTooSlow:
        return None, _("open it to count")
    except SelectionInvalid:
        return None, _("not for your role")  # it selects on something the viewer may not select on


# --- The builder ---------------------------------------------------------------------------------------


@blueprint.route("/new", methods=["GET", "POST"])
@requires(Permission.CASELOAD_VIEW)
def new() -> str | tuple[str, int] | Response:
    """Build a new selection; without JavaScript the buttons post here and the page is drawn again."""
    return _build(None)


@blueprint.route("/<uuid:segment_id>/edit", methods=["GET", "POST"])
@requires(Permission.CASELOAD_VIEW)
def edit(segment_id: uuid.UUID) -> str | tuple[str, int] | Response:
    """Change a saved selection: its name, description, live or frozen, and its conditions."""
    return _build(_changeable(segment_id))


@blueprint.post("/preview")
@blueprint.post("/<uuid:segment_id>/preview")
@requires(Permission.CASELOAD_VIEW)
def preview(segment_id: uuid.UUID | None = None) -> str:
    """For htmx: the rows drawn again (a new choice brings its own inputs), the count and a sample."""
    segment = _changeable(segment_id) if segment_id else None
    viewer = _viewer()
    choices = choices_for(viewer, editing=segment.id if segment else None)
    draft = _draft_from_form(request.form, choices, segment)
    if draft.selection is not None:
        apply_action(draft.selection, _clicked_action())
    outcome = _outcome(draft.built(choices), viewer)
    return render_template(
        "segments/_preview.html", **_builder_values(draft, segment, choices, outcome), **template_values()
    )


def _clicked_action() -> str:
    """The action of the button that sent this request; none for a change of a field.

    htmx sends the last clicked submit button's value along with later requests of the same form, so
    an "add a condition" would repeat at every change; HX-Trigger-Name tells whether a button sent it.
    """
    return request.form.get("action", "") if request.headers.get("HX-Trigger-Name") == "action" else ""


def _build(segment: Segment | None) -> str | tuple[str, int] | Response:
    viewer = _viewer()
    choices = choices_for(viewer, editing=segment.id if segment else None)
    if request.method == "GET":
        draft = _draft_of(segment, choices)
    else:
        draft = _draft_from_form(request.form, choices, segment)
        action = request.form.get("action", "")
        if action == "save":
            return _save(draft, segment, viewer, choices)
        if draft.selection is not None:
            apply_action(draft.selection, action)
    return _page(draft, segment, choices, _outcome(draft.built(choices), viewer))


def _draft_of(segment: Segment | None, choices: Choices) -> Draft:
    if segment is None:
        return Draft()
    return Draft(
        segment.name,
        segment.description,
        segment.kind,
        selection_of(segment.predicate, choices.attributes),
        segment.predicate,
    )


def _draft_from_form(form: MultiDict, choices: Choices, segment: Segment | None) -> Draft:
    keep = segment is not None and form.get("keep_document") == "1"
    return Draft(
        form.get("name", ""),
        form.get("description", ""),
        form.get("kind", "dynamic"),
        None if keep else selection_from_form(form, choices.attributes),
        segment.predicate if keep else None,
    )


def _save(
    draft: Draft, segment: Segment | None, viewer: Viewer, choices: Choices
) -> tuple[str, int] | Response:
    built = draft.built(choices)
    fields = service.SegmentFields(draft.name, built.document, draft.description, draft.kind)
    try:
        saved = service.save_segment(fields, viewer, segment=segment)
    except service.SegmentInvalid as invalid:
        draft.errors = {key: message for key, message in invalid.errors.items() if key != "predicate"}
        outcome = _problems(built, invalid.problems) if invalid.problems else _outcome(built, viewer)
        flash(_("The selection is not saved yet. Look at the red text."), "error")
        return _page(draft, segment, choices, outcome), 400
    flash(_("The selection “%(name)s” is saved.", name=saved.name), "info")
    return redirect(url_for("segments.results", segment_id=saved.id))


def _page(draft: Draft, segment: Segment | None, choices: Choices, outcome: Outcome) -> str:
    return render_template(
        "segments/builder.html",
        **_builder_values(draft, segment, choices, outcome),
        **template_values(),
        **_menus(),
    )


def _builder_values(
    draft: Draft, segment: Segment | None, choices: Choices, outcome: Outcome
) -> dict[str, Any]:
    if segment is None:
        save_url, preview_url = url_for("segments.new"), url_for("segments.preview")
    else:
        save_url = url_for("segments.edit", segment_id=segment.id)
        preview_url = url_for("segments.preview", segment_id=segment.id)
    return {
        "draft": draft,
        "segment": segment,
        "choices": choices,
        "outcome": outcome,
        "save_url": save_url,
        "preview_url": preview_url,
    }


# --- A saved selection ---------------------------------------------------------------------------------


@blueprint.get("/<uuid:segment_id>")
@requires(Permission.CASELOAD_VIEW)
def results(segment_id: uuid.UUID) -> str:
    """The people of a saved selection as the viewer may see them, fifty a page."""
    segment = _segment(segment_id)
    viewer = _viewer()
    page = max(1, request.args.get("page", 1, type=int))
    document = service.as_document(segment)
    try:
        total, people = service.count_and_page(
            document, viewer, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
        )
        errors = []
    except SelectionInvalid as invalid:
        total, people, errors = None, [], [problem.message for problem in invalid.problems]
    return render_template(
        "segments/results.html",
        segment=segment,
        total=total,
        people=people,
        errors=errors,
        page=page,
        pages=max(1, -(-(total or 0) // PAGE_SIZE)),
        may_change=may_change(segment),
        owner=get_scoped(StaffMember, segment.owner_id) if segment.owner_id else None,
        **_menus(),
    )


@blueprint.post("/<uuid:segment_id>/freeze")
@requires(Permission.CASELOAD_VIEW)
def freeze(segment_id: uuid.UUID) -> Response:
    """Take a snapshot: the people who match now become the selection's fixed list."""
    segment = _changeable(segment_id)
    try:
        service.freeze(segment, _viewer())
    except SelectionInvalid as invalid:
        flash("; ".join(problem.message for problem in invalid.problems), "error")
    else:
        count = segment.frozen_count or 0
        message = ngettext(
            "Snapshot taken: the selection now keeps this %(num)d person.",
            "Snapshot taken: the selection now keeps these %(num)d people.",
            count,
        )
        flash(message, "info")
    return redirect(url_for("segments.results", segment_id=segment.id))


@blueprint.route("/<uuid:segment_id>/delete", methods=["GET", "POST"])
@requires(Permission.CASELOAD_VIEW)
def delete(segment_id: uuid.UUID) -> str | tuple[str, int] | Response:
    """Ask first, then remove the saved selection; refused while another selection uses it."""
    segment = _changeable(segment_id)
    error = None
    if request.method == "POST":
        name = segment.name
        try:
            service.delete_segment(segment)
        except service.SegmentInvalid as invalid:
            error = "; ".join(invalid.errors.values())
        else:
            flash(_("The selection “%(name)s” is deleted.", name=name), "info")
            return redirect(url_for("segments.index"))
    page = render_template("segments/delete.html", segment=segment, error=error, **_menus())
    return (page, 400) if error else page


@blueprint.get("/<uuid:segment_id>/export.csv")
@requires(Permission.CASELOAD_VIEW, Permission.PEOPLE_EXPORT)
def export(segment_id: uuid.UUID) -> Response:
    """The people as CSV: contact details, client number and the profile values the selection reads."""
    segment = _segment(segment_id)
    viewer = _viewer()
    try:
        keys = service.attributes_read(segment.predicate, viewer)
        people = service.people(service.as_document(segment), viewer)
    except SelectionInvalid:
        abort(403)
    attributes = [a for a in service.context_for(viewer).attributes.values() if a.key in keys]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [_("Name"), _("E-mail address"), _("Phone"), _("Client number"), *(str(a.label) for a in attributes)]
    )
    profiles = profile_values_of([person.id for person in people])
    for person in people:
        values = profiles.get(person.id, {})
        cells = [person.display_name, person.email, person.phone, person.external_id]
        cells += [value_text(a, values.get(a.key)) for a in attributes]
        writer.writerow([spreadsheet_safe(cell or "") for cell in cells])
    response = Response(out.getvalue(), mimetype="text/csv")
    filename = secure_filename(segment.name) or "selection"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.cache_control.no_store = True
    return response
