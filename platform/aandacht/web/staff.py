"""The portal's staff page (`/portal/staff`): the administrator adds staff, changes roles, (de)activates.

Only a login session may use it (never an API token), and only with `Permission.STAFF_MANAGE`.
"""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from aandacht.accounts import staff as staff_service
from aandacht.accounts.permissions import Permission, Rule, requires_any

blueprint = Blueprint("staff_admin", __name__, url_prefix="/portal/staff")
#: Administrators in a login session; a token cannot manage staff.
MANAGE_STAFF = requires_any(Rule.of(Permission.STAFF_MANAGE), tokens=False)


def role_names() -> dict[str, str]:
    """Each staff role in words."""
    return {"coach": _("Coach"), "team_lead": _("Team lead"), "tenant_admin": _("Administrator")}


def refusal_message(refused: staff_service.StaffChangeRefused) -> str:
    """What a refused staff change means, in plain words."""
    return {
        "name": _("Fill in a name (at most 200 characters)."),
        "email": _("Fill in a valid e-mail address."),
        "role": _("Choose one of the roles."),
        "duplicate": _("There is already a staff member with this e-mail address."),
        "self": _(
            "You cannot deactivate your own account or change your own role. Ask another administrator."
        ),
        "not_local": _("This staff member does not need an invitation."),
    }.get(refused.reason, _("That did not work. Check what you typed and try again."))


def _invitation_link(token: str) -> str:
    return url_for("accounts.staff_invitation", token=token, _external=True)


def _page(form: dict[str, str] | None = None, status: int = 200) -> tuple[str, int]:
    page = render_template(
        "portal/staff.html",
        listing=staff_service.staff_listing(),
        roles=role_names(),
        form=form or {"display_name": "", "email": "", "role": "coach"},
        identity_provider=staff_service.uses_identity_provider(),
        menu=current_app.extensions["aandacht.domains"].menu_items(g.tenant, "portal"),
    )
    return page, status


@blueprint.get("/")
@MANAGE_STAFF
def index() -> tuple[str, int]:
    """Every staff member, how they log in, and the form to add one."""
    return _page()


@blueprint.post("/")
@MANAGE_STAFF
def add() -> tuple[str, int] | Response:
    """Add a staff member (an invitation e-mail goes out when the organisation has no identity provider)."""
    form = {key: request.form.get(key, "") for key in ("display_name", "email", "role")}
    try:
        member = staff_service.add_staff(
            acting_staff_id=g.principal.id,
            display_name=form["display_name"],
            email=form["email"],
            role=form["role"],
            link_for=_invitation_link,
        )
    except staff_service.StaffChangeRefused as refused:
        flash(refusal_message(refused), "error")
        return _page(form, 400)
    if staff_service.uses_identity_provider():
        flash(_("%(name)s is added and logs in through your identity provider.", name=member.display_name))
    else:
        flash(_("%(name)s is added and gets an e-mail to choose a password.", name=member.display_name))
    return redirect(url_for("staff_admin.index"))


@blueprint.post("/<uuid:staff_id>/role")
@MANAGE_STAFF
def change_role(staff_id: uuid.UUID) -> tuple[str, int] | Response:
    """Give a staff member another role."""
    return _change(
        lambda: staff_service.change_role(
            acting_staff_id=g.principal.id, staff_id=staff_id, role=request.form.get("role", "")
        ),
        lambda member: _(
            "%(name)s is now: %(role)s.", name=member.display_name, role=role_names()[member.role]
        ),
    )


@blueprint.post("/<uuid:staff_id>/deactivate")
@MANAGE_STAFF
def deactivate(staff_id: uuid.UUID) -> tuple[str, int] | Response:
    """Deactivate a staff member: they are logged out everywhere and cannot log in."""
    return _change(
        lambda: staff_service.set_active(acting_staff_id=g.principal.id, staff_id=staff_id, active=False),
        lambda member: _("%(name)s is deactivated and logged out everywhere.", name=member.display_name),
    )


@blueprint.post("/<uuid:staff_id>/reactivate")
@MANAGE_STAFF
def reactivate(staff_id: uuid.UUID) -> tuple[str, int] | Response:
    """Let a deactivated staff member log in again."""
    return _change(
        lambda: staff_service.set_active(acting_staff_id=g.principal.id, staff_id=staff_id, active=True),
        lambda member: _("%(name)s can log in again.", name=member.display_name),
    )


@blueprint.post("/<uuid:staff_id>/invitation")
@MANAGE_STAFF
def resend_invitation(staff_id: uuid.UUID) -> tuple[str, int] | Response:
    """Send the invitation again (the earlier link stops working)."""
    return _change(
        lambda: staff_service.resend_invitation(
            acting_staff_id=g.principal.id, staff_id=staff_id, link_for=_invitation_link
        ),
        lambda _member: _("A new invitation is sent. The earlier link no longer works."),
    )


def _change(action, done) -> tuple[str, int] | Response:
    try:
        member = action()
    except LookupError:
        abort(404)
    except staff_service.StaffChangeRefused as refused:
        flash(refusal_message(refused), "error")
        return _page(status=400)
    flash(done(member))
    return redirect(url_for("staff_admin.index"))
