"""The report's arithmetic on known numbers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from aandacht.attention import figures


def test_month_bounds_cross_the_year():
    bounds = figures.month_bounds(datetime(2026, 2, 17, 12, tzinfo=UTC), 3)
    assert [bound.strftime("%Y-%m-%d") for bound in bounds] == [
        "2025-12-01",
        "2026-01-01",
        "2026-02-01",
        "2026-03-01",
    ]


def test_buckets_group_people_by_their_contacts():
    assert figures.buckets([0, 0, 1, 2, 3, 4, 9]) == {"0": 2, "1": 1, "2-3": 2, "4+": 2}


def test_gini_is_zero_when_even_and_high_when_one_gets_all():
    assert figures.gini([2, 2, 2, 2]) == pytest.approx(0.0)
    assert figures.gini([0, 0, 0, 8]) == pytest.approx(0.75)
    assert figures.gini([0, 0]) is None


def test_the_top_fifth_share():
    assert figures.top_share([10, 0, 0, 0, 0, 0, 0, 0, 0, 10]) == pytest.approx(1.0)
    assert figures.top_share([1] * 10) == pytest.approx(0.2)
    assert figures.top_share([]) is None
