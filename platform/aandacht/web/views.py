"""Pages that every installation has: the platform's front page, the tenant's front page, health.

Also what every page's layout needs: the tenant's theme (`theme.css`, see `aandacht.web.branding`),
the visitor's text size, and versioned addresses of Aandacht's own static files.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import text
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from aandacht.accounts.permissions import Permission, declared_access, public
from aandacht.db import session
from aandacht.tenancy.resolution import TenantNotFound
from aandacht.tenancy.service import active_tenants
from aandacht.web import preferences
from aandacht.web.branding import Theme, theme_for


class _PagesBlueprint(Blueprint):
    """The blueprint of these pages; its static files may be kept long when asked for by version."""

    def get_send_file_max_age(self, filename: str | None) -> int | None:
        """A year for a versioned address (`asset_url`), else revalidate each time."""
        return 31536000 if request.args.get("v") else None


blueprint = _PagesBlueprint(
    "web", __name__, template_folder="templates", static_folder="static", static_url_path="/static/aandacht"
)


@blueprint.get("/")
@public
def index() -> str | Response:
    """A tenant's front page (logged in: one's own face), or on the platform's address the tenants."""
    principal = g.principal
    if g.tenant is None:
        if principal.kind == "platform":
            return redirect(url_for("platform.tenants"))
        return render_template("web/platform_index.html", tenants=active_tenants())
    if principal.kind == "person":
        return redirect(url_for("participant.home"))
    if principal.kind == "staff":
        face = "portal.overview" if principal.can(Permission.PORTAL) else "workspace.caseload"
        return redirect(url_for(face))
    registry = current_app.extensions["aandacht.domains"]
    return render_template("web/tenant_home.html", domains=registry.enabled_for(g.tenant))


@blueprint.get("/theme.css")
@public
def theme() -> Response:
    """The tenant's branding as design tokens (the platform's own look on the platform's address)."""
    current = _current_theme()
    response = Response(current.stylesheet(), mimetype="text/css")
    response.set_etag(current.version)
    response.cache_control.public = True
    # Pages ask for ?v=<version>: a new branding is a new address, so a versioned one may be kept long.
    response.cache_control.max_age = 31536000 if request.args.get("v") == current.version else 300
    return response.make_conditional(request)


def _current_theme() -> Theme:
    return theme_for(g.tenant.branding) if g.get("tenant") is not None else Theme()


@cache
def _file_version(path: Path, modified: float) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:10]


def asset_url(filename: str) -> str:
    """The address of one of Aandacht's own static files, with a version that changes with its content."""
    path = Path(blueprint.static_folder or "") / filename
    return url_for("web.static", filename=filename, v=_file_version(path, path.stat().st_mtime))


@blueprint.app_context_processor
def layout_values() -> dict[str, Any]:
    """What the layout of every page uses: the theme, the text size and versioned static files."""
    return {"theme": _current_theme(), "text_size": preferences.text_size(), "asset_url": asset_url}


@blueprint.get("/healthz")
@public
def health() -> tuple[dict, int]:
    """For load balancers and operators: 200 when the database answers."""
    session.execute(text("SELECT 1"))
    return {"status": "ok"}, 200


def render_error(error: HTTPException) -> tuple[str, int] | Response:
    """The error page, in the visitor's language, for any HTTP error (401: to the right login page)."""
    for prefix, respond in current_app.extensions.get("aandacht.error_responders", ()):
        if request.path.startswith(prefix):
            return respond(error)  # e.g. the API answers in JSON, also where none of its views was reached
    if error.code == 401:
        return redirect(url_for(_login_endpoint(), next=request.script_root + request.full_path.rstrip("?")))
    if isinstance(error, TenantNotFound):
        title = _("This organisation is not here")
        explanation = _(
            "We do not know this address, or this organisation no longer uses Aandacht. "
            "Check the address in your e-mail or letter."
        )
    elif error.code == 404:
        title = _("Page not found")
        explanation = _("This page does not exist. Check the address, or go back to the start.")
    elif error.code == 403:
        title = _("Not for you")
        explanation = _("You may not open this page. Ask your coach or administrator if you need it.")
    elif error.code == 429:
        title = _("Too many tries")
        explanation = _("Wait a minute, then try again.")
    elif error.code == 400:
        title = _("That did not work")
        explanation = _(
            "The page was open too long, or something was missing. Go back, reload the page and try again."
        )
    else:
        title = _("Something went wrong")
        explanation = _("Please try again in a moment.")
    status = error.code or 500
    # An unknown tenant has no start page of its own: send the visitor to the platform's.
    home = "/" if isinstance(error, TenantNotFound) else url_for("web.index")
    page = render_template("web/error.html", title=title, explanation=explanation, status=status, home=home)
    return page, status


def _login_endpoint() -> str:
    """Residents log in on the resident page; staff and operators on the staff page."""
    view = current_app.view_functions.get(request.endpoint or "")
    access = declared_access(view, request.method) if view else None
    wants_resident = access is not None and any(Permission.SELF in rule.permissions for rule in access.rules)
    return "accounts.login" if wants_resident and g.get("tenant") else "accounts.staff_login"
