"""flask-smorest, subclassed once for what every API resource shares.

- `Api`: the OpenAPI 3.1 document at `/api/v1/openapi.json` (with the tenant's own server address) and
  a documentation page at `/api/v1/docs` (Swagger UI from the installation itself, never a CDN); schema
  names prefixed with their package (`aandacht.api.Person`), so two packages' `ItemSchema` never collide.
- `Blueprint`: one per resource, under `/api/v1`; JSON errors for everything that goes wrong in it
  (aandacht.api.errors), the CSRF rule for login sessions, `Cache-Control: no-store`, a rate limit, the
  security of each operation in the document (from its declaration, aandacht.api.access), and strict
  arguments (an unknown query argument or body field is an error, not silently ignored).
- `Resource`: the MethodView base of every resource.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import flask
import flask_smorest
import marshmallow as ma
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from flask.views import MethodView
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import Conflict, HTTPException, default_exceptions

from aandacht.accounts.limits import limiter
from aandacht.accounts.permissions import PUBLIC, SCOPES, Access, access_of, public
from aandacht.api.access import check_cookie_write
from aandacht.api.errors import error_response, fail
from aandacht.api.schemas import ErrorSchema

API_PREFIX = "/api/v1"
TOKEN_PATH = f"{API_PREFIX}/oauth/token"
#: Requests per minute that one address may make to the API of one tenant.
API_LIMIT = "300 per minute"
_HERE = Path(__file__).parent


def schema_name(schema: type[ma.Schema] | ma.Schema) -> str:
    """`aandacht.api.people.PersonSchema` -> `aandacht.api.Person`: the package, then the name."""
    cls = resolve_schema_cls(schema)
    name = cls.__name__.removesuffix("Schema") or cls.__name__
    package = cls.__module__.rpartition(".")[0] or cls.__module__
    return f"{package}.{name}"


def _security_schemes(token_url: str) -> dict[str, dict[str, Any]]:
    return {
        "personalToken": {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token (`aat_…`) of a staff member, or an access token "
            "(`aac_…`) from the token endpoint. It acts within its scopes.",
        },
        "clientCredentials": {
            "type": "oauth2",
            "description": "An integration exchanges its client id and secret for an access token.",
            "flows": {"clientCredentials": {"tokenUrl": token_url, "scopes": dict(SCOPES)}},
        },
        "loginSession": {
            "type": "apiKey",
            "in": "cookie",
            "name": "session",
            "description": "The browser's login session of this organisation. Writes also need the "
            "CSRF token in an `X-CSRFToken` header.",
        },
    }


class Api(flask_smorest.Api):
    """The platform's API: its document, documentation page and resources."""

    ERROR_SCHEMA = ErrorSchema

    def __init__(self, app: flask.Flask | None = None) -> None:
        super().__init__(
            app,
            spec_kwargs={
                "title": "Aandacht API",
                "version": "1",
                "openapi_version": "3.1.0",
                "marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=schema_name),
                "info": {
                    "description": "The API of one organisation on Aandacht. Conventions (authentication, "
                    "scopes, lists, errors, languages, rate limits): docs/api.md."
                },
            },
        )

    def init_app(self, app: flask.Flask, *, spec_kwargs: dict[str, Any] | None = None) -> None:
        """Set up the document; resources follow with `register_blueprint`."""
        super().init_app(app, spec_kwargs=spec_kwargs)
        for name, scheme in _security_schemes(TOKEN_PATH).items():
            self.spec.components.security_scheme(name, scheme)

    def _register_error_handlers(self) -> None:
        """Errors are answered per blueprint (aandacht.api.errors): the app's other pages keep theirs."""

    def register_blueprint(self, blp: Blueprint, *, parameters: list | None = None, **options: Any) -> None:
        """Register a resource in the app and the document, tagged with its own tag (not its name)."""
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        blp.register_views_in_doc(self, self._app, self.spec, name=name, parameters=parameters)
        self.spec.tag({"name": blp.tag, "description": blp.description})

    def _register_doc_blueprint(self) -> None:
        """Serve the document and the documentation page (both public) under the API's prefix."""
        docs = Blueprint(
            "api_docs",
            __name__,
            tag="",
            needs_tenant=False,
            template_folder=str(_HERE / "templates"),
            static_folder=str(_HERE / "static"),
            static_url_path="/docs/static",
        )

        @public
        def openapi_json() -> flask.Response:
            return self.document()

        @public
        def docs_page() -> str:
            return self.docs_page()

        docs.add_url_rule("/openapi.json", "openapi_json", openapi_json, document=False)
        docs.add_url_rule("/docs", "docs", docs_page, document=False)
        self._app.register_blueprint(docs)

    def document(self) -> flask.Response:
        """The OpenAPI document, with this organisation's address as its server."""
        document = copy.deepcopy(self.spec.to_dict())
        server = flask.request.host_url.rstrip("/") + flask.request.script_root
        document["servers"] = [{"url": server, "description": _("This organisation's API")}]
        schemes = document["components"]["securitySchemes"]
        schemes["clientCredentials"]["flows"]["clientCredentials"]["tokenUrl"] = server + TOKEN_PATH
        schemes["loginSession"]["name"] = flask.current_app.config["SESSION_COOKIE_NAME"]
        return flask.jsonify(document)

    def docs_page(self) -> str:
        """Swagger UI on the document, from the installation's own files."""
        return flask.render_template("api/docs.html", title=self.spec.title)


class Blueprint(flask_smorest.Blueprint):
    """One API resource: JSON errors, the CSRF rule, no caching, a rate limit and documented security."""

    def __init__(
        self,
        name: str,
        import_name: str,
        *,
        tag: str,
        oauth_errors: bool = False,
        needs_tenant: bool = True,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("url_prefix", API_PREFIX)
        super().__init__(name, import_name, **kwargs)
        #: The group of operations in the documentation.
        self.tag = tag
        self._prepare_doc_cbks.append(self._prepare_access_doc)

        @self.before_request
        def before_operation() -> None:
            if needs_tenant and flask.g.get("tenant") is None:
                fail(404, "not_found")  # the API is an organisation's; the platform's address has none
            check_cookie_write()

        self.after_request(self._no_store)

        def answer(error: HTTPException) -> flask.Response:
            return error_response(error, oauth=oauth_errors)

        for code in default_exceptions:
            self.register_error_handler(code, answer)
        self.register_error_handler(HTTPException, answer)
        self.register_error_handler(IntegrityError, lambda _error: answer(Conflict()))
        limiter.limit(API_LIMIT)(self)

    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: Any = None,
        provide_automatic_options: bool | None = None,
        *,
        document: bool = True,
        parameters: list | None = None,
        tags: list[str] | None = None,
        **options: Any,
    ) -> None:
        """Add a route; each of its operations must declare its access (else this fails at import)."""
        if not document:
            plain = flask.Blueprint.add_url_rule
            plain(self, rule, endpoint, view_func, provide_automatic_options, **options)
            return
        if isinstance(view_func, type) and issubclass(view_func, MethodView):
            methods = [method.lower() for method in view_func.methods or ()]
            functions = [getattr(view_func, method) for method in methods]
        else:
            functions = [view_func]
        for function in functions:
            access = access_of(function)
            if access is None:
                raise TypeError(f"{rule}: {function.__qualname__} declares no access (@requires, @public)")
            function._apidoc = {**getattr(function, "_apidoc", {}), "access": access}
        tags = tags or [self.tag]
        super().add_url_rule(
            rule, endpoint, view_func, provide_automatic_options, parameters=parameters, tags=tags
        )

    def arguments(self, schema: Any, *, location: str = "json", **kwargs: Any) -> Any:
        """Read arguments with `schema`; unknown query arguments and body fields are errors."""
        if location in ("json", "query"):
            kwargs.setdefault("unknown", ma.RAISE)
        return super().arguments(schema, location=location, **kwargs)

    @staticmethod
    def _no_store(response: flask.Response) -> flask.Response:
        response.headers["Cache-Control"] = "no-store"
        return response

    @staticmethod
    def _prepare_access_doc(doc: dict, doc_info: dict, *, method: str, **_kwargs: Any) -> dict:
        """The operation's security, its 401/403 answers, and who may call it in words."""
        access: Access = doc_info["access"]
        if access.public:
            doc["security"] = []
            return doc
        security: list[dict[str, list[str]]] = []
        for rule in access.rules:
            scopes = sorted(rule.scopes)
            if access.tokens:
                security.append({"personalToken": scopes})
                if rule.open_to_clients():
                    security.append({"clientCredentials": scopes})
        security.append({"loginSession": []})
        doc["security"] = [item for index, item in enumerate(security) if item not in security[:index]]
        doc["x-aandacht-access"] = [
            {"permissions": sorted(rule.permissions), "scopes": sorted(rule.scopes)} for rule in access.rules
        ]
        if not access.tokens:
            doc["x-aandacht-access-login-session-only"] = True
        responses = doc.setdefault("responses", {})
        responses.setdefault(401, "UNAUTHORIZED")
        responses.setdefault(403, "FORBIDDEN")
        return doc


class Resource(MethodView):
    """A resource's operations; HEAD and OPTIONS requests are declared as its GET is.

    The central check looks up the method of the request on the class; for HEAD and OPTIONS, which a
    resource does not define, it falls back to the view function, which carries GET's declaration.
    """

    @classmethod
    def as_view(cls, name: str, *class_args: Any, **class_kwargs: Any) -> Any:
        """The view function, declared like the GET operation (or open when there is none)."""
        view = super().as_view(name, *class_args, **class_kwargs)
        view.access = access_of(getattr(cls, "get", None)) or PUBLIC
        return view
