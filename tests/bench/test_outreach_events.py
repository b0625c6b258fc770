"""The benchmark of rules on events runs on a few people and writes each of them their message."""

from __future__ import annotations

from bench.outreach_events import main


def test_a_small_run_prints_its_figures_and_writes_every_message(
    postgres_server_url, redis_url, monkeypatch, capsys
):
    monkeypatch.setenv("DATABASE_URL", postgres_server_url.render_as_string(hide_password=False))
    main(["--people", "50", "--answers", "5", "--redis", redis_url])
    printed = capsys.readouterr().out

    assert "publish to 50 people" in printed and "50 messages" in printed, printed
    assert "rule off" in printed and "(0 messages)" in printed, printed
    assert "rule on" in printed and "(5 messages)" in printed, printed
