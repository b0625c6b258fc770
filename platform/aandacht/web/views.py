"""Pages that every installation has: the platform's front page, the tenant's front page, health."""

from __future__ import annotations

from flask import Blueprint, current_app, g, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import text
from werkzeug.exceptions import HTTPException

from aandacht.db import session
from aandacht.tenancy.resolution import TenantNotFound
from aandacht.tenancy.service import active_tenants

blueprint = Blueprint(
    "web", __name__, template_folder="templates", static_folder="static", static_url_path="/static/aandacht"
)


@blueprint.get("/")
def index() -> str:
    """A tenant's front page, or on the platform's own address the list of tenants."""
    if g.tenant is None:
        return render_template("web/platform_index.html", tenants=active_tenants())
    registry = current_app.extensions["aandacht.domains"]
    return render_template("web/tenant_home.html", domains=registry.enabled_for(g.tenant))


@blueprint.get("/healthz")
def health() -> tuple[dict, int]:
    """For load balancers and operators: 200 when the database answers."""
    session.execute(text("SELECT 1"))
    return {"status": "ok"}, 200


def render_error(error: HTTPException) -> tuple[str, int]:
    """The error page, in the visitor's language, for any HTTP error."""
    if isinstance(error, TenantNotFound):
        title = _("This organisation is not here")
        explanation = _(
            "We do not know this address, or this organisation no longer uses Aandacht. "
            "Check the address in your e-mail or letter."
        )
    elif error.code == 404:
        title = _("Page not found")
        explanation = _("This page does not exist. Check the address, or go back to the start.")
    else:
        title = _("Something went wrong")
        explanation = _("Please try again in a moment.")
    status = error.code or 500
    # An unknown tenant has no start page of its own: send the visitor to the platform's.
    home = "/" if isinstance(error, TenantNotFound) else url_for("web.index")
    page = render_template("web/error.html", title=title, explanation=explanation, status=status, home=home)
    return page, status
