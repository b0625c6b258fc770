"""The worklist benchmark runs at a tiny size and prints its figures.

The target is the benchmark's business (`python -m bench.attention`), not the suite's: here only that a
run works on PostgreSQL, fills every kind of data, and prints the worklist beside the plain caseload list.
"""

from __future__ import annotations

from bench.attention import main


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
