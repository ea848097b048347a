"""Filled program kerja templates sent to the bot, each waiting on its preview's buttons (Simpan sebagai draf,
Simpan dan ajukan, Batal). What was read is kept with it, so a button pressed after a restart saves exactly what
the preview showed, and a second press finds the preview already done."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from bot.clock import iso
from bot.program_kerja.model import Program
from storage import program_kerja
from storage.db import Database
from storage.program_kerja import Plan

PREVIEW, SAVED, SUBMITTED, CANCELLED, STALE = "pratinjau", "draf", "diajukan", "batal", "usang"


@dataclass(frozen=True)
class Upload:
    id: int
    user_id: int
    user_name: str
    kecamatan_code: str
    year: int
    file_id: str
    file_name: str
    programs: tuple[Program, ...]
    base_plan_id: int | None  # the newest version of the plan when the preview was made
    base_updated_at: str | None
    status: str
    created_at: str
    finished_at: str | None


def _upload(row: Any) -> Upload:
    data = dict(row)
    data["programs"] = tuple(_program(p) for p in json.loads(data["programs"]))
    return Upload(**data)


def _program(data: dict[str, Any]) -> Program:
    return Program(**(data | {"sasaran_ppks": tuple(data["sasaran_ppks"]), "bulan": tuple(data["bulan"])}))


async def add(db: Database, *, user_id: int, user_name: str, kecamatan_code: str, year: int, file_id: str,
              file_name: str, programs: Sequence[Program], base: Plan | None, now: datetime) -> int:  # fmt: skip
    """Stored for its preview; the same person's earlier previews of this plan are stale from now on."""
    async with db.transaction() as tx:
        await tx.execute(
            """UPDATE program_upload SET status = 'usang', finished_at = ?
               WHERE user_id = ? AND kecamatan_code = ? AND year = ? AND status = 'pratinjau'""",
            (iso(now), user_id, kecamatan_code, year),
        )
        return await tx.insert(
            """INSERT INTO program_upload (user_id, user_name, kecamatan_code, year, file_id, file_name, programs,
                   base_plan_id, base_updated_at, status, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pratinjau', ?)""",
            (user_id, user_name, kecamatan_code, year, file_id, file_name,
             json.dumps([p.as_dict() for p in programs], ensure_ascii=False),
             base.id if base else None, base.updated_at if base else None, iso(now)),
        )  # fmt: skip


async def get(db: Database, upload_id: int) -> Upload | None:
    async with db.read() as tx:
        row = await tx.fetchone("SELECT * FROM program_upload WHERE id = ?", (upload_id,))
    return None if row is None else _upload(row)


async def close(db: Database, upload_id: int, status: str, *, now: datetime) -> bool:
    """Batal, or stale (the plan changed since): False if the preview was not waiting any more."""
    if status not in (CANCELLED, STALE):
        raise ValueError(status)
    changed = await db.write_one(
        "UPDATE program_upload SET status = ?, finished_at = ? WHERE id = ? AND status = 'pratinjau'",
        (status, iso(now), upload_id),
    )
    return changed > 0


class Applied(Enum):
    DONE = "done"
    TAKEN = "taken"  # the preview was answered already (or a newer file replaced it)
    CHANGED = "changed"  # the plan changed after `plan_updated_at`
    NOT_EDITABLE = "not_editable"  # the plan went to Dinsos meanwhile


async def apply(db: Database, upload_id: int, plan_id: int, *, plan_updated_at: str, status: str,
                now: datetime) -> Applied:  # fmt: skip
    """The preview's programs become the plan's and the preview is marked `status` (draf or diajukan), in one
    write; nothing changes unless the preview still waits and the plan is as the caller last saw it."""
    if status not in (SAVED, SUBMITTED):
        raise ValueError(status)
    async with db.transaction() as tx:
        row = await tx.fetchone("SELECT * FROM program_upload WHERE id = ?", (upload_id,))
        if row is None or row["status"] != PREVIEW:
            return Applied.TAKEN
        updated = await tx.fetchval("SELECT updated_at FROM program_plan WHERE id = ?", (plan_id,))
        if updated != plan_updated_at:
            return Applied.CHANGED
        upload = _upload(row)
        if not await program_kerja.replace_programs_within(tx, plan_id, upload.programs, now=now):
            return Applied.NOT_EDITABLE
        await tx.execute(
            "UPDATE program_upload SET status = ?, finished_at = ? WHERE id = ?", (status, iso(now), upload_id)
        )
    return Applied.DONE
