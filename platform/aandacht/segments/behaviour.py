"""The shape behavioural predicates share: how many rows of a person's own, in a period."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, exists, func, not_, select, true

from aandacht.segments.arguments import CountInPeriod


def counted(
    owner: Any, conditions: list[ColumnElement[bool]], period: CountInPeriod, moment: Any, scope: Any
) -> ColumnElement[bool]:
    """Whether the person's rows (`owner` is their person id column) number as `period` says.

    `conditions` pick the rows (kind, channel, ...); the `moment` column places them in the period.
    "At least one" and "none" compile to EXISTS and NOT EXISTS, which stop at the first row and which
    PostgreSQL turns into a semi- or anti-join as the numbers call for. Other counts are counted per
    person when the viewer selects among a caseload (a few hundred people), and once for the whole
    tenant, grouped by person, when they select among everyone: one pass over the rows instead of
    one count per candidate.
    """
    if period.since is not None:
        conditions = [*conditions, moment >= period.since]
    if period.minimum <= 0 and period.maximum is None:
        return true()
    mine = [*conditions, owner == scope.person.id]
    if period.maximum == 0:
        return not_(exists().where(*mine))
    if period.minimum == 1 and period.maximum is None:
        return exists().where(*mine)
    if scope.narrow:
        number = select(func.count()).where(*mine).scalar_subquery()
        return (
            number >= period.minimum
            if period.maximum is None
            else number.between(period.minimum, period.maximum)
        )
    grouped = select(owner).where(*conditions).group_by(owner)
    if period.minimum <= 0:  # at most `maximum`, none included: everyone but those with more
        return scope.person.id.not_in(grouped.having(func.count() > period.maximum))
    enough = func.count() >= period.minimum
    return scope.person.id.in_(
        grouped.having(enough if period.maximum is None else enough & (func.count() <= period.maximum))
    )
