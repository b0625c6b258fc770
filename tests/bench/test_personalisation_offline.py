"""The offline evaluation of the ranker runs on a small world, says what it measured, and is sane.

The targets themselves are the benchmark's business (`python -m bench.personalisation_offline`), not
the suite's: here only that a run works, prints its figures, and that no one beats the oracle.
"""

from bench.personalisation_offline import METHODS, arguments, main, run


def test_a_quick_run_prints_every_figure_and_the_oracle_bounds_the_ranker(capsys):
    result = main(["--quick"])
    printed = capsys.readouterr().out

    for words in ("P@10", "NDCG@10", "coverage", "cold start", "targets", *METHODS):
        assert words in printed
    assert printed.count("PASS") + printed.count("FAIL") == 3
    for group in ("warm", "cold"):
        assert len(getattr(result, group)["ranker"].ndcg) > 0
        for metric in ("precision", "ndcg"):
            ranker, oracle = result.mean(group, "ranker", metric), result.mean(group, "oracle", metric)
            assert 0.0 <= ranker <= oracle + 1e-9 <= 1.0 + 1e-9, (group, metric, ranker, oracle)
        assert abs(result.mean(group, "oracle", "ndcg") - 1.0) < 1e-9
    assert 0.0 < len(result.warm["ranker"].chosen) <= 300


def test_the_same_seed_gives_the_same_figures():
    small = ["--people", "20", "--new-people", "10", "--items", "150", "--interactions", "5", "--seed", "7"]
    first, second = (run(arguments(small), quiet=True) for _ in range(2))

    for group in ("warm", "cold"):
        for method in METHODS:
            assert first.mean(group, method, "ndcg") == second.mean(group, method, "ndcg")
