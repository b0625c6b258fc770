"""The three faces and the platform administration: one blueprint each, registered by `init_app`.

- participant (`/app/`): the resident's own app, mobile first and installable (manifest, service
  worker, icons and the offline page all live under `/app/`, so the app's scope is exactly the face).
- workspace (`/workspace/`): the coach's day.
- portal (`/portal/`): the tenant's administration of its own instance.
- platform (`/platform/`, on the platform's own address): the installation's tenants.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from aandacht.accounts import service as accounts
from aandacht.accounts.models import Person
from aandacht.accounts.permissions import Permission, public, requires
from aandacht.attention import views as worklist_page
from aandacht.conversations import day as conversation_day
from aandacht.conversations.appointments import STATUS_NAMES
from aandacht.db import utcnow
from aandacht.personalisation import app_views as feed_cards
from aandacht.plugins import DomainRegistry
from aandacht.tenancy.service import all_tenants
from aandacht.web import preferences, pwa
from aandacht.web.assets import stylesheet_url
from aandacht.web.branding import theme_for
from aandacht.web.views import asset_url

participant = Blueprint("participant", __name__, url_prefix="/app")
workspace = Blueprint("workspace", __name__, url_prefix="/workspace")
portal = Blueprint("portal", __name__, url_prefix="/portal")
platform = Blueprint("platform", __name__, url_prefix="/platform")

#: Every language a tenant may offer, named in its own language (a reader looks for their own).
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}


def _registry() -> DomainRegistry:
    return current_app.extensions["aandacht.domains"]


def _require_tenant() -> None:
    if g.tenant is None:
        abort(404)


# --- Participant app -------------------------------------------------------------------------------


@participant.context_processor
def app_menu() -> dict[str, object]:
    """The menu entries that the tenant's domains add to the app's navigation."""
    return {"app_menu": _registry().menu_items(g.tenant, "participant") if g.get("tenant") else []}


@participant.get("/")
@requires(Permission.SELF)
def home() -> str:
    """The resident's home: what is new for them (the engines fill it)."""
    menu = _registry().menu_items(g.tenant, "participant")
    return render_template("participant/home.html", menu=menu, feed=feed_cards.for_home())


@participant.route("/settings", methods=["GET", "POST"])
@requires(Permission.SELF)
def settings() -> str | tuple[str, int] | Response:
    """The resident's own settings: text size and language."""
    current_locale = str(get_locale())
    if request.method == "GET":
        return _settings_page(preferences.text_size(), current_locale)
    size = request.form.get("text_size", preferences.text_size())
    locale = request.form.get("locale")  # absent when the tenant offers one language
    if size not in preferences.TEXT_SIZES or (locale is not None and locale not in g.tenant.locales):
        flash(_("Choose one of the options, then press Save."), "error")
        return _settings_page(preferences.text_size(), current_locale), 400
    if locale is not None and locale != g.principal.locale:
        # Stored even when it is the browser's language already: e-mails and texts follow it too.
        preferences.choose_language(g.principal.id, locale)
    with force_locale(locale or current_locale):
        flash(_("Your settings are saved."), "info")
    response = redirect(url_for("participant.settings"))
    preferences.remember_text_size(response, size)
    return response


def _settings_page(size: str, locale: str) -> str:
    languages = [(code, LANGUAGE_NAMES.get(code, code)) for code in g.tenant.locales]
    sizes = [
        ("normal", _("Normal")),
        ("large", _("Large")),
        ("extra-large", _("Extra large")),
    ]
    return render_template(
        "participant/settings.html", sizes=sizes, size=size, languages=languages, locale=locale
    )


@participant.get("/offline")
@public
def offline() -> str:
    """What the app shows when the phone has no internet (kept by the service worker)."""
    _require_tenant()
    return render_template("participant/offline.html")


@participant.get("/manifest.webmanifest")
@public
def manifest() -> Response:
    """The web app manifest: the tenant's name, colours and icons; start and scope are `/app/`."""
    _require_tenant()
    body = json.dumps(pwa.manifest(g.tenant, theme_for(g.tenant.branding)), ensure_ascii=False, indent=1)
    response = Response(body, mimetype="application/manifest+json")
    response.cache_control.max_age = 3600
    return response


@participant.get("/sw.js")
@public
def service_worker() -> Response:
    """The service worker: static files from its cache, the offline page when the network is gone.

    Personal pages are never stored: on a shared or lost phone nothing of the person stays behind.
    """
    _require_tenant()
    theme = theme_for(g.tenant.branding)
    static = [
        stylesheet_url(),
        url_for("web.theme", v=theme.version),
        asset_url("aandacht.css"),
        asset_url("app.js"),
        asset_url("read-aloud.js"),
        url_for("participant.svg_icon", v=theme.version),
    ]
    offline_url = url_for("participant.offline")
    script_root = request.script_root or ""
    body = render_template(
        "participant/sw.js",
        cache_prefix=f"aandacht-{g.tenant.slug}-",
        version=pwa.cache_version([*static, offline_url, str(get_locale())]),
        offline_url=offline_url,
        precache=static,
        static_prefixes=[
            f"{script_root}/static/",
            f"{script_root}/theme.css",
            url_for("participant.home") + "icon",
        ],
    )
    response = Response(body, mimetype="text/javascript")
    response.cache_control.no_cache = True
    return response


@participant.get("/icon.svg")
@public
def svg_icon() -> Response:
    """The app icon in the tenant's colours, as SVG."""
    _require_tenant()
    response = Response(pwa.svg_icon(theme_for(g.tenant.branding)), mimetype="image/svg+xml")
    response.cache_control.max_age = 86400
    return response


@participant.get("/icon-<int:size>.png")
@public
def png_icon(size: int) -> Response:
    """The app icon in the tenant's colours, as a PNG of one of `pwa.ICON_SIZES`."""
    _require_tenant()
    if size not in pwa.ICON_SIZES:
        abort(404)
    picture = pwa.png_icon(size, *pwa.icon_colours(theme_for(g.tenant.branding)))
    response = Response(picture, mimetype="image/png")
    response.cache_control.max_age = 86400
    return response


# --- Coach workspace ---------------------------------------------------------------------------------


@workspace.get("/")
@requires(Permission.CASELOAD_VIEW)
def caseload() -> str:
    """The coach's day: the worklist of who needs attention, messages, appointments, and the caseload.

    Messages and appointments are those of the coach's own caseload (a team lead's start page has none).

    The worklist is the coach's own caseload ordered by need (`aandacht.attention.views`); below it the
    plain caseload list (a team lead: everyone), where a team lead sees the coaches of each person, with
    a link to assign or remove them.

    `?q=` narrows the caseload by name or e-mail address; htmx asks for the table alone while typing.
    """
    principal = g.principal
    if principal.can(Permission.PEOPLE_VIEW_ALL):
        people, everyone = accounts.all_people(), True
    else:
        people, everyone = accounts.caseload(principal.id), False
    query = request.args.get("q", "").strip()[:100]
    shown = list(_matching(people, query))
    values = {"people": shown, "total": len(people), "query": query, "everyone": everyone}
    if everyone and principal.can(Permission.CASELOAD_MANAGE):
        values["coaches"] = accounts.coaches_by_person([person.id for person in shown])
    if request.headers.get("HX-Request") == "true" and request.headers.get("HX-Target") == "caseload-results":
        return render_template("workspace/_caseload.html", **values)
    menu = _registry().menu_items(g.tenant, "coach")
    values.update(worklist_page.worklist_values(principal, request.args))
    values["day"] = None if everyone else conversation_day.day_of(people, utcnow())
    values["appointment_statuses"] = STATUS_NAMES
    return render_template("workspace/caseload.html", menu=menu, **values)


def _matching(people: Iterable[Person], query: str) -> Iterable[Person]:
    words = query.casefold().split()
    for person in people:
        text = f"{person.display_name} {person.email or ''}".casefold()
        if all(word in text for word in words):
            yield person


# --- Tenant portal -----------------------------------------------------------------------------------


@portal.get("/")
@requires(Permission.PORTAL)
def overview() -> str:
    """The tenant's administration: its settings and branding, its domains and its staff."""
    return render_template(
        "portal/overview.html",
        staff=accounts.all_staff(),
        domains=_registry().enabled_for(g.tenant),
        menu=_registry().menu_items(g.tenant, "portal"),
        languages=[LANGUAGE_NAMES.get(code, code) for code in g.tenant.locales],
        branding=g.tenant.branding,
    )


# --- Platform administration ------------------------------------------------------------------------


@platform.get("/")
@requires(Permission.PLATFORM)
def tenants() -> str:
    """Every tenant of the installation and its state (no personal data of any tenant)."""
    if g.tenant is not None:
        abort(404)
    return render_template("platform/tenants.html", tenants=all_tenants())


@workspace.after_request
def _vary_on_htmx(response: Response) -> Response:
    """Pages that answer htmx with a fragment must not be cached as the whole page, or the other way."""
    response.vary.add("HX-Request")
    return response


def init_app(app: Flask) -> None:
    """Register the faces."""
    for blueprint in (participant, workspace, portal, platform):
        app.register_blueprint(blueprint)
