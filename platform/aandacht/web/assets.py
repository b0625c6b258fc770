"""Front-end packages from the npm registry (installed by `make install`), served by the app itself.

Only the files listed in `SERVED` are reachable, under `/static/vendor/<package path>`; icons are read
from @tabler/icons and inlined, so an icon costs no request.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flask import Blueprint, Flask, abort, current_app, send_from_directory
from markupsafe import Markup
from werkzeug.wrappers import Response

from aandacht.accounts.permissions import public

#: Files of npm packages that pages may load (paths inside node_modules).
SERVED = frozenset(
    {
        "@utrecht/component-library-css/dist/index.css",
        "@utrecht/design-tokens/dist/index.css",
        "htmx.org/dist/htmx.min.js",
        "swagger-ui-dist/swagger-ui.css",
        "swagger-ui-dist/swagger-ui-bundle.js",
    }
)
blueprint = Blueprint("vendor", __name__)


@blueprint.get("/static/vendor/<path:filename>")
@public
def vendor_file(filename: str) -> Response:
    """One of the served package files, cached for a day."""
    if filename not in SERVED:
        abort(404)
    assets: Path = current_app.extensions["aandacht.settings"].assets_dir
    return send_from_directory(assets, filename, max_age=86400)


@cache
def _icon_svg(assets: Path, name: str) -> str:
    path = assets / "@tabler/icons/icons/outline" / f"{name}.svg"
    svg = path.read_text()
    return svg.replace("<svg", '<svg aria-hidden="true" focusable="false" class="icon"', 1)


def icon(name: str) -> Markup:
    """An inline SVG icon from Tabler (outline), hidden from screen readers: the text beside it speaks."""
    return Markup(_icon_svg(current_app.extensions["aandacht.settings"].assets_dir, name))  # noqa: S704 - our own files


def init_app(app: Flask) -> None:
    """Serve the vendor files and offer `icon()` to templates."""
    app.register_blueprint(blueprint)
    app.jinja_env.globals["icon"] = icon
