"""Browser tests: the app on a live server in a thread, driven by Debian's Chromium through Playwright.

Chromium is the system's (`make test` installs it when missing); Playwright never downloads a browser.
Each test gets a fresh browser context (no cookies shared between tests) and its own tenants.
"""

from __future__ import annotations

import os
import threading
import time
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyotp
import pytest
from flask import Flask
from werkzeug.serving import make_server

from aandacht.accounts import service
from aandacht.tenancy.context import CurrentTenant, tenant_context

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules/axe-core/axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: Set to a folder (e.g. docs/img) to save screenshots of the three faces there.
SCREENSHOT_DIR = os.environ.get("AANDACHT_SCREENSHOT_DIR")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def tenant_branding(slug: str) -> dict:
    """The branding of a demo tenant, read from its tenant file."""
    return tomllib.loads((ROOT / "tenants" / f"{slug}.toml").read_text(encoding="utf-8"))["branding"]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium; missing: skip (or fail when AANDACHT_REQUIRE_SERVICES=1, as in CI)."""
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is not installed (make test installs it): browser tests do not run"
        if os.environ.get("AANDACHT_REQUIRE_SERVICES") == "1":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run npm ci", pytrace=False)
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_path: str):
    """One headless Chromium per test worker."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 at a free port, in a thread, while the block runs; gives its base address.

    For a test that needs an app of its own settings (e-mail to a local SMTP server, say).
    """
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    """The app served on 127.0.0.1 at a free port, in a thread; yields its base address."""
    with serving(app) as base:
        yield base


@pytest.fixture
def context(browser):
    """A fresh browser context: Dutch (the default), no cookies, no service workers of other tests."""
    browser_context = browser.new_context(locale="nl-NL", viewport=DESKTOP)
    browser_context.set_default_timeout(10_000)
    yield browser_context
    browser_context.close()


@pytest.fixture
def page(context):
    """A page of the fresh context."""
    return context.new_page()


@dataclass
class Site:
    """The live server with helpers to make accounts and to log in."""

    app: Flask
    base: str

    def url(self, tenant: CurrentTenant | None, path: str = "/") -> str:
        """The full address of `path` of `tenant` (path prefix /t/<slug>)."""
        return f"{self.base}/t/{tenant.slug}{path}" if tenant else f"{self.base}{path}"

    @staticmethod
    def email(tenant: CurrentTenant, name: str) -> str:
        """An e-mail address for `name` at the tenant ("Gemeente Zaanstad": anna@zaanstad.example.org)."""
        return f"{name.split()[0].lower()}@{tenant.name.split()[-1].lower()}.example.org"

    def resident(self, tenant: CurrentTenant, name: str, password: str = "a-long-password-1") -> str:
        """Create a resident who logs in by password; returns their e-mail address."""
        email = self.email(tenant, name)
        with self.app.app_context(), tenant_context(tenant):
            service.create_person(display_name=name, email=email, password=password)
        return email

    def staff(self, tenant: CurrentTenant, name: str, role: str, password: str = "a-long-password-1") -> str:
        """Create a local staff account (password, then TOTP enrolment at the first login)."""
        email = self.email(tenant, name)
        with self.app.app_context(), tenant_context(tenant):
            service.create_staff(display_name=name, email=email, role=role, password=password)
        return email

    def caseload(self, tenant: CurrentTenant, coach_email: str, person_emails: list[str]) -> None:
        """Put people in a coach's caseload."""
        with self.app.app_context(), tenant_context(tenant):
            coach = service.staff_by_email(coach_email)
            people = [service.person_by_email(email).id for email in person_emails]
            service.assign_to_caseload(staff_id=coach.id, person_ids=people)

    def log_in_resident(self, page, tenant: CurrentTenant, email: str, password: str = "a-long-password-1"):
        """Log in by password, starting from the app's address as a resident would."""
        page.goto(self.url(tenant, "/app/"))
        page.get_by_role("link", name="Inloggen met een wachtwoord").click()
        page.get_by_label("E-mailadres").fill(email)
        page.get_by_label("Wachtwoord").fill(password)
        page.get_by_role("button", name="Inloggen", exact=True).click()
        page.wait_for_url(self.url(tenant, "/app/"))

    def log_in_staff(
        self, page, tenant: CurrentTenant, email: str, password: str = "a-long-password-1", check=None
    ):
        """Log in a local staff account: password, then enrol the authenticator app (TOTP).

        `check(page)` runs on each login page on the way (the accessibility check).
        """
        page.goto(self.url(tenant, "/staff/login"))
        if check:
            check(page)
        page.get_by_label("E-mailadres").fill(email)
        page.get_by_label("Wachtwoord").fill(password)
        page.get_by_role("button", name="Verder").click()
        secret = page.get_by_test_id("totp-secret").inner_text().strip()
        if check:
            check(page)
        page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
        page.get_by_role("button", name="Koppelen en inloggen").click()
        page.wait_for_load_state()


@pytest.fixture
def site(app: Flask, live_server: str) -> Site:
    """The live server and its helpers."""
    return Site(app, live_server)


def accessibility_problems(page) -> list[str]:
    """WCAG 2.1 A and AA violations that axe-core finds on the page, one line each."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        for violation in result["violations"]
    ]


@pytest.fixture
def assert_accessible() -> Callable:
    """`assert_accessible(page)`: fail with axe's findings when the page has WCAG 2.1 A/AA violations."""

    def check(page) -> None:
        problems = accessibility_problems(page)
        assert not problems, f"{page.url}:\n" + "\n".join(problems)

    return check


def save_screenshot(page, name: str, **options) -> None:
    """Save a screenshot for the documentation when AANDACHT_SCREENSHOT_DIR is set."""
    if SCREENSHOT_DIR:
        Path(SCREENSHOT_DIR).mkdir(parents=True, exist_ok=True)
        time.sleep(0.1)  # let the last paint settle
        page.screenshot(path=str(Path(SCREENSHOT_DIR) / name), **options)
