"""Caseload assignment in the workspace: a team lead puts a person in a coach's caseload, or takes them out.

`/workspace/people/<person>/coaches` lists the coaches a person is assigned to, with a form to assign
another and a button to remove each. A person or coach of another tenant is not found (404).
"""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from aandacht.accounts import service as accounts
from aandacht.accounts.models import Person, StaffMember
from aandacht.accounts.permissions import Permission, Rule, requires_any
from aandacht.privacy.service import record_access
from aandacht.tenancy.scoping import get_scoped

blueprint = Blueprint("caseloads", __name__, url_prefix="/workspace/people")
#: Team leads and administrators in a login session; a token cannot change caseloads.
MANAGE_CASELOADS = requires_any(Rule.of(Permission.CASELOAD_MANAGE), tokens=False)


def _person(person_id: uuid.UUID) -> Person:
    person = get_scoped(Person, person_id)
    if person is None:
        abort(404)
    return person


def _coach(staff_id: uuid.UUID | None) -> StaffMember:
    coach = get_scoped(StaffMember, staff_id) if staff_id else None
    if coach is None:
        abort(404)
    return coach


@blueprint.get("/<uuid:person_id>/coaches")
@MANAGE_CASELOADS
def coaches(person_id: uuid.UUID) -> str:
    """The coaches a person is assigned to, and the form to assign another."""
    return _page(_person(person_id))


def _page(person: Person) -> str:
    record_access(person.id, what="coaches")
    assigned = accounts.coaches_by_person([person.id])[person.id]
    assigned_ids = {coach.id for coach in assigned}
    candidates = [coach for coach in accounts.caseload_holders() if coach.id not in assigned_ids]
    return render_template(
        "workspace/coaches.html",
        person=person,
        assigned=assigned,
        candidates=candidates,
        menu=current_app.extensions["aandacht.domains"].menu_items(g.tenant, "coach"),
    )


@blueprint.post("/<uuid:person_id>/coaches")
@MANAGE_CASELOADS
def assign(person_id: uuid.UUID) -> tuple[str, int] | Response:
    """Put the person in the chosen coach's caseload."""
    person = _person(person_id)
    try:
        staff_id = uuid.UUID(request.form.get("coach", ""))
    except ValueError:
        flash(_("Choose a coach from the list."), "error")
        return _page(person), 400
    coach = _coach(staff_id)
    if not coach.active or coach.role not in accounts.CASELOAD_ROLES:
        flash(_("Choose a coach from the list."), "error")
        return _page(person), 400
    accounts.assign_to_caseload(staff_id=coach.id, person_ids=[person.id])
    flash(
        _(
            "%(person)s is now in the caseload of %(coach)s.",
            person=person.display_name,
            coach=coach.display_name,
        )
    )
    return redirect(url_for("caseloads.coaches", person_id=person.id))


@blueprint.post("/<uuid:person_id>/coaches/<uuid:staff_id>/remove")
@MANAGE_CASELOADS
def unassign(person_id: uuid.UUID, staff_id: uuid.UUID) -> Response:
    """Take the person out of a coach's caseload."""
    person, coach = _person(person_id), _coach(staff_id)
    accounts.remove_from_caseload(staff_id=coach.id, person_id=person.id)
    flash(
        _(
            "%(person)s is no longer in the caseload of %(coach)s.",
            person=person.display_name,
            coach=coach.display_name,
        )
    )
    return redirect(url_for("caseloads.coaches", person_id=person.id))
