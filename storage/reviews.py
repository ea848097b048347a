"""Dinsos reviews of submitted reports: Diterima, or Perlu perbaikan with a comment."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.clock import iso
from storage import outbox
from storage.db import Database
from storage.forms import ADMIN_COPY_KIND

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


async def ask_comment(db: Database, admin_id: int, report_id: int, now: datetime, version: int | None = None) -> None:
    """The admin's next private text is the comment for this report (and this version of it); a program kerja
    note the admin was asked for is dropped (one question at a time, the newest)."""
    async with db.transaction() as tx:
        await tx.execute("DELETE FROM plan_review_prompt WHERE admin_id = ?", (admin_id,))
        await tx.execute("DELETE FROM xform_review_prompt WHERE admin_id = ?", (admin_id,))
        await tx.execute(
            """INSERT INTO review_prompt (admin_id, report_id, version, asked_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (admin_id) DO UPDATE SET report_id = excluded.report_id, version = excluded.version,
                   asked_at = excluded.asked_at""",
            (admin_id, report_id, version, iso(now)),
        )


async def pending_comment(db: Database, admin_id: int) -> tuple[int, int | None] | None:
    """(report, version) this admin is writing a comment for, if any; the version is None for older prompts."""
    async with db.read() as tx:
        row = await tx.fetchone("SELECT report_id, version FROM review_prompt WHERE admin_id = ?", (admin_id,))
    return None if row is None else (row[0], row[1])


async def drop_comment(db: Database, admin_id: int) -> bool:
    async with db.transaction() as tx:
        return await tx.execute("DELETE FROM review_prompt WHERE admin_id = ?", (admin_id,)) > 0


@dataclass(frozen=True)
class Copy:
    """One admin's copy of one version of a report, as the outbox holds it."""

    outbox_id: int
    chat_id: int
    message_id: int | None  # None while it waits to be sent
    status: str  # outbox status: pending, sent, failed
    payload: dict[str, Any]


async def admin_copies(db: Database, report_id: int, version: int) -> list[Copy]:
    async with db.read() as tx:
        rows = await tx.fetchall(
            """SELECT o.id, o.chat_id, o.message_id, o.status, o.payload FROM outbox o
               JOIN report_version v ON v.id = o.ref_id
               WHERE o.kind = ? AND v.report_id = ? AND v.version = ? ORDER BY o.id""",
            (ADMIN_COPY_KIND, report_id, version),
        )
    return [Copy(r[0], r[1], r[2], r[3], json.loads(r[4]) if r[4] else {}) for r in rows]


async def rewrite_unsent_copy(db: Database, outbox_id: int, payload: dict[str, Any]) -> bool:
    """Give a copy not sent yet its decided form; False if it went out meanwhile (then it is edited instead)."""
    async with db.transaction() as tx:
        changed = await tx.execute(
            "UPDATE outbox SET payload = ? WHERE id = ? AND status != 'sent'", (json.dumps(payload), outbox_id)
        )
    return changed > 0


EACH, DAILY = "each", "daily"  # how an admin receives report copies


async def copies_mode(db: Database, admin_id: int) -> str:
    async with db.read() as tx:
        return await tx.fetchval("SELECT copies FROM admin_setting WHERE admin_id = ?", (admin_id,)) or EACH


async def set_copies_mode(db: Database, admin_id: int, mode: str, now: datetime) -> None:
    async with db.transaction() as tx:
        await tx.execute(
            """INSERT INTO admin_setting (admin_id, copies, updated_at) VALUES (?, ?, ?)
               ON CONFLICT (admin_id) DO UPDATE SET copies = excluded.copies, updated_at = excluded.updated_at""",
            (admin_id, mode, iso(now)),
        )


async def daily_admins(db: Database) -> set[int]:
    """Admins who chose one summary a day instead of each copy."""
    async with db.read() as tx:
        rows = await tx.fetchall("SELECT admin_id FROM admin_setting WHERE copies = ?", (DAILY,))
    return {r[0] for r in rows}


async def claim_daily_summary(db: Database, day: str, now: datetime, owed: list[outbox.Owed]) -> bool:
    """Record that the summary of `day` (ISO date) ran, owing its messages in the same write; False if it ran."""
    async with db.transaction() as tx:
        claimed = await tx.execute(
            "INSERT OR IGNORE INTO daily_summary_run (day, ran_at) VALUES (?, ?)", (day, iso(now))
        )
        if not claimed:
            return False
        await outbox.enqueue_all(tx, owed, now)
    return True
