"""The worklist benchmark runs at a tiny size and prints its figures.

The target is the benchmark's business (`python -m bench.attention`), not the suite's: here only that a
run works on PostgreSQL, fills every kind of data, and prints the worklist beside the plain caseload list;
and that measuring again on a kept database first brings it to the current migration heads.
"""

from __future__ import annotations

from aandacht import migrate
from aandacht.app import create_app
from aandacht.testing.pytest_plugin import base_settings
from bench.attention import main, revisions
from bench.profiles import database_settings, drop_database


def test_a_tiny_run_prints_the_worklist_beside_the_plain_caseload_list(
    postgres_server_url, monkeypatch, capsys
):
    monkeypatch.setenv("DATABASE_URL", postgres_server_url.render_as_string(hide_password=False))
    passed = main(["--people", "1200", "--events", "12000", "--caseload", "300", "--repeat", "3"])
    printed = capsys.readouterr().out

    assert passed is not None, printed
    assert "1,200 people, 12,000 events, caseloads of 300 people, 4 coaches" in printed
    for row in (
        "attention.service.worklist, first look",
        "attention.service.worklist, again",
        "plain caseload list",
        "rule life_event",
        "rule profile_incomplete",
        "rule unanswered_question",
        "rule appointment",
    ):
        assert row in printed
    assert printed.count("PASS") + printed.count("FAIL") == 1
    # Every kind of signal is in the data: a worklist is never empty at this size.
    assert "people on a worklist: median 0 " not in printed


def test_reuse_first_upgrades_a_kept_database_to_the_migration_heads(
    postgres_server_url, monkeypatch, capsys, tmp_path
):
    monkeypatch.setenv("DATABASE_URL", postgres_server_url.render_as_string(hide_password=False))
    tiny = ["--people", "600", "--events", "6000", "--caseload", "300", "--repeat", "1"]
    main([*tiny, "--keep"])
    name = capsys.readouterr().out.split("kept database ")[-1].split()[0]
    try:
        app = create_app({**base_settings(tmp_path), **database_settings(name)})
        heads = revisions(database_settings(name))
        migrate.downgrade(app, "aandacht@-1")  # as if kept before the core's latest revision
        assert revisions(database_settings(name)) != heads
        app.extensions["aandacht.db"].engine.dispose()

        assert main([*tiny, "--reuse", name]) is not None
        printed = capsys.readouterr().out
        assert f"at revisions {', '.join(heads)}" in printed
        assert revisions(database_settings(name)) == heads
        assert "rule unread_messages alone" in printed
    finally:
        drop_database(name)
