"""The access log in the faces: the person's own (`/app/privacy`) and the tenant's (`/portal/access-log`).

The person sees who of the staff looked at their data, what and when. A tenant administrator sees the
whole log of the organisation, newest first, narrowed by a person's or a viewer's name.
"""

from __future__ import annotations

from flask import Blueprint, current_app, g, render_template, request

from aandacht.accounts.permissions import Permission, requires
from aandacht.privacy import service

blueprint = Blueprint("privacy", __name__, template_folder="templates")
#: Rows per page of the portal's log.
PAGE_SIZE = 100


@blueprint.get("/app/privacy")
@requires(Permission.SELF)
def own_access_log() -> str:
    """Who looked at the person's data ("Wie heeft uw gegevens bekeken")."""
    return render_template("privacy/own.html", entries=service.access_log_of(g.principal.id))


@blueprint.get("/portal/access-log")
@requires(Permission.PORTAL)
def access_log() -> str:
    """The organisation's access log; `?q=` narrows by name, `?page=` pages back."""
    query = request.args.get("q", "").strip()[:100]
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    entries, total = service.access_log(query=query, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return render_template(
        "privacy/portal.html",
        entries=entries,
        total=total,
        query=query,
        page=page,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        menu=current_app.extensions["aandacht.domains"].menu_items(g.tenant, "portal"),
    )
