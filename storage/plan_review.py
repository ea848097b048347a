"""Dinsos reviewing a submitted program kerja in chat: the note being asked for after Perlu perbaikan, and each
admin's copy of a submission as the outbox holds it (to mark them once decided)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from bot.clock import iso
from storage.db import Database
from storage.reviews import Copy


@dataclass(frozen=True)
class NotePrompt:
    plan_id: int
    submitted_at: str  # the submission the note is for


async def ask_note(db: Database, admin_id: int, plan_id: int, submitted_at: str, now: datetime) -> None:
    """The admin's next private text is the note for this submission of the plan. A report comment the admin was
    asked for is dropped: one question at a time, the newest."""
    async with db.transaction() as tx:
        await tx.execute("DELETE FROM review_prompt WHERE admin_id = ?", (admin_id,))
        await tx.execute("DELETE FROM xform_review_prompt WHERE admin_id = ?", (admin_id,))
        await tx.execute(
            """INSERT INTO plan_review_prompt (admin_id, plan_id, submitted_at, asked_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (admin_id) DO UPDATE SET plan_id = excluded.plan_id,
                   submitted_at = excluded.submitted_at, asked_at = excluded.asked_at""",
            (admin_id, plan_id, submitted_at, iso(now)),
        )


async def pending_note(db: Database, admin_id: int) -> NotePrompt | None:
    async with db.read() as tx:
        row = await tx.fetchone("SELECT plan_id, submitted_at FROM plan_review_prompt WHERE admin_id = ?", (admin_id,))
    return None if row is None else NotePrompt(row[0], row[1])


async def drop_note(db: Database, admin_id: int) -> bool:
    async with db.transaction() as tx:
        return await tx.execute("DELETE FROM plan_review_prompt WHERE admin_id = ?", (admin_id,)) > 0


async def admin_copies(db: Database, kind: str, plan_id: int, submitted_at: str) -> list[Copy]:
    """Every admin's copy (outbox `kind`) of one submission of the plan: recipient 'admin:<id>:<submitted_at>'."""
    async with db.read() as tx:
        rows = await tx.fetchall(
            """SELECT id, chat_id, message_id, status, payload FROM outbox
               WHERE kind = ? AND ref_id = ? AND recipient = 'admin:' || chat_id || ':' || ? ORDER BY id""",
            (kind, plan_id, submitted_at),
        )
    return [Copy(r[0], r[1], r[2], r[3], json.loads(r[4]) if r[4] else {}) for r in rows]
