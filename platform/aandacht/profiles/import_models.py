"""The table of client-file imports: one row per uploaded file, from upload to its result."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from aandacht.db import Base, JSONDocument, TenantScoped, new_id, utcnow

#: uploaded -> checked (dry run) -> queued -> running -> done; or rejected (bad rows, nothing changed)
#: or failed (an unexpected error, nothing changed).
IMPORT_STATUSES = ("uploaded", "checked", "queued", "running", "done", "rejected", "failed")
#: States in which the import's job may still change something.
ACTIVE_STATUSES = ("queued", "running")


class ImportRun(Base, TenantScoped):
    """One import of a client file: its mapping, its dry-run report, and the progress of its run."""

    __tablename__ = "import_run"
    __table_args__ = (CheckConstraint(f"status IN {IMPORT_STATUSES}", name="status"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    #: The name the file had on the administrator's computer (shown, and the detail of its history).
    file_name: Mapped[str] = mapped_column(String(200))
    #: csv or xlsx.
    file_format: Mapped[str] = mapped_column(String(8))
    #: The column headers of the file, in order.
    columns: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    #: File column -> target: `external_id`, `name`, `email`, `phone` or `attribute:<key>`.
    mapping: Mapped[dict[str, str]] = mapped_column(JSONDocument, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="uploaded")
    #: Language of the administrator, for the messages of the report written by the job.
    locale: Mapped[str | None] = mapped_column(String(8))
    #: Data rows in the file, and how many the run has handled so far.
    total: Mapped[int] = mapped_column(Integer, default=0)
    processed: Mapped[int] = mapped_column(Integer, default=0)
    #: People created, people updated and people left as they were (by the dry run: would be).
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    #: The report: a list of {"row": file row number, "column": file column, "reason": plain words}.
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument, default=list)
    #: The staff member who uploaded the file.
    created_by: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
