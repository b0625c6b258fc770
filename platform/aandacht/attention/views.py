"""The coach's worklist in the workspace: who needs attention today and why, and what the coach did.

The worklist heads the workspace's start page (`workspace.caseload` renders it with `worklist_values`);
its filters ask for the list alone with htmx. "Done for today" records a contact moment and hides the
person until tomorrow; "snooze" hides them until a chosen day; both can be undone on the same day.
Everything is the coach's own caseload: another coach's person, or another tenant's, is not found (404).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from aandacht.accounts import service as accounts
from aandacht.accounts.models import Person
from aandacht.accounts.permissions import Permission, requires
from aandacht.accounts.principal import Principal
from aandacht.attention import service
from aandacht.attention.service import DONE_KINDS, Entry, MarkRefused, Worklist
from aandacht.attention.signals import Severity
from aandacht.segments import service as segments
from aandacht.segments.language import SelectionInvalid

blueprint = Blueprint("attention", __name__, url_prefix="/workspace/worklist", template_folder="templates")

#: Each severity in words, with its icon.
SEVERITY_NAMES = {
    Severity.HIGH: ("alert-octagon", _l("High")),
    Severity.MEDIUM: ("alert-triangle", _l("Medium")),
    Severity.LOW: ("info-circle", _l("Low")),
}
#: The kinds of contact a coach chooses from for "done for today", with their icons.
DONE_KIND_NAMES = {
    "phone": ("phone", _l("Phone call")),
    "meeting": ("users", _l("Meeting")),
    "message": ("message-circle", _l("Message")),
    "other": ("dots", _l("Other")),
}
LONGEST_NOTE = 500


def worklist_values(principal: Principal, args: Mapping[str, str]) -> dict[str, Any]:
    """What the worklist templates need: the coach's filtered worklist, the filters and their choices."""
    tenant = g.tenant
    found = service.worklist(principal.id)
    filters = _filters(args)
    entries, problem = _filtered(found, filters, principal)
    rules = service.signal_rules(tenant)
    return {
        "worklist": found,
        "entries": entries,
        "filters": filters,
        "filter_problem": problem,
        "signal_choices": [(rule.key, rule.label) for rule in rules],
        "segment_choices": segments.saved_segments(),
        "severities": SEVERITY_NAMES,
        "done_kinds": {kind: DONE_KIND_NAMES[kind] for kind in DONE_KINDS},
        "today": service.local_today(tenant),
        "tomorrow": service.local_today(tenant) + timedelta(days=1),
        "latest_snooze": service.local_today(tenant) + service.LONGEST_SNOOZE,
        "digest_wanted": service.digest_wanted(principal.id),
    }


def _filters(args: Mapping[str, str]) -> dict[str, Any]:
    severity = args.get("severity", "")
    return {
        "signal": args.get("signal", "")[:100],
        "severity": int(severity) if severity in ("1", "2", "3") else None,
        "segment": args.get("segment", "")[:36],
        "name": args.get("name", "").strip()[:100],
    }


def _filtered(
    found: Worklist, filters: dict[str, Any], principal: Principal
) -> tuple[list[Entry], str | None]:
    """The entries that pass every filter, and what was wrong with a filter that could not be used."""
    entries = found.entries
    if filters["signal"]:
        entries = [entry for entry in entries if any(s.key == filters["signal"] for s in entry.signals)]
    if filters["severity"]:
        entries = [entry for entry in entries if entry.severity >= filters["severity"]]
    if filters["name"]:
        words = filters["name"].casefold().split()
        entries = [
            entry for entry in entries if all(w in entry.person.display_name.casefold() for w in words)
        ]
    if not filters["segment"]:
        return entries, None
    segment = _segment(filters["segment"])
    if segment is None:
        return entries, _("That selection does not exist (any more); the list is not narrowed by it.")
    try:
        inside = segments.among(
            segments.as_document(segment), segments.viewer_of(principal), [e.person.id for e in entries]
        )
    except SelectionInvalid:
        return entries, _("That selection cannot be used now; the list is not narrowed by it.")
    return [entry for entry in entries if entry.person.id in inside], None


def _segment(value: str):
    try:
        return segments.segment_by_id(uuid.UUID(value))
    except ValueError:
        return None


@blueprint.get("/")
@requires(Permission.CASELOAD_VIEW)
def index() -> str | Response:
    """The worklist alone (for htmx while the coach filters); a browser goes to the start page."""
    if request.headers.get("HX-Request") != "true":
        return redirect(url_for("workspace.caseload", **request.args))
    return render_template("attention/_worklist_results.html", **worklist_values(g.principal, request.args))


def _person_of_my_caseload(person_id: uuid.UUID) -> Person:
    """A person of the coach's own caseload (the worklist's people), else 404."""
    person = next((p for p in accounts.caseload(g.principal.id) if p.id == person_id), None)
    if person is None:
        abort(404)
    return person


def _back() -> Response:
    return redirect(url_for("workspace.caseload", **_kept_filters()) + "#worklist-heading")


def _kept_filters() -> dict[str, str]:
    return {
        key: request.form[key] for key in ("signal", "severity", "segment", "name") if request.form.get(key)
    }


def _note() -> str | None:
    return request.form.get("note", "").strip()[:LONGEST_NOTE] or None


@blueprint.post("/<uuid:person_id>/done")
@requires(Permission.CASELOAD_VIEW)
def done(person_id: uuid.UUID) -> Response:
    """Done for today: record how the coach was in touch, and take the person off today's list."""
    person = _person_of_my_caseload(person_id)
    try:
        service.mark_done(
            staff_id=g.principal.id, person_id=person.id, kind=request.form.get("kind", ""), note=_note()
        )
    except MarkRefused as refused:
        flash(str(refused), "error")
    else:
        flash(_("%(name)s is done for today; the contact is recorded.", name=person.display_name), "info")
    return _back()


@blueprint.post("/<uuid:person_id>/snooze")
@requires(Permission.CASELOAD_VIEW)
def snooze(person_id: uuid.UUID) -> Response:
    """Snooze: take the person off the list until the chosen day (not a contact)."""
    person = _person_of_my_caseload(person_id)
    try:
        until = date.fromisoformat(request.form.get("until", ""))
    except ValueError:
        flash(
            _("Choose the day on which %(name)s should return to the list.", name=person.display_name),
            "error",
        )
        return _back()
    try:
        service.snooze(staff_id=g.principal.id, person_id=person.id, until=until, note=_note())
    except MarkRefused as refused:
        flash(str(refused), "error")
    else:
        flash(
            _("%(name)s is snoozed until %(day)s.", name=person.display_name, day=format_date(until, "long")),
            "info",
        )
    return _back()


@blueprint.post("/marks/<uuid:mark_id>/undo")
@requires(Permission.CASELOAD_VIEW)
def undo(mark_id: uuid.UUID) -> Response:
    """Put a person back on today's list (a "done" also loses its contact moment)."""
    try:
        service.undo_mark(staff_id=g.principal.id, mark_id=mark_id)
    except LookupError:
        abort(404)
    except MarkRefused as refused:
        flash(str(refused), "error")
    else:
        flash(_("The person is back on your worklist."), "info")
    return _back()


@blueprint.post("/digest")
@requires(Permission.CASELOAD_VIEW)
def digest() -> Response:
    """Switch the coach's daily digest e-mail on or off."""
    wanted = request.form.get("wanted") == "on"
    service.want_digest(g.principal.id, wanted)
    if wanted:
        flash(_("You will get the daily e-mail about your worklist again."), "info")
    else:
        flash(_("You will no longer get the daily e-mail about your worklist."), "info")
    return _back()
