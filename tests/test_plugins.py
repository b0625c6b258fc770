"""Domains are found through entry points, isolated when broken, and scoped to the tenants that enable them.

The tiny domains under tests/plugins are really installed (pip, into a folder of their own) and the
platform runs in a fresh interpreter that has them, as a third party's domain would run.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aandacht.plugins import Domain, discover_domains
from aandacht.testing.pytest_plugin import base_settings

PLUGINS = Path(__file__).parent / "plugins"


@pytest.fixture(scope="session")
def installed_plugins(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--target",
            str(target),
            str(PLUGINS / "studie"),
            str(PLUGINS / "kapot"),
        ],
        check=True,
    )
    return target


def run_platform(installed: Path, tmp_path: Path, *command: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        **base_settings(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'plugins.sqlite'}",
        "PYTHONPATH": str(installed),
    }
    env.pop("REDIS_URL", None)
    return subprocess.run([sys.executable, *command], env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="session")
def scenario(installed_plugins, tmp_path_factory) -> dict:
    result = run_platform(
        installed_plugins, tmp_path_factory.mktemp("scenario"), str(PLUGINS / "scenario.py")
    )
    assert result.returncode == 0, result.stderr
    return {**json.loads(result.stdout), "log": result.stderr}


def test_an_installed_domain_is_discovered(scenario):
    assert scenario["loaded"] == ["ouderen", "studie", "sw", "werk"]


def test_its_migration_branch_is_applied_and_matches_its_models(scenario):
    assert "studie_internship" in scenario["tables"]
    assert scenario["pending_diff"] == []


def test_its_routes_answer_only_for_tenants_that_enable_it(scenario):
    assert scenario["pages"] == {"metstudie": 200, "zonder": 404}
    assert scenario["page_text"] == "<h1>Stages: 2</h1>"


def test_a_disabled_domain_adds_no_menu_items_and_no_attributes(scenario):
    # Both tenants enable werk, whose job-search entry stays; only studie's comes and goes.
    assert scenario["menu"] == {
        "metstudie": ["studie.internships", "werk_search.index"],
        "zonder": ["werk_search.index"],
    }
    attributes = scenario["attributes"].items()
    studie_attributes = {slug: [k for k in keys if k.startswith("studie.")] for slug, keys in attributes}
    assert studie_attributes == {"metstudie": ["studie.study_delay"], "zonder": []}
    assert "Studie" in scenario["home"]["metstudie"]
    assert "Studie" not in scenario["home"]["zonder"]


def test_a_domain_adds_selection_conditions_only_for_tenants_that_enable_it(scenario):
    assert scenario["selections"] == {"metstudie": 2, "zonder": "unknown condition"}


def test_broken_domains_are_reported_by_name_and_the_platform_runs_on(scenario):
    failures = scenario["failures"]
    assert sorted(failures) == ["kapot", "lek", "nep", "slordig"]
    assert failures["lek"] == "ValueError: no routes today"
    assert failures["kapot"] == "RuntimeError: the kapot domain cannot start"
    assert "is not a Domain instance" in failures["nep"]
    assert "table stray_rows does not start with slordig_" in failures["slordig"]
    assert "stray_rows" not in scenario["tables"]
    for name in failures:
        assert f"domain {name} is not loaded" in scenario["log"]


def test_the_domains_command_lists_loaded_and_failed(installed_plugins, tmp_path):
    result = run_platform(installed_plugins, tmp_path, "-m", "aandacht.cli", "domains")
    assert result.returncode == 1, "a failed domain makes the command fail, for scripts and monitoring"
    lines = result.stdout.splitlines()
    assert any(line.startswith("studie") and "loaded" in line for line in lines)
    assert any(
        line.startswith("kapot") and "FAILED   RuntimeError: the kapot domain cannot start" in line
        for line in lines
    )


def test_the_three_shipped_domains_load_cleanly():
    registry = discover_domains()
    assert sorted(registry.domains) == ["ouderen", "sw", "werk"]
    assert registry.failures == {}
    assert all(
        isinstance(domain, Domain) and domain.migrations_dir.is_dir() for domain in registry.domains.values()
    )
