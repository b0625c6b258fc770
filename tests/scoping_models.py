"""Tenant-owned example tables for the tenancy tests, outside the platform's own metadata."""

from __future__ import annotations

import uuid

from alembic.migration import MigrationContext
from alembic.operations import Operations
from flask import Flask
from sqlalchemy import Column, Integer, MetaData, String, Table, UniqueConstraint, create_engine, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from aandacht.db import NAMING_CONVENTION, TenantScoped, new_id, tenant_foreign_key
from aandacht.migrate import grant_app_role
from aandacht.tenancy.rls import enable_row_level_security


class ExampleBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# The real tenant table lives in the platform's metadata; this stand-in lets the foreign keys resolve.
Table("tenant", ExampleBase.metadata, Column("id", Integer, primary_key=True))


class Household(ExampleBase, TenantScoped):
    __tablename__ = "example_household"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(100))
    members: Mapped[list[Member]] = relationship(back_populates="household", order_by="Member.name")


class Member(ExampleBase, TenantScoped):
    __tablename__ = "example_member"
    __table_args__ = (tenant_foreign_key("household_id", "example_household", ondelete="CASCADE"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    household_id: Mapped[uuid.UUID]
    name: Mapped[str] = mapped_column(String(100))
    household: Mapped[Household] = relationship(back_populates="members")


class JobRun(ExampleBase, TenantScoped):
    """Written by the example job, to show in which tenant it ran."""

    __tablename__ = "example_job_run"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    label: Mapped[str] = mapped_column(String(100))


EXAMPLE_TABLES = [Household.__table__, Member.__table__, JobRun.__table__]


def create_example_tables(app: Flask) -> None:
    """Create the example tables as the migrations would: owned by the admin, with RLS, rows granted."""
    settings = app.extensions["aandacht.settings"]
    engine = create_engine(settings.database_admin_url)
    with engine.begin() as connection:
        ExampleBase.metadata.create_all(connection, tables=EXAMPLE_TABLES)
        op = Operations(MigrationContext.configure(connection))
        for table in EXAMPLE_TABLES:
            query = text("SELECT relrowsecurity FROM pg_class WHERE relname = :name")
            existing = (
                connection.dialect.name == "postgresql"
                and connection.execute(query, {"name": table.name}).scalar()
            )
            if not existing:
                enable_row_level_security(op, table.name)
        if connection.dialect.name == "postgresql":
            grant_app_role(connection, settings.database_url.username)
    engine.dispose()
