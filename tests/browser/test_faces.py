"""The three faces in a real browser: logging in, the day's pages, the installable app, accessibility."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from aandacht.accounts.models import Person
from aandacht.db import session
from aandacht.tenancy.context import tenant_context
from tests.browser.conftest import DESKTOP, PHONE, save_screenshot, tenant_branding


@pytest.fixture
def phone(browser):
    """A page in a phone-sized browser with touch, as most residents use the app."""
    context = browser.new_context(locale="nl-NL", viewport=PHONE, device_scale_factor=1, has_touch=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def small_targets(page, selector: str) -> list[str]:
    """Visible elements matching `selector` that are less than 48 by 48 CSS pixels."""
    return page.eval_on_selector_all(
        selector,
        """elements => elements
            .filter(e => e.offsetParent !== null)
            .map(e => [e, e.getBoundingClientRect()])
            .filter(([e, box]) => box.height < 48 || box.width < 48)
            .map(([e, box]) => `${e.outerHTML.slice(0, 80)}: ${box.width}x${box.height}`)""",
    )


def test_a_resident_logs_in_and_uses_the_app(site, phone, create_tenant, assert_accessible):
    page = phone
    tenant = create_tenant(name="Gemeente Enschede", branding=tenant_branding("enschede"))
    email = site.resident(tenant, "Anna de Vries")

    page.goto(site.url(tenant, "/app/"))
    assert "/login" in page.url  # the app asks a visitor to log in first
    assert_accessible(page)
    page.get_by_role("link", name="Inloggen met een wachtwoord").click()
    assert_accessible(page)
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill("a-long-password-1")
    page.get_by_role("button", name="Inloggen", exact=True).click()
    page.wait_for_url(site.url(tenant, "/app/"))  # back where the resident started

    assert page.get_by_role("heading", level=1).inner_text() == "Hallo Anna de Vries"
    assert page.get_by_test_id("empty-news").is_visible()
    assert page.get_by_role("button", name="Voorlezen").is_visible()
    assert not small_targets(page, ".app-nav a, main a, main button")
    assert_accessible(page)

    # Installable: a manifest scoped to the app, and a service worker with the same scope.
    manifest = page.evaluate("fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())")
    assert manifest["start_url"] == manifest["scope"] == f"/t/{tenant.slug}/app/"
    assert manifest["theme_color"] == "#b1003c"
    scope = page.evaluate("navigator.serviceWorker.ready.then(registration => registration.scope)")
    assert scope == site.url(tenant, "/app/")
    save_screenshot(page, "participant.png")

    # Without internet, the app shows its friendly offline page instead of the browser's error.
    page.reload()  # now controlled by the service worker
    page.context.set_offline(True)
    page.goto(site.url(tenant, "/app/settings"))
    assert page.get_by_test_id("offline").is_visible()
    assert_accessible(page)
    page.context.set_offline(False)

    page.goto(site.url(tenant, "/app/settings"))
    assert_accessible(page)
    assert not small_targets(page, "main button, .choice")
    page.get_by_label("Extra groot").check()
    page.get_by_label("English").check()
    page.get_by_role("button", name="Opslaan", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "text-size-extra-large" in page.locator("html").get_attribute("class")
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "24px"
    cookie = next(c for c in page.context.cookies() if c["name"] == "aandacht_text_size")
    assert (cookie["value"], cookie["path"]) == ("extra-large", f"/t/{tenant.slug}/")
    with site.app.app_context(), tenant_context(tenant):
        assert session.execute(select(Person.locale).where(Person.email == email)).scalar_one() == "en"


def test_a_coach_logs_in_and_sees_their_caseload(site, page, create_tenant, assert_accessible):
    tenant = create_tenant(name="Gemeente Zaanstad", branding=tenant_branding("zaanstad"))
    coach = site.staff(tenant, "Carla Coach", "coach")
    mine = [site.resident(tenant, name) for name in ("Bram Bakker", "Ilse Jansen", "Mo Yilmaz")]
    site.resident(tenant, "Sanne Anders")  # someone else's
    site.caseload(tenant, coach, mine)

    site.log_in_staff(page, tenant, coach, check=assert_accessible)
    page.wait_for_url(site.url(tenant, "/workspace/"))
    names = page.get_by_test_id("caseload").locator("tbody th").all_inner_texts()
    assert names == ["Bram Bakker", "Ilse Jansen", "Mo Yilmaz"]
    assert_accessible(page)
    save_screenshot(page, "workspace.png")

    # Keyboard: "/" jumps to the search; typing narrows the list in place (htmx).
    page.locator("body").press("/")
    assert page.evaluate("document.activeElement.id") == "caseload-search"
    page.keyboard.type("ilse")
    page.wait_for_function("document.querySelectorAll('[data-testid=caseload] tbody tr').length === 1")
    assert page.get_by_test_id("caseload").locator("tbody th").all_inner_texts() == ["Ilse Jansen"]
    assert re.search(r"[?&]q=ilse", page.url)
    page.keyboard.press("Escape")
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.textContent").strip().startswith("Ilse Jansen")
    assert_accessible(page)


def test_a_tenant_administrator_opens_the_portal(site, page, create_tenant, assert_accessible):
    tenant = create_tenant(name="Gemeente Enschede", branding=tenant_branding("enschede"), domains=["werk"])
    admin = site.staff(tenant, "Ada Beheer", "tenant_admin")
    site.staff(tenant, "Carla Coach", "coach")

    site.log_in_staff(page, tenant, admin)
    page.wait_for_url(site.url(tenant, "/portal/"))
    settings = page.get_by_test_id("settings").inner_text()
    assert "Gemeente Enschede" in settings and "Gemeente" in settings
    assert page.get_by_test_id("staff").locator("tbody th").all_inner_texts() == ["Ada Beheer", "Carla Coach"]
    assert "#b1003c" in page.get_by_test_id("branding").inner_text()
    assert_accessible(page)
    save_screenshot(page, "portal.png", full_page=True)


def test_a_person_of_one_tenant_never_sees_another_tenants_pages(site, page, create_tenant):
    home, other = create_tenant(), create_tenant()
    email = site.resident(home, "Anna de Vries")
    site.resident(other, "Bert Geheim")
    site.staff(other, "Olga Geheim", "tenant_admin")
    site.log_in_resident(page, home, email)

    paths = sorted(
        rule.rule
        for rule in site.app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in ("participant", "workspace", "portal", "platform")
        and "GET" in rule.methods
        and not rule.arguments
    )
    assert "/app/" in paths and "/portal/" in paths
    for path in paths:
        response = page.goto(site.url(other, path))
        assert "Geheim" not in page.content(), path
        if response.headers.get("content-type", "").startswith("text/html") and path != "/app/offline":
            login = re.escape(site.url(other, "")) + r"/(staff/)?login\?next="
            assert re.match(login, page.url) or response.status == 404, (path, page.url, response.status)
    # And the resident's own app still knows them at home.
    page.goto(site.url(home, "/app/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Hallo Anna de Vries"


def test_each_municipality_looks_like_itself(site, browser, create_tenant, assert_accessible):
    looks = {}
    for slug in ("enschede", "zaanstad"):
        tenant = create_tenant(name=f"Gemeente {slug.title()}", branding=tenant_branding(slug))
        context = browser.new_context(locale="nl-NL", viewport=DESKTOP)
        page = context.new_page()
        page.goto(site.url(tenant, "/"))
        looks[slug] = {
            "header": page.eval_on_selector(".site-header", "e => getComputedStyle(e).backgroundColor"),
            "button": page.eval_on_selector(
                "[data-testid=login]", "e => getComputedStyle(e).backgroundColor"
            ),
            "edge": page.eval_on_selector(".site-header", "e => getComputedStyle(e).borderBottomColor"),
            "font": page.eval_on_selector("body", "e => getComputedStyle(e).fontFamily"),
            "picture": page.screenshot(),
        }
        assert_accessible(page)  # the tenant's front page, in its own colours
        context.close()
    enschede, zaanstad = looks["enschede"], looks["zaanstad"]
    assert enschede["header"] == enschede["button"] == "rgb(177, 0, 60)"
    assert zaanstad["header"] == zaanstad["button"] == "rgb(0, 80, 140)"
    assert enschede["edge"] == "rgb(26, 26, 26)" and zaanstad["edge"] == "rgb(227, 6, 19)"
    assert enschede["font"].startswith('"Open Sans"') and not zaanstad["font"].startswith('"Open Sans"')
    assert enschede["picture"] != zaanstad["picture"]
