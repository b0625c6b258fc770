"""Every string of the core and the domains has its Dutch translation, and the catalogues are current."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = [
    (ROOT / "platform/aandacht", "messages"),
    *[(ROOT / f"domains/{name}/aandacht_{name}", f"aandacht_{name}") for name in ("werk", "sw", "ouderen")],
]


def placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%\((\w+)\)s", text))


@pytest.mark.parametrize(("package", "domain"), CATALOGUES, ids=[domain for _, domain in CATALOGUES])
def test_dutch_catalogue_is_complete_and_current(package, domain, tmp_path):
    template = tmp_path / "current.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "--no-location",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "lazy_gettext",
            "-k",
            "_l",
            "-o",
            str(template),
            str(package),
        ],
        check=True,
        capture_output=True,
    )
    with template.open("rb") as handle:
        wanted = {message.id for message in read_po(handle) if message.id}
    with (package / f"translations/nl/LC_MESSAGES/{domain}.po").open("rb") as handle:
        catalogue = read_po(handle)
    translated = {message.id for message in catalogue if message.id and message.string and not message.fuzzy}
    assert wanted, "no strings found: is the extraction broken?"
    missing = sorted(map(str, wanted - translated))
    assert missing == [], "strings without a Dutch translation: run make update-messages"
    stale = {message.id for message in catalogue if message.id} - wanted
    assert sorted(map(str, stale)) == [], "strings no code uses any more: run make update-messages"
    for message in catalogue:
        if isinstance(message.id, str) and message.python_format:
            assert placeholders(message.string) == placeholders(message.id), message.id


def test_domain_catalogues_are_merged_with_the_core(app):
    from flask_babel import gettext

    with app.test_request_context("/", headers={"Accept-Language": "nl"}):
        assert gettext("Page not found") == "Pagina niet gevonden"
        assert gettext("Work") == "Werk"
        assert gettext("Companionship") == "Samen actief"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert gettext("Work") == "Work"
