"""The studie domain's one table."""

import uuid

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from aandacht.db import Base, TenantScoped, new_id


class Internship(Base, TenantScoped):
    """An internship abroad."""

    __tablename__ = "studie_internship"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    country: Mapped[str] = mapped_column(String(2))
