"""The database: declarative base, the engine of an app, and one session per application context.

`session` is the session of the current application context (a request, a CLI command, a job): every
context gets its own and it is removed when the context ends. Tenant scoping is added to every session
by `aandacht.tenancy.scoping`, so code here and in the engines never filters on tenant by hand.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app
from flask.globals import app_ctx
from sqlalchemy import (
    ARRAY,
    JSON,
    ColumnElement,
    Connection,
    DateTime,
    Engine,
    ForeignKey,
    ForeignKeyConstraint,
    MetaData,
    TypeDecorator,
    bindparam,
    create_engine,
    event,
    func,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import URL
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, scoped_session

#: Stable constraint names in every database (Alembic needs them to alter or drop constraints).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: JSON that is JSONB on PostgreSQL (indexable, compact) and plain JSON elsewhere.
JSONDocument = JSON().with_variant(postgresql.JSONB(), "postgresql")


class UTCDateTime(TypeDecorator):
    """A moment in time, always timezone-aware in Python (SQLite forgets the zone; this puts UTC back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, _dialect) -> datetime | None:
        """Store moments in UTC."""
        return value.astimezone(UTC) if value is not None and value.tzinfo else value

    def process_result_value(self, value: datetime | None, _dialect) -> datetime | None:
        """Read naive values back as UTC."""
        return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


class Base(DeclarativeBase):
    """Base class of every table of the core and of the domains."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime}


class TenantScoped:
    """Mixin for tables whose rows belong to one tenant.

    `tenant_id` is the first column of the primary key, and must be part of every unique constraint
    and every foreign key to another tenant-owned table (use `tenant_foreign_key`), so that the schema
    can be distributed by tenant. Queries are scoped and inserts stamped by `aandacht.tenancy.scoping`;
    `aandacht.tenancy.keys.tenant_key_problems()` checks the key rules.
    """

    #: The tenant that owns the row.
    tenant_id: Mapped[int] = mapped_column(
        ForeignKey("tenant.id", ondelete="CASCADE"), primary_key=True, sort_order=-100
    )


def utcnow() -> datetime:
    """The current moment, timezone-aware."""
    return datetime.now(UTC)


def new_id() -> uuid.UUID:
    """A new primary-key value for tenant-owned rows (made by the application, so it works everywhere)."""
    return uuid.uuid4()


def tenant_foreign_key(
    column: str, target_table: str, *, ondelete: str | None = None
) -> ForeignKeyConstraint:
    """A foreign key from (`tenant_id`, `column`) to (`tenant_id`, `id`) of `target_table`."""
    return ForeignKeyConstraint(
        ["tenant_id", column], [f"{target_table}.tenant_id", f"{target_table}.id"], ondelete=ondelete
    )


class AppSession(Session):
    """The session class of the platform; tenancy attaches its events to this class."""


@dataclass
class Database:
    """The engine of one app and the process it was made in (pools must not cross a fork)."""

    engine: Engine
    pid: int

    def engine_for_this_process(self) -> Engine:
        """Return the engine, first dropping pooled connections inherited from a parent process."""
        if self.pid != os.getpid():
            self.engine.dispose(close=False)
            self.pid = os.getpid()
        return self.engine


def make_engine(url: URL) -> Engine:
    """Create an engine with the settings each supported database needs."""
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _new_session() -> AppSession:
    database: Database = current_app.extensions["aandacht.db"]
    return AppSession(bind=database.engine_for_this_process(), expire_on_commit=False)


def _app_context_id() -> int:
    return id(app_ctx._get_current_object())


#: The session of the current application context.
session: scoped_session[AppSession] = scoped_session(_new_session, scopefunc=_app_context_id)


def init_app(app: Flask, url: URL) -> None:
    """Give `app` its engine and remove each context's session when the context ends."""
    app.extensions["aandacht.db"] = Database(engine=make_engine(url), pid=os.getpid())
    app.teardown_appcontext(lambda _exc: session.remove())


def engine() -> Engine:
    """The engine of the current app."""
    return current_app.extensions["aandacht.db"].engine_for_this_process()


@contextmanager
def one_connection() -> Iterator[None]:
    """Every transaction of the current session inside this block runs on one connection.

    A session returns its connection to the pool at each commit and checks one out again for the next
    transaction, with a liveness ping (`pool_pre_ping`): a round trip per transaction. A loop of many
    short transactions (a delivery batch records each message in its own) keeps one instead.
    """
    current = session()
    current.commit()
    previous = current.bind
    with engine().connect() as connection:
        current.bind = connection
        try:
            yield
        finally:
            current.rollback()
            current.bind = previous


@contextmanager
def pipelined() -> Iterator[None]:
    """Inside `one_connection` on PostgreSQL: statements are sent without waiting for each answer.

    psycopg's pipeline mode: BEGIN, the tenant's SET LOCAL, the statements and COMMIT of a short
    transaction leave together and cost one wait at the commit instead of one per statement. Only for
    statements whose results are not read (an UPDATE without RETURNING); an error is raised at the
    commit. Elsewhere (SQLite, outside `one_connection`) the statements run as usual.
    """
    bind = session().bind
    if not isinstance(bind, Connection) or bind.dialect.name != "postgresql":
        yield
        return
    with bind.connection.driver_connection.pipeline():
        yield


def one_of(column: ColumnElement[Any], values: Sequence[Any]) -> ColumnElement[bool]:
    """`column IN values`, sent to PostgreSQL as one array parameter (`= ANY(:values)`).

    A caseload's 300 ids are then one parameter, not 300 to render and bind for every query.
    """
    if session.get_bind().dialect.name != "postgresql":
        return column.in_(values)
    return column == func.any(bindparam(None, list(values), type_=ARRAY(column.type)))
