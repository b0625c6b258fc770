"""The three faces and the platform administration: one blueprint each, registered by `init_app`.

- participant (`/app/`): the resident's own app, mobile first.
- workspace (`/workspace/`): the coach's day.
- portal (`/portal/`): the tenant's administration of its own instance.
- platform (`/platform/`, on the platform's own address): the installation's tenants.
"""

from __future__ import annotations

from flask import Blueprint, Flask, abort, current_app, g, render_template

from aandacht.accounts import service as accounts
from aandacht.accounts.permissions import Permission, requires
from aandacht.plugins import DomainRegistry
from aandacht.tenancy.service import all_tenants

participant = Blueprint("participant", __name__, url_prefix="/app")
workspace = Blueprint("workspace", __name__, url_prefix="/workspace")
portal = Blueprint("portal", __name__, url_prefix="/portal")
platform = Blueprint("platform", __name__, url_prefix="/platform")


def _registry() -> DomainRegistry:

    return current_app.extensions["aandacht.domains"]


@participant.get("/")
@requires(Permission.SELF)
def home() -> str:
    """The resident's home: what is new for them (the engines fill it)."""
    return render_template("participant/home.html", menu=_registry().menu_items(g.tenant, "participant"))


@workspace.get("/")
@requires(Permission.CASELOAD_VIEW)
def caseload() -> str:
    """The coach's caseload (a team lead sees every person of the tenant)."""
    principal = g.principal
    if principal.can(Permission.PEOPLE_VIEW_ALL):
        people, everyone = accounts.all_people(), True
    else:
        people, everyone = accounts.caseload(principal.id), False
    menu = _registry().menu_items(g.tenant, "coach")
    return render_template("workspace/caseload.html", people=people, everyone=everyone, menu=menu)


@portal.get("/")
@requires(Permission.PORTAL)
def overview() -> str:
    """The tenant's administration: its settings, domains and staff."""
    return render_template(
        "portal/overview.html",
        staff=accounts.all_staff(),
        domains=_registry().enabled_for(g.tenant),
        menu=_registry().menu_items(g.tenant, "portal"),
    )


@platform.get("/")
@requires(Permission.PLATFORM)
def tenants() -> str:
    """Every tenant of the installation and its state (no personal data of any tenant)."""
    if g.tenant is not None:
        abort(404)
    return render_template("platform/tenants.html", tenants=all_tenants())


def init_app(app: Flask) -> None:
    """Register the faces."""
    for blueprint in (participant, workspace, portal, platform):
        app.register_blueprint(blueprint)
