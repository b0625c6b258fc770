"""The Alembic environment of Aandacht, run by `aandacht db ...` (see aandacht.migrate)."""

from alembic import context
from sqlalchemy import create_engine, pool

from aandacht.db import Base
from aandacht.migrate import grant_app_role

config = context.config


def run_migrations_offline() -> None:
    """Write the SQL instead of running it (Alembic's offline mode, for a DBA who applies it by hand)."""
    context.configure(url=config.attributes["url"], target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on the admin connection, then grant the app's role its row rights."""
    engine = create_engine(config.attributes["url"], poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
            role = config.attributes.get("app_role")
            if role and connection.dialect.name == "postgresql":
                grant_app_role(connection, role)
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
