"""Dinsos reviews of submitted reports: Diterima, or Perlu perbaikan with a comment."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.clock import iso
from storage import outbox
from storage.db import Database

ACCEPTED = "diterima"
NEEDS_FIX = "perlu_perbaikan"


async def review(
    db: Database,
    report_id: int,
    version: int,
    *,
    status: str,
    admin_id: int,
    admin_name: str,
    now: datetime,
    comment: str | None = None,
    owed: Callable[[], list[outbox.Owed]] | None = None,
) -> bool:
    """Record the first review of this version (and queue its messages); False if reviewed already or outdated."""
    async with db.transaction() as tx:
        current = await tx.fetchval("SELECT version FROM report WHERE id = ?", (report_id,))
        if current != version:
            return False
        changed = await tx.execute(
            """UPDATE report_version SET review_status = ?, review_comment = ?, reviewed_by_id = ?, reviewed_by = ?,
                   reviewed_at = ? WHERE report_id = ? AND version = ? AND review_status IS NULL""",
            (status, comment, admin_id, admin_name, iso(now), report_id, version),
        )
        await tx.execute("DELETE FROM review_prompt WHERE admin_id = ?", (admin_id,))
        if changed and owed is not None:
            await outbox.enqueue_all(tx, owed(), now)
    return changed > 0


async def ask_comment(db: Database, admin_id: int, report_id: int, now: datetime) -> None:
    """The admin's next private text is the comment for this report."""
    async with db.transaction() as tx:
        await tx.execute(
            """INSERT INTO review_prompt (admin_id, report_id, asked_at) VALUES (?, ?, ?)
               ON CONFLICT (admin_id) DO UPDATE SET report_id = excluded.report_id, asked_at = excluded.asked_at""",
            (admin_id, report_id, iso(now)),
        )


async def pending_comment(db: Database, admin_id: int) -> int | None:
    """The report this admin is writing a comment for, if any."""
    async with db.read() as tx:
        return await tx.fetchval("SELECT report_id FROM review_prompt WHERE admin_id = ?", (admin_id,))


async def drop_comment(db: Database, admin_id: int) -> bool:
    async with db.transaction() as tx:
        return await tx.execute("DELETE FROM review_prompt WHERE admin_id = ?", (admin_id,)) > 0
