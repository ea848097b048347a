"""A program of a program kerja being composed in the private chat: one open draft per person, saved after every
answer (migration 0017)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.clock import iso
from storage.db import Database


@dataclass(frozen=True)
class ProgramDraft:
    id: int
    user_id: int
    user_name: str
    kecamatan_code: str
    year: int
    program_uid: str
    changing: bool  # Ubah program: started with the program's answers
    state: str  # bot/xlsform/session.State as JSON
    status: str
    started_at: str
    updated_at: str
    update_id: int | None

    def took(self, update_id: int | None) -> bool:
        """This update, or a later one, already made the stored state: handling it again must change nothing."""
        return update_id is not None and self.update_id is not None and update_id <= self.update_id


def _draft(row: Any) -> ProgramDraft:
    data = dict(row)
    data["changing"] = bool(data["changing"])
    return ProgramDraft(**data)


async def start(db: Database, *, user_id: int, user_name: str, kecamatan_code: str, year: int, program_uid: str,
                changing: bool, state: str, now: datetime, update_id: int | None) -> ProgramDraft:  # fmt: skip
    """A fresh draft for this person; one they had open is cancelled (one program at a time)."""
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE program_draft SET status = 'cancelled' WHERE user_id = ? AND status = 'active'", (user_id,)
        )
        draft_id = await tx.insert(
            """INSERT INTO program_draft (user_id, user_name, kecamatan_code, year, program_uid, changing, state,
                   status, started_at, updated_at, update_id) VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)""",
            (user_id, user_name, kecamatan_code, year, program_uid, int(changing), state, iso(now), iso(now),
             update_id),
        )  # fmt: skip
        row = await tx.fetchone("SELECT * FROM program_draft WHERE id = ?", (draft_id,))
    return _draft(row)


async def active(db: Database, user_id: int) -> ProgramDraft | None:
    async with db.read() as tx:
        row = await tx.fetchone("SELECT * FROM program_draft WHERE user_id = ? AND status = 'active'", (user_id,))
    return None if row is None else _draft(row)


async def get(db: Database, draft_id: int) -> ProgramDraft | None:
    async with db.read() as tx:
        row = await tx.fetchone("SELECT * FROM program_draft WHERE id = ?", (draft_id,))
    return None if row is None else _draft(row)


async def save(db: Database, draft_id: int, *, state: str, now: datetime,
               update_id: int | None) -> ProgramDraft | None:  # fmt: skip
    """Store the conversation state made by `update_id`; None if the draft is no longer open."""
    rows = await db.write_returning(
        """UPDATE program_draft SET state = ?, updated_at = ?, update_id = COALESCE(?, update_id)
           WHERE id = ? AND status = 'active' RETURNING *""",
        (state, iso(now), update_id, draft_id),
    )
    return _draft(rows[0]) if rows else None


async def close(db: Database, draft_id: int, status: str) -> bool:
    """The draft ends as saved, cancelled or expired; False if it had ended already (only one caller says so)."""
    if status not in ("saved", "cancelled", "expired"):
        raise ValueError(status)
    changed = await db.write_one(
        "UPDATE program_draft SET status = ? WHERE id = ? AND status = 'active'", (status, draft_id)
    )
    return changed > 0
