"""Front-end packages from the npm registry (installed by `make install`), served by the app itself.

Only the files listed in `SERVED` are reachable, under `/static/vendor/<package path>`. The pages load
the NL Design System as one stylesheet, `/static/vendor/nl-design-system.css`: the Utrecht design
tokens followed by only the component styles the faces use (about a third of the whole library, which
matters on a cheap phone). Icons are read from @tabler/icons and inlined, so an icon costs no request.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path

from flask import Blueprint, Flask, abort, current_app, request, send_from_directory, url_for
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

#: The parts of `nl-design-system.css`, in order: the theme's tokens, then the components in use.
#: The component packages are exact-version dependencies of @utrecht/component-library-css.
STYLESHEET_PARTS = (
    "@utrecht/design-tokens/dist/theme.css",
    *(
        f"@utrecht/{component}-css/dist/index.min.css"
        for component in (
            "document",
            "page-header",
            "page-footer",
            "heading-1",
            "heading-2",
            "heading-3",
            "paragraph",
            "link",
            "button",
            "button-link",
            "button-group",
            "alert",
            "form-field",
            "form-label",
            "form-fieldset",
            "form-field-description",
            "textbox",
            "radio-button",
            "table",
            "unordered-list",
            "data-list",
            "code",
        )
    ),
)
STYLESHEET = "nl-design-system.css"
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_DECLARATION = re.compile(r"^\s*(--[\w-]+)\s*:\s*(.*?);\s*$", re.MULTILINE)
_VAR = re.compile(r"var\(\s*(--[\w-]+)")
blueprint = Blueprint("vendor", __name__)


def _assets_dir() -> Path:
    return current_app.extensions["aandacht.settings"].assets_dir


@blueprint.get("/static/vendor/<path:filename>")
@public
def vendor_file(filename: str) -> Response:
    """One of the served package files (or the NL Design System stylesheet), cached for a day."""
    if filename == STYLESHEET:
        return _stylesheet_response()
    if filename not in SERVED:
        abort(404)
    return send_from_directory(_assets_dir(), filename, max_age=86400)


@cache
def _stylesheet(assets: Path) -> tuple[str, str]:
    """The bundled stylesheet and its version (a hash of its content)."""
    tokens, *components = (
        _COMMENT.sub("", (assets / part).read_text(encoding="utf-8")).strip() for part in STYLESHEET_PARTS
    )
    body = "\n".join(
        [
            "/* NL Design System: @utrecht/design-tokens and component CSS (EUPL-1.2). */",
            _tokens_in_use(tokens, components),
            *components,
        ]
    )
    return body, hashlib.sha256(body.encode()).hexdigest()[:12]


def _tokens_in_use(tokens: str, components: list[str]) -> str:
    """The theme's token declarations that the components use, directly or through another token.

    The theme defines some 1,200 tokens for every component of the library; the faces use a third.
    """
    defined = {match.group(1): match.group(2) for match in _DECLARATION.finditer(tokens)}
    pending = [name for component in components for name in _VAR.findall(component)]
    used: set[str] = set()
    while pending:
        name = pending.pop()
        if name not in used:
            used.add(name)
            pending.extend(_VAR.findall(defined.get(name, "")))
    kept = "".join(f"{name}:{value};" for name, value in defined.items() if name in used)
    return f".utrecht-theme{{{kept}}}"


def _stylesheet_response() -> Response:
    body, version = _stylesheet(_assets_dir())
    response = Response(body, mimetype="text/css")
    response.set_etag(version)
    # A versioned address (?v=) never changes content: it may be kept for a year.
    response.cache_control.public = True
    response.cache_control.max_age = 31536000 if request.args.get("v") == version else 86400
    return response.make_conditional(request)


def stylesheet_url() -> str:
    """The address of the NL Design System stylesheet, with its version (for caching)."""
    return url_for("vendor.vendor_file", filename=STYLESHEET, v=_stylesheet(_assets_dir())[1])


@cache
def _icon_svg(assets: Path, name: str) -> str:
    path = assets / "@tabler/icons/icons/outline" / f"{name}.svg"
    svg = " ".join(path.read_text().split())
    svg = re.sub(r'\s*class="[^"]*"', "", svg).replace(
        '<path stroke="none" d="M0 0h24v24H0z" fill="none" />', ""
    )
    return svg.replace("<svg", '<svg aria-hidden="true" focusable="false" class="icon"', 1)


def icon(name: str) -> Markup:
    """An inline SVG icon from Tabler (outline), hidden from screen readers: the text beside it speaks."""
    return Markup(_icon_svg(_assets_dir(), name))  # noqa: S704 - our own files


def init_app(app: Flask) -> None:
    """Serve the vendor files and offer `icon()` and `nl_design_system_css()` to templates."""
    app.register_blueprint(blueprint)
    app.jinja_env.globals["icon"] = icon
    app.jinja_env.globals["nl_design_system_css"] = stylesheet_url
