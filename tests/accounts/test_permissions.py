"""One permission mechanism for every route: a route that declares nothing is found, and refused."""

from flask import Blueprint

from aandacht.accounts.permissions import declared_access, is_public_endpoint
from aandacht.app import create_app


def undeclared_routes(app) -> list[str]:
    with app.test_request_context():
        return sorted(
            f"{rule.rule} {method}"
            for rule in app.url_map.iter_rules()
            if not is_public_endpoint(rule.endpoint)
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
            if declared_access(app.view_functions[rule.endpoint], method) is None
        )


def test_every_route_declares_its_permission(app):
    assert undeclared_routes(app) == []


def test_an_undeclared_route_is_found_and_refused(app_settings, app, create_tenant):
    careless = create_app(app_settings)
    blueprint = Blueprint("careless", __name__)
    blueprint.add_url_rule("/careless", "careless", lambda: "secret")
    careless.register_blueprint(blueprint)
    assert undeclared_routes(careless) == ["/careless GET"]
    tenant = create_tenant()
    assert careless.test_client().get(f"/t/{tenant.slug}/careless").status_code == 403
