"""Every route says who may use it."""

from aandacht.accounts.permissions import declared_access, is_public_endpoint


def test_every_route_declares_who_may_use_it(app):
    undeclared = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if is_public_endpoint(rule.endpoint):
                continue
            view = app.view_functions[rule.endpoint]
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                if declared_access(view, method) is None:
                    undeclared.append(f"{method} {rule.rule} ({rule.endpoint})")
    assert not undeclared, "routes without @public or @requires(...):\n" + "\n".join(undeclared)


def test_the_faces_keep_their_endpoints(app):
    for endpoint in ("participant.home", "participant.settings", "workspace.caseload", "portal.overview"):
        assert endpoint in app.view_functions
    assert {"platform.tenants", "web.index", "web.theme"} <= set(app.view_functions)
