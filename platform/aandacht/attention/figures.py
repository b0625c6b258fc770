"""The arithmetic of the caseload report: months, spread of attention, and response times.

Plain functions of plain numbers, so the report's figures can be checked on known data.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from datetime import UTC, datetime

#: The groups of people by their number of contact moments in a month: (label, lowest, highest or None).
BUCKETS = (("0", 0, 0), ("1", 1, 1), ("2-3", 2, 3), ("4+", 4, None))


def month_bounds(last: datetime, count: int) -> list[datetime]:
    """The starts (UTC) of `count` months ending with `last`'s month, oldest first, and of the month after.

    Month `i` of the report is [bounds[i], bounds[i + 1]).
    """
    index = last.year * 12 + last.month - 1

    def start(month_index: int) -> datetime:
        return datetime(month_index // 12, month_index % 12 + 1, 1, tzinfo=UTC)

    return [start(index - count + 1 + step) for step in range(count + 1)]


def buckets(counts: Sequence[int]) -> dict[str, int]:
    """How many people fall in each group of `BUCKETS`."""
    found = dict.fromkeys((label for label, _low, _high in BUCKETS), 0)
    for count in counts:
        for label, low, high in BUCKETS:
            if count >= low and (high is None or count <= high):
                found[label] += 1
                break
    return found


def gini(counts: Sequence[int]) -> float | None:
    """The Gini coefficient of the counts: 0 when everyone got as much, towards 1 when a few got all.

    None when there is nobody or nothing to spread.
    """
    values = sorted(counts)
    total = sum(values)
    if not values or total == 0:
        return None
    n = len(values)
    weighted = sum(rank * value for rank, value in enumerate(values, start=1))
    return 2 * weighted / (n * total) - (n + 1) / n


def top_share(counts: Sequence[int], fraction: float = 0.2) -> float | None:
    """The share of all contact moments that the most contacted `fraction` of people got."""
    total = sum(counts)
    if not counts or total == 0:
        return None
    top = math.ceil(len(counts) * fraction)
    return sum(sorted(counts, reverse=True)[:top]) / total


def median(values: Sequence[float]) -> float | None:
    """The median, or None of nothing."""
    return statistics.median(values) if values else None


def share(part: int, whole: int) -> float | None:
    """`part` of `whole` as a fraction, None of nothing."""
    return part / whole if whole else None
