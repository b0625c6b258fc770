"""The outreach benchmark runs on a few people and finds every message delivered once.

The targets are the benchmark's business (`python -m bench.outreach`), not the suite's: here only that
a run works on PostgreSQL and Redis, prints its figures, and finds no duplicates and no losses — also
in the run where a worker is killed.
"""

from __future__ import annotations

from bench.outreach import main


def test_a_quick_run_prints_its_figures_and_delivers_each_message_once(
    postgres_server_url, redis_url, monkeypatch, capsys
):
    monkeypatch.setenv("DATABASE_URL", postgres_server_url.render_as_string(hide_password=False))
    outcomes = main(
        ["--quick", "--recipients", "60", "--baseline", "20", "--redis", redis_url, "--timeout", "300"]
    )
    printed = capsys.readouterr().out

    assert outcomes is not None, printed
    for words in ("prepared/s", "delivered/s", "duplicates", "losses", "baseline", "SIGKILL"):
        assert words in printed
    assert printed.count("PASS") + printed.count("FAIL") == 3
    assert [(o.recipients, o.duplicates, o.losses, o.unsent) for o in outcomes] == [
        (60, 0, 0, 0),
        (60, 0, 0, 0),
        (20, 0, 0, 0),
    ], printed
