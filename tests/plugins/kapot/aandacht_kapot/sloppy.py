"""A domain whose table escapes its prefix."""

import uuid

from sqlalchemy.orm import Mapped, mapped_column

from aandacht.db import Base, TenantScoped, new_id
from aandacht.plugins import Domain


class Stray(Base, TenantScoped):
    """A table without the slordig_ prefix."""

    __tablename__ = "stray_rows"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)


class SloppyDomain(Domain):
    """Breaks the table-prefix rule."""

    name = "slordig"
    models_module = "aandacht_kapot.sloppy"


domain = SloppyDomain()
