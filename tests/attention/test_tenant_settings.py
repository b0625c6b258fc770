"""A tenant file's `[attention]` table: thresholds and switches are checked against the signals there are."""

from __future__ import annotations

import pytest

from aandacht.attention import service
from aandacht.tenancy.files import TenantFilesInvalid, read_tenant_files

GOOD = """
name = "Gemeente Proef"
kind = "municipality"

[attention]
digest_hour = 8
off = ["profile_incomplete"]

[attention.inactive]
days = 10
"""


def write(tmp_path, attention: str) -> None:
    (tmp_path / "proef.toml").write_text(
        f'name = "Gemeente Proef"\nkind = "municipality"\n\n[attention]\n{attention}'
    )


def read(app, tmp_path):
    registry = app.extensions["aandacht.domains"]
    return read_tenant_files(
        tmp_path, registry.domains.keys(), registry.failures, service.known_signals(registry)
    )


def test_a_tenant_sets_thresholds_switches_and_the_digest_hour(app, tmp_path):
    (tmp_path / "proef.toml").write_text(GOOD)
    [declaration] = read(app, tmp_path)
    assert declaration.attention == {
        "digest_hour": 8,
        "off": ["profile_incomplete"],
        "inactive": {"days": 10},
    }


@pytest.mark.parametrize(
    ("attention", "problem"),
    [
        ('off = ["inactief"]', "attention.off.0: No signal 'inactief'; the signals are: "),
        (
            "[attention.inactive]\nweeks = 2",
            "attention.inactive.weeks: The signal inactive has no threshold 'weeks'; it has: days.",
        ),
        ("[attention.stil]\ndays = 2", "attention.stil: No signal 'stil'"),
        ('[attention.inactive]\ndays = "veertien"', "attention.inactive.days: Must be a number, 0 or more."),
        ("digest_hour = 25", "attention.digest_hour: Must be an hour, 0 to 23."),
    ],
)
def test_a_wrong_attention_table_is_refused_with_the_key(app, tmp_path, attention, problem):
    write(tmp_path, attention)
    with pytest.raises(TenantFilesInvalid) as refused:
        read(app, tmp_path)
    assert problem in str(refused.value)


def test_the_sync_command_checks_the_signals(runner, tmp_path):
    write(tmp_path, 'off = ["inactief"]')
    result = runner.invoke(args=["tenants", "sync", "--dry-run", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "attention.off.0: No signal 'inactief'" in result.output
