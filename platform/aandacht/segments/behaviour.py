"""The shape behavioural predicates share: how many rows of a person's own, in a period."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, exists, func, not_, select, true

from aandacht.segments.arguments import CountInPeriod


def counted(
    entity: Any, conditions: list[ColumnElement[bool]], period: CountInPeriod, moment: Any
) -> ColumnElement[bool]:
    """Whether the person's rows of `entity` number from `period.minimum` to `period.maximum`.

    `conditions` correlate the rows to the person; the `moment` column places them in the period.

    "At least one" and "none" compile to EXISTS and NOT EXISTS, which stop at the first row.
    """
    if period.since is not None:
        conditions = [*conditions, moment >= period.since]
    if period.minimum <= 0 and period.maximum is None:
        return true()
    if period.maximum == 0:
        return not_(exists().where(*conditions))
    if period.minimum == 1 and period.maximum is None:
        return exists().where(*conditions)
    number = select(func.count()).select_from(entity).where(*conditions).scalar_subquery()
    if period.maximum is None:
        return number >= period.minimum
    return number.between(period.minimum, period.maximum)
