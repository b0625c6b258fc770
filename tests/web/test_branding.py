"""A tenant's branding becomes NL Design System tokens: readable, checked, and the same on every face."""

import re

import pytest

from aandacht.web.branding import DEFAULT_FONT_FAMILY, DEFAULT_PRIMARY, Theme, contrast, theme_for

ENSCHEDE = {
    "primary_color": "#b1003c",
    "secondary_color": "#1a1a1a",
    "font_family": "Open Sans, system-ui, sans-serif",
}


def test_branding_sets_the_utrecht_tokens_of_every_component():
    properties = theme_for(ENSCHEDE).custom_properties()
    for name in (
        "--utrecht-button-primary-action-background-color",
        "--utrecht-page-header-background-color",
        "--utrecht-link-color",
    ):
        assert properties[name] == "#b1003c"
    assert properties["--utrecht-button-primary-action-color"] == "#ffffff"
    assert properties["--utrecht-page-header-border-block-end-color"] == "#1a1a1a"
    assert properties["--utrecht-document-font-family"] == "Open Sans, system-ui, sans-serif"
    assert properties["--utrecht-heading-font-family"] == "Open Sans, system-ui, sans-serif"


@pytest.mark.parametrize(
    "colour", ["#ffcc00", "#00785a", "#b1003c", "#f39200", "#e30613", "#ffffff", "#000000"]
)
def test_text_in_tenant_colours_stays_readable(colour):
    theme = Theme(primary=colour, secondary=colour)
    assert contrast(theme.on_primary, theme.primary) >= 4.5
    assert contrast(theme.on_primary, theme.primary_hover) >= 4.5
    assert contrast(theme.primary_text, "#ffffff") >= 4.5
    assert contrast(theme.secondary_text, "#ffffff") >= 4.5


def test_a_light_primary_colour_gets_dark_text_and_darker_links():
    theme = Theme(primary="#ffcc00")
    assert theme.on_primary != "#ffffff"
    assert theme.primary_text != "#ffcc00"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("primary_color", "red; } body { display: none"),
        ("primary_color", "#12345"),
        ("font_family", "Arial; } * { color: red"),
        ("font_family", '"Open Sans, sans-serif'),
        ("font_family", "x" * 101),
        ("logo", "javascript:alert(1)"),
        ("logo", '/logo.svg" onerror="alert(1)'),
        ("logo", "//evil.example/logo.svg"),
        ("logo", 42),
    ],
)
def test_a_value_that_is_not_a_token_falls_back_to_the_default(key, value):
    theme = theme_for({key: value})
    assert theme == Theme()
    stylesheet = theme.stylesheet()
    assert stylesheet.count("{") == stylesheet.count("}") == 1


def test_defaults_and_font_stacks():
    assert theme_for(None).primary == DEFAULT_PRIMARY
    assert theme_for({}).font_family == DEFAULT_FONT_FAMILY
    assert theme_for({"font_family": "Verdana"}).font_family == "Verdana, sans-serif"
    assert (
        theme_for({"logo": "https://www.enschede.example.nl/logo.svg"}).logo
        == "https://www.enschede.example.nl/logo.svg"
    )
    assert theme_for({"logo": "/static/logo.png"}).logo == "/static/logo.png"


def test_the_theme_route_serves_the_tenants_tokens(client, create_tenant):
    tenant = create_tenant(branding=ENSCHEDE)
    version = theme_for(ENSCHEDE).version
    response = client.get(f"/t/{tenant.slug}/theme.css?v={version}")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    assert "--utrecht-button-primary-action-background-color: #b1003c;" in response.text
    assert response.cache_control.max_age == 31536000
    assert (
        client.get(
            f"/t/{tenant.slug}/theme.css", headers={"If-None-Match": response.get_etag()[0]}
        ).status_code
        == 304
    )
    assert DEFAULT_PRIMARY in client.get("/theme.css").text  # the platform's own look


def test_every_face_links_the_tenants_theme(client, create_tenant):
    tenant = create_tenant(branding=ENSCHEDE)
    version = theme_for(ENSCHEDE).version
    for path in ("/", "/login", "/staff/login", "/app/offline"):
        page = client.get(f"/t/{tenant.slug}{path}").text
        assert f'href="/t/{tenant.slug}/theme.css?v={version}"' in page, path
        assert re.search(r'<meta name="theme-color" content="#b1003c">', page), path
