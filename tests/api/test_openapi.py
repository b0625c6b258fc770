"""The OpenAPI document and the documentation page."""

import re

from aandacht.accounts.permissions import SCOPES, access_of, declared_access

HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def api_operations(app) -> dict[tuple[str, str], object]:
    """Every operation the app serves under /api/v1 (but the document and its page), with its handler."""
    found = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint.startswith("api_docs."):
            continue
        view = app.view_functions[rule.endpoint]
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
            found[(path, method.lower())] = getattr(view.view_class, method.lower())
    return found


def resolve(document: dict, reference: str) -> dict:
    assert reference.startswith("#/"), reference
    node = document
    for part in reference[2:].split("/"):
        assert part in node, f"{reference} does not resolve"
        node = node[part]
    return node


def references(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from references(value)
    elif isinstance(node, list):
        for item in node:
            yield from references(item)


def test_the_document_is_valid_openapi(client, tenant):
    response = client.get(f"/t/{tenant.slug}/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] and document["info"]["version"]
    for reference in references(document):
        resolve(document, reference)
    schemes = document["components"]["securitySchemes"]
    for path, item in document["paths"].items():
        assert path.startswith("/api/v1/")
        declared = {
            parameter["name"] for parameter in item.get("parameters", []) if parameter["in"] == "path"
        }
        assert declared == set(re.findall(r"{([^}]+)}", path)), path
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            assert operation["summary"] and operation["tags"] and operation["responses"], (path, method)
            assert all(re.fullmatch(r"\d{3}|default", str(status)) for status in operation["responses"])
            for requirement in operation["security"]:
                for name, scopes in requirement.items():
                    assert name in schemes, name
                    assert set(scopes) <= set(SCOPES), scopes
    flows = schemes["clientCredentials"]["flows"]["clientCredentials"]
    assert flows["scopes"] == SCOPES
    assert schemes["personalToken"] == {**schemes["personalToken"], "type": "http", "scheme": "bearer"}


def test_the_document_lists_every_operation_with_its_security(app, client, tenant):
    document = client.get(f"/t/{tenant.slug}/api/v1/openapi.json").get_json()
    operations = api_operations(app)
    documented = {
        (path, method)
        for path, item in document["paths"].items()
        for method in item
        if method in HTTP_METHODS
    }
    assert documented == set(operations)
    assert ("/api/v1/people", "get") in documented and ("/api/v1/oauth/token", "post") in documented
    with app.test_request_context():
        for (path, method), handler in operations.items():
            access = access_of(handler)
            assert access is not None and declared_access(handler, method) is not None
            security = document["paths"][path][method]["security"]
            if access.public:
                assert security == [], (path, method)
            else:
                assert security and {"loginSession": []} in security, (path, method)
                documented_scopes = {
                    scope for requirement in security for names in requirement.values() for scope in names
                }
                assert documented_scopes == set(access.scopes), (path, method)
    people = document["paths"]["/api/v1/people"]["get"]["security"]
    assert {"personalToken": ["caseload:read"]} in people
    assert {"clientCredentials": ["people:read"]} in people
    credentials = document["paths"]["/api/v1/api-credentials"]["post"]["security"]
    assert credentials == [{"loginSession": []}]


def test_the_document_names_the_organisations_own_address(client, tenant):
    document = client.get(f"/t/{tenant.slug}/api/v1/openapi.json").get_json()
    assert document["servers"][0]["url"] == f"http://localhost/t/{tenant.slug}"
    flow = document["components"]["securitySchemes"]["clientCredentials"]["flows"]["clientCredentials"]
    assert flow["tokenUrl"] == f"http://localhost/t/{tenant.slug}/api/v1/oauth/token"


def test_the_docs_page_loads_only_the_installations_own_files(client, tenant):
    response = client.get(f"/t/{tenant.slug}/api/v1/docs")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "swagger-ui" in page
    assert not re.search(r"(?:https?:)?//[a-z0-9.-]+", page.replace("<!doctype html>", "")), "external URL"
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    assert any(asset.endswith("swagger-ui.css") for asset in assets)
    for asset in assets:
        assert asset.startswith(f"/t/{tenant.slug}/"), asset
        fetched = client.get(asset)
        assert fetched.status_code == 200, asset
        if asset.endswith("docs.js"):
            assert not re.search(r"https?://", fetched.get_data(as_text=True))


def test_the_document_is_public_and_also_served_on_the_platforms_address(client):
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/docs").status_code == 200
