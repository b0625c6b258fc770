"""Tuning the ranker's weights on the offline evaluation: a coordinate search over `ranker.Weights`.

Run: `python -m bench.personalisation_tuning` (about 10-20 minutes on two cores; `--quick` for a taste).
It starts from `--start` (the defaults of `ranker.Weights` changed by `name=value,...`), and for each
weight of the grid in turn tries each of its values with the others at the best found so far, keeping
the best; `--passes` times over the grid. Each trial is a whole run of `bench.personalisation_offline`
(warm-up and evaluation) for every seed of `--seeds`, averaged, in `--processes` processes.

The objective is the ranker's NDCG@10 warm plus its NDCG@10 at cold start (both count: the warm target
and the cold-start target). Each line shows a trial: the weights it changed from the defaults, the
ranker's warm NDCG@10 beside the better popular baseline's and the oracle's, the cold-start NDCG@10
beside the better popular baseline's, the coverage, and how many of the three targets it met.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, fields, replace

import numpy as np

from aandacht.personalisation.ranker import Weights
from bench.personalisation_offline import arguments, format_weights, parse_weights, run

#: The values tried per weight (the defaults are always among the candidates).
GRID: dict[str, tuple[float, ...]] = {
    "seen_penalty": (1.5, 3.0, 6.0),
    "applied_penalty": (3.0, 6.0),
    "passed_penalty": (0.0, 0.1, 0.2, 0.4),
    "fit": (0.5, 1.0, 1.5, 2.0),
    "preference": (0.5, 1.0, 1.5, 2.0),
    "taste_prior": (0.5, 1.0, 2.0, 4.0),
    "collaborative": (0.0, 0.5, 1.0, 2.0),
    "popularity": (0.5, 1.0, 1.5),
    "exploration": (0.0, 0.15, 0.3, 0.6),
    "prior_strength": (2.0, 10.0, 30.0),
    "half_life_days": (15.0, 30.0, 90.0),
}


@dataclass(frozen=True)
class Trial:
    """One weighting's figures, averaged over the seeds."""

    weights: Weights
    warm: float
    warm_popular: float
    warm_oracle: float
    cold: float
    cold_popular: float
    coverage: float
    targets_met: float

    @property
    def objective(self) -> float:
        """What the search maximises: warm plus cold-start NDCG@10 of the ranker."""
        return self.warm + self.cold


def measure(job: tuple[Weights, list[str]]) -> list[float]:
    """One run of the offline evaluation (in a worker process): the figures of a `Trial`."""
    weights, argv = job
    result = run(arguments(argv), weights=weights, quiet=True)
    return [
        result.mean("warm", "ranker", "ndcg"),
        result.best_popular("warm")[1],
        result.mean("warm", "oracle", "ndcg"),
        result.mean("cold", "ranker", "ndcg"),
        result.best_popular("cold")[1],
        len(result.warm["ranker"].chosen) / max(result.warmup.catalogue.shown.size, 1),
        float(sum(passed for _label, _measured, _required, passed in result.verdicts())),
    ]


class Search:
    """Runs trials (cached by weights) over the seeds in a pool of processes."""

    def __init__(self, args: argparse.Namespace, pool: ProcessPoolExecutor) -> None:
        self.args, self.pool = args, pool
        self.seen: dict[Weights, Trial] = {}

    def argv(self, seed: int) -> list[str]:
        """The offline evaluation's arguments for one seed."""
        args = self.args
        found = ["--seed", str(seed), "--people", str(args.people), "--new-people", str(args.new_people)]
        found += ["--items", str(args.items), "--interactions", str(args.interactions)]
        return [*found, "--item-appeal", str(args.item_appeal)]

    def trials(self, candidates: Sequence[Weights]) -> list[Trial]:
        """Each candidate's trial, running the ones not measured yet."""
        todo = [weights for weights in dict.fromkeys(candidates) if weights not in self.seen]
        jobs = [(weights, self.argv(seed)) for weights in todo for seed in self.args.seeds]
        figures = list(self.pool.map(measure, jobs))
        per_seed = len(self.args.seeds)
        for number, weights in enumerate(todo):
            mean = np.mean(figures[number * per_seed : (number + 1) * per_seed], axis=0)
            self.seen[weights] = Trial(weights, *(float(value) for value in mean))
            show(self.seen[weights])
        return [self.seen[weights] for weights in candidates]


def show(trial: Trial) -> None:
    """One line per trial."""
    changed = [part for part in format_weights(trial.weights).split(", ") if part.endswith("*")]
    print(
        f"  {', '.join(changed) or '(defaults)':<72} {trial.warm:6.3f} {trial.warm_popular:6.3f}"
        f" {trial.warm_oracle:6.3f}  {trial.cold:6.3f} {trial.cold_popular:6.3f}  {trial.coverage:6.1%}"
        f"  {trial.targets_met:4.1f}/3",
        flush=True,
    )


def tune(args: argparse.Namespace) -> Trial:
    """The coordinate search; prints every trial and the best."""
    grid = {name: values for name, values in GRID.items() if not args.only or name in args.only}
    print(f"\nTuning ranker weights: {args.people} people, {args.new_people} new, {args.items} items,"
          f" seeds {args.seeds}, item appeal {args.item_appeal:g}, {args.passes} pass(es)")  # fmt: skip
    print(f"  {'weights changed from the defaults (*)':<72} {'warm':>6} {'popul':>6} {'oracle':>6}"
          f"  {'cold':>6} {'popul':>6}  {'cover':>6}  targets")  # fmt: skip
    with ProcessPoolExecutor(args.processes) as pool:
        search = Search(args, pool)
        best = search.trials([parse_weights(args.start)])[0]
        for _ in range(args.passes):
            for name, values in grid.items():
                options = [replace(best.weights, **{name: value}) for value in values]
                best = max([best, *search.trials(options)], key=lambda trial: trial.objective)
    print(f"\n  best: {format_weights(best.weights)}")
    print(
        f"  warm NDCG@10 {best.warm:.3f} (popular {best.warm_popular:.3f}, oracle {best.warm_oracle:.3f}),"
        f" cold start {best.cold:.3f} (popular {best.cold_popular:.3f}), targets met {best.targets_met:.1f}/3"
    )
    return best


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the arguments and tune."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--new-people", type=int, default=200)
    parser.add_argument("--items", type=int, default=1_000)
    parser.add_argument("--interactions", type=int, default=20)
    parser.add_argument("--item-appeal", type=float, default=0.6)
    parser.add_argument("--seeds", type=lambda text: [int(s) for s in text.split(",")], default=[4, 5])
    parser.add_argument("--start", default="", help="weights to start from: seen_penalty=3,...")
    parser.add_argument(
        "--only", type=lambda text: text.split(","), default=[], help="tune these weights only"
    )
    parser.add_argument("--passes", type=int, default=1)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="small worlds, one seed, three weights")
    args = parser.parse_args(argv)
    if args.quick:
        args.people, args.new_people, args.items, args.interactions, args.seeds = 60, 40, 300, 10, [4]
        args.only = args.only or ["seen_penalty", "exploration", "preference"]
    unknown = set(args.only) - {f.name for f in fields(Weights)}
    if unknown:
        raise SystemExit(f"--only: unknown weights {', '.join(sorted(unknown))}")
    tune(args)


if __name__ == "__main__":
    main(sys.argv[1:])
