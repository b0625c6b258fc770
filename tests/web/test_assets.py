"""Front-end files: the NL Design System stylesheet, vendor files on the allow-list, own files, icons."""

from aandacht.web.assets import icon
from aandacht.web.views import asset_url


def test_the_nl_design_system_stylesheet_holds_the_tokens_and_components_in_use(app, client):
    with app.test_request_context():
        address = app.jinja_env.globals["nl_design_system_css"]()
    response = client.get(address)
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    css = response.text
    assert ".utrecht-button" in css and ".utrecht-page-header" in css and ".utrecht-table" in css
    assert "--utrecht-button-primary-action-background-color:" in css
    assert "--utrecht-accordion" not in css  # tokens of components that no face uses are left out
    assert len(css) < 200_000
    assert response.cache_control.max_age == 31536000
    assert client.get(address, headers={"If-None-Match": response.get_etag()[0]}).status_code == 304


def test_only_listed_vendor_files_are_served(client):
    assert client.get("/static/vendor/htmx.org/dist/htmx.min.js").status_code == 200
    assert client.get("/static/vendor/htmx.org/package.json").status_code == 404
    assert client.get("/static/vendor/axe-core/axe.min.js").status_code == 404  # a test tool, not for pages


def test_own_static_files_have_versioned_addresses(app, client):
    with app.test_request_context():
        address = asset_url("app.js")
    assert "?v=" in address
    response = client.get(address)
    assert response.status_code == 200
    assert response.cache_control.max_age == 31536000


def test_icons_are_inline_and_hidden_from_screen_readers(app):
    with app.app_context():
        svg = str(icon("home"))
    assert svg.startswith('<svg aria-hidden="true" focusable="false" class="icon"')
    assert svg.count("class=") == 1
