"""Program kerja: each kecamatan's plan for a year in versions, its programs, Dinsos's decisions, the deadline,
and the laporan that count towards a program (their answer `program` holds the program's uid)."""

from __future__ import annotations

import json
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.clock import iso
from bot.program_kerja.model import Program
from storage import outbox
from storage.db import Database, Tx

DRAFT, SUBMITTED, ACCEPTED, NEEDS_FIX, REPLACED = "draf", "diajukan", "diterima", "perlu_perbaikan", "diganti"
EDITABLE = (DRAFT, NEEDS_FIX)
OPEN = (DRAFT, SUBMITTED, NEEDS_FIX)


@dataclass(frozen=True)
class Plan:
    id: int
    kecamatan_code: str
    year: int
    version: int
    status: str
    created_by_id: int
    created_by: str
    created_at: str
    updated_at: str
    submitted_by_id: int | None
    submitted_by: str | None
    submitted_at: str | None
    reviewed_by_id: int | None
    reviewed_by: str | None
    reviewed_at: str | None
    review_note: str | None

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE


def _plan(row: Any) -> Plan:
    return Plan(**dict(row))


_PROGRAM_COLUMNS = ("uid", "nama", "bidang", "tujuan", "sasaran_ppks", "sasaran_lain", "bulan", "lokasi",
                    "target_peserta", "target_penerima", "anggaran", "sumber_dana", "penanggung_jawab",
                    "indikator")  # fmt: skip


def _program(row: Any) -> Program:
    data = {name: row[name] for name in _PROGRAM_COLUMNS}
    data["sasaran_ppks"] = tuple(json.loads(data["sasaran_ppks"]))
    data["bulan"] = tuple(json.loads(data["bulan"]))
    return Program(**data)


def _program_values(program: Program) -> tuple[Any, ...]:
    values = program.as_dict()
    values["sasaran_ppks"] = json.dumps(values["sasaran_ppks"])
    values["bulan"] = json.dumps(values["bulan"])
    return tuple(values[name] for name in _PROGRAM_COLUMNS)


# --- reading ------------------------------------------------------------------------------------------------


async def get_plan(db: Database, plan_id: int) -> Plan | None:
    async with db.read() as tx:
        row = await tx.fetchone("SELECT * FROM program_plan WHERE id = ?", (plan_id,))
    return None if row is None else _plan(row)


async def versions(db: Database, kecamatan_code: str, year: int) -> list[Plan]:
    """Every version of a kecamatan's plan for the year, newest first."""
    async with db.read() as tx:
        rows = await tx.fetchall(
            "SELECT * FROM program_plan WHERE kecamatan_code = ? AND year = ? ORDER BY version DESC",
            (kecamatan_code, year),
        )
    return [_plan(r) for r in rows]


async def programs(db: Database, plan_id: int) -> list[Program]:
    async with db.read() as tx:
        rows = await tx.fetchall("SELECT * FROM program WHERE plan_id = ? ORDER BY position, id", (plan_id,))
    return [_program(r) for r in rows]


@dataclass(frozen=True)
class YearState:
    """Where one kecamatan's plan for a year stands: its newest version, and the approved one in force."""

    kecamatan_code: str
    latest: Plan | None
    in_force: Plan | None


async def year_states(db: Database, year: int, kecamatan_code: str | None = None) -> dict[str, YearState]:
    """Every kecamatan's state (or one's), keyed by code; kecamatan without any version have latest None."""
    where, params = ("WHERE k.code = ?", (year, kecamatan_code)) if kecamatan_code else ("", (year,))
    async with db.read() as tx:
        codes = [r[0] for r in await tx.fetchall(f"SELECT k.code FROM kecamatan k {where} ORDER BY k.code",
                                                 params[1:])]  # fmt: skip
        rows = await tx.fetchall(
            "SELECT * FROM program_plan WHERE year = ? ORDER BY kecamatan_code, version DESC", (year,)
        )
    latest: dict[str, Plan] = {}
    in_force: dict[str, Plan] = {}
    for row in rows:
        plan = _plan(row)
        latest.setdefault(plan.kecamatan_code, plan)
        if plan.status == ACCEPTED:
            in_force[plan.kecamatan_code] = plan
    return {code: YearState(code, latest.get(code), in_force.get(code)) for code in codes}


async def in_force_programs(db: Database, year: int, kecamatan_code: str | None = None) -> dict[str, list[Program]]:
    """The programs of every approved plan in force for the year (or one kecamatan's), keyed by kecamatan."""
    where = "AND p.kecamatan_code = ?" if kecamatan_code else ""
    params: tuple[Any, ...] = (year, kecamatan_code) if kecamatan_code else (year,)
    async with db.read() as tx:
        rows = await tx.fetchall(
            f"""SELECT p.kecamatan_code, g.* FROM program_plan p JOIN program g ON g.plan_id = p.id
                WHERE p.year = ? AND p.status = 'diterima' {where} ORDER BY p.kecamatan_code, g.position, g.id""",
            params,
        )
    out: dict[str, list[Program]] = {}
    for row in rows:
        out.setdefault(row["kecamatan_code"], []).append(_program(row))
    return out


async def in_force_plan_ids(db: Database, year: int) -> tuple[int, ...]:
    """The approved plans in force for the year. Their programs never change (a perubahan is a new plan), so
    these ids tell a reader whether the programs in force are still the ones it read."""
    async with db.read() as tx:
        rows = await tx.fetchall("SELECT id FROM program_plan WHERE year = ? AND status = 'diterima' ORDER BY id",
                                 (year,))  # fmt: skip
    return tuple(r[0] for r in rows)


async def submitted(db: Database) -> list[Plan]:
    """Plans waiting for Dinsos, oldest submission first (the /tinjau queue)."""
    async with db.read() as tx:
        rows = await tx.fetchall("SELECT * FROM program_plan WHERE status = 'diajukan' ORDER BY submitted_at, id")
    return [_plan(r) for r in rows]


# --- editing ------------------------------------------------------------------------------------------------


class NotEditable(Exception):
    """The plan is waiting for Dinsos (diajukan): it cannot change until it is decided."""


async def editable_plan(db: Database, kecamatan_code: str, year: int, *, user_id: int, user_name: str,
                        now: datetime) -> Plan:  # fmt: skip
    """The version a pengurus edits: the open draft (or the one sent back), else a new version that starts as a
    copy of the plan in force (a perubahan) or empty. Raises NotEditable while a version waits for Dinsos."""
    async with db.transaction() as tx:
        row = await tx.fetchone(
            """SELECT * FROM program_plan WHERE kecamatan_code = ? AND year = ?
                   AND status IN ('draf', 'diajukan', 'perlu_perbaikan')""",
            (kecamatan_code, year),
        )
        if row is not None:
            if row["status"] == SUBMITTED:
                raise NotEditable
            return _plan(row)
        base = await tx.fetchone(
            "SELECT id, version FROM program_plan WHERE kecamatan_code = ? AND year = ? ORDER BY version DESC LIMIT 1",
            (kecamatan_code, year),
        )
        in_force = await tx.fetchval(
            "SELECT id FROM program_plan WHERE kecamatan_code = ? AND year = ? AND status = 'diterima'",
            (kecamatan_code, year),
        )
        plan_id = await tx.insert(
            """INSERT INTO program_plan (kecamatan_code, year, version, status, created_by_id, created_by,
                   created_at, updated_at) VALUES (?, ?, ?, 'draf', ?, ?, ?, ?)""",
            (kecamatan_code, year, (base["version"] if base else 0) + 1, user_id, user_name, iso(now), iso(now)),
        )
        if in_force is not None:
            columns = ", ".join(("position", *_PROGRAM_COLUMNS))
            await tx.execute(
                f"INSERT INTO program (plan_id, {columns}) SELECT ?, {columns} FROM program WHERE plan_id = ?",
                (plan_id, in_force),
            )
        created = await tx.fetchone("SELECT * FROM program_plan WHERE id = ?", (plan_id,))
    return _plan(created)


async def _editing(tx: Tx, plan_id: int, now: datetime) -> bool:
    """Inside a write: True (and the plan's updated_at moved) if the plan may still be edited."""
    changed = await tx.execute(
        "UPDATE program_plan SET updated_at = ? WHERE id = ? AND status IN ('draf', 'perlu_perbaikan')",
        (iso(now), plan_id),
    )
    return changed > 0


async def save_program(db: Database, plan_id: int, program: Program, *, now: datetime) -> bool:
    """Add the program (a new uid goes last) or change the one with its uid; False if the plan is not editable."""
    async with db.transaction() as tx:
        if not await _editing(tx, plan_id, now):
            return False
        columns = ", ".join(_PROGRAM_COLUMNS)
        updates = ", ".join(f"{c} = excluded.{c}" for c in _PROGRAM_COLUMNS if c != "uid")
        await tx.execute(
            f"""INSERT INTO program (plan_id, position, {columns})
                VALUES (?, (SELECT COALESCE(MAX(position), 0) + 1 FROM program WHERE plan_id = ?),
                        {", ".join("?" * len(_PROGRAM_COLUMNS))})
                ON CONFLICT (plan_id, uid) DO UPDATE SET {updates}""",
            (plan_id, plan_id, *_program_values(program)),
        )
    return True


async def remove_program(db: Database, plan_id: int, uid: str, *, now: datetime) -> bool:
    async with db.transaction() as tx:
        if not await _editing(tx, plan_id, now):
            return False
        return await tx.execute("DELETE FROM program WHERE plan_id = ? AND uid = ?", (plan_id, uid)) > 0


async def reorder(db: Database, plan_id: int, uids: Sequence[str], *, now: datetime) -> bool:
    """Put the programs in this order; False unless `uids` are exactly the plan's programs."""
    async with db.transaction() as tx:
        have = {r[0] for r in await tx.fetchall("SELECT uid FROM program WHERE plan_id = ?", (plan_id,))}
        if have != set(uids) or len(uids) != len(have) or not await _editing(tx, plan_id, now):
            return False
        for position, uid in enumerate(uids, start=1):
            await tx.execute("UPDATE program SET position = ? WHERE plan_id = ? AND uid = ?", (position, plan_id, uid))
    return True


async def replace_programs(db: Database, plan_id: int, new: Sequence[Program], *, now: datetime) -> bool:
    """Every program of the plan replaced by `new`, in its order (a filled template); False if not editable."""
    async with db.transaction() as tx:
        return await replace_programs_within(tx, plan_id, new, now=now)


async def replace_programs_within(tx: Tx, plan_id: int, new: Sequence[Program], *, now: datetime) -> bool:
    """replace_programs inside a caller's write (a template's preview is marked saved in the same one)."""
    if not await _editing(tx, plan_id, now):
        return False
    await tx.execute("DELETE FROM program WHERE plan_id = ?", (plan_id,))
    columns = ", ".join(("plan_id", "position", *_PROGRAM_COLUMNS))
    marks = ", ".join("?" * (2 + len(_PROGRAM_COLUMNS)))
    for position, program in enumerate(new, start=1):
        await tx.execute(f"INSERT INTO program ({columns}) VALUES ({marks})",
                         (plan_id, position, *_program_values(program)))  # fmt: skip
    return True


# --- submitting and deciding -------------------------------------------------------------------------------


async def submit(db: Database, plan_id: int, *, user_id: int, user_name: str, now: datetime,
                 owed: list[outbox.Owed]) -> bool:  # fmt: skip
    """Ajukan ke Dinsos: the plan (with at least one program) waits for a decision; its messages are owed in
    the same write. False if it was not editable or has no program."""
    async with db.transaction() as tx:
        count = await tx.fetchval("SELECT COUNT(*) FROM program WHERE plan_id = ?", (plan_id,))
        if not count:
            return False
        changed = await tx.execute(
            """UPDATE program_plan SET status = 'diajukan', submitted_by_id = ?, submitted_by = ?, submitted_at = ?,
                   updated_at = ? WHERE id = ? AND status IN ('draf', 'perlu_perbaikan')""",
            (user_id, user_name, iso(now), iso(now), plan_id),
        )
        if not changed:
            return False
        await outbox.enqueue_all(tx, owed, now)
    return True


# The plans in force (and so their programs) change only through an acceptance here. A reader in this process may
# keep what it read of them while this count for its database stays the same (the laporan's program question reads
# them at every answer otherwise). Keyed by the Database object, as the form caches are.
_acceptances: weakref.WeakKeyDictionary[Database, int] = weakref.WeakKeyDictionary()


def acceptances(db: Database) -> int:
    """How many plans this process has accepted on `db`: what was read of the plans in force is still true while
    this has not moved."""
    return _acceptances.get(db, 0)


async def decide(db: Database, plan_id: int, *, status: str, note: str | None, admin_id: int, admin_name: str,
                 now: datetime, owed: list[outbox.Owed]) -> bool:  # fmt: skip
    """Dinsos's decision on a submitted plan, with its messages; False if it was not waiting (decided already).
    An approved plan puts the one in force before it out of force ('diganti')."""
    if status not in (ACCEPTED, NEEDS_FIX):
        raise ValueError(status)
    async with db.transaction() as tx:
        row = await tx.fetchone("SELECT * FROM program_plan WHERE id = ? AND status = 'diajukan'", (plan_id,))
        if row is None:
            return False
        if status == ACCEPTED:
            await tx.execute(
                """UPDATE program_plan SET status = 'diganti', updated_at = ?
                   WHERE kecamatan_code = ? AND year = ? AND status = 'diterima'""",
                (iso(now), row["kecamatan_code"], row["year"]),
            )
        await tx.execute(
            """UPDATE program_plan SET status = ?, reviewed_by_id = ?, reviewed_by = ?, reviewed_at = ?,
                   review_note = ?, updated_at = ? WHERE id = ?""",
            (status, admin_id, admin_name, iso(now), note, iso(now), plan_id),
        )
        await outbox.enqueue_all(tx, owed, now)
    if status == ACCEPTED:
        _acceptances[db] = _acceptances.get(db, 0) + 1
    return True


# --- deadline and who is a pengurus ----------------------------------------------------------------------------


async def set_deadline(db: Database, year: int, deadline: date, *, admin_id: int, admin_name: str,
                       now: datetime) -> None:  # fmt: skip
    await db.write_one(
        """INSERT INTO program_deadline (year, deadline, set_by_id, set_by, set_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (year) DO UPDATE SET deadline = excluded.deadline, set_by_id = excluded.set_by_id,
               set_by = excluded.set_by, set_at = excluded.set_at""",
        (year, deadline.isoformat(), admin_id, admin_name, iso(now)),
    )


async def deadline(db: Database, year: int) -> date | None:
    async with db.read() as tx:
        value = await tx.fetchval("SELECT deadline FROM program_deadline WHERE year = ?", (year,))
    return None if value is None else date.fromisoformat(value)


async def remember_pengurus(db: Database, user_id: int, kecamatan_code: str, *, now: datetime) -> None:
    await db.write_one(
        """INSERT INTO pengurus_seen (user_id, kecamatan_code, seen_at) VALUES (?, ?, ?)
           ON CONFLICT (user_id, kecamatan_code) DO UPDATE SET seen_at = excluded.seen_at""",
        (user_id, kecamatan_code, iso(now)),
    )


async def pengurus_seen(db: Database, user_id: int) -> list[str]:
    async with db.read() as tx:
        rows = await tx.fetchall(
            "SELECT kecamatan_code FROM pengurus_seen WHERE user_id = ? ORDER BY seen_at DESC", (user_id,)
        )
    return [r[0] for r in rows]


# --- the laporan that realise programs -----------------------------------------------------------------------


@dataclass(frozen=True)
class Activity:
    """A laporan kegiatan (its current version) as program kerja counts it."""

    report_id: int
    number: int
    kecamatan_code: str
    tanggal: date
    program_uid: str | None  # None: outside the plan (also every laporan stored before program kerja)
    nama: str
    bidang: str
    lokasi: str  # the desa/kelurahan name, or 'Tingkat kecamatan'
    peserta: int
    penerima: int
    dana: int
    photos: tuple[str, ...]  # Telegram file ids
    hasil: str
    review_status: str | None


async def activities(db: Database, year: int, kecamatan_code: str | None = None) -> list[Activity]:
    """Every laporan kegiatan whose activity date falls in the year (or one kecamatan's), oldest first."""
    where = "AND r.kecamatan_code = ?" if kecamatan_code else ""
    params: tuple[Any, ...] = (f"{year}-%", kecamatan_code) if kecamatan_code else (f"{year}-%",)
    async with db.read() as tx:
        rows = await tx.fetchall(
            f"""SELECT r.id, r.number, r.kecamatan_code, v.answers, v.review_status
                FROM report r JOIN report_version v ON v.report_id = r.id AND v.version = r.version
                WHERE r.form = 'laporan' AND json_extract(v.answers, '$.tanggal') LIKE ? {where}
                ORDER BY json_extract(v.answers, '$.tanggal'), r.id""",
            params,
        )
    return [_activity(r) for r in rows]


def _activity(row: Any) -> Activity:
    answers = json.loads(row["answers"])
    program = answers.get("program")
    lokasi = answers.get("lokasi") or {}
    return Activity(
        report_id=row["id"], number=row["number"], kecamatan_code=row["kecamatan_code"],
        tanggal=date.fromisoformat(answers["tanggal"]),
        program_uid=program if program and program != "luar" else None,
        nama=str(answers.get("nama_kegiatan") or ""), bidang=str(answers.get("bidang") or ""),
        lokasi=str(lokasi.get("name") or "") if isinstance(lokasi, dict) else str(lokasi),
        peserta=int(answers.get("jumlah_peserta") or 0), penerima=int(answers.get("jumlah_penerima") or 0),
        dana=int(answers.get("jumlah_dana") or 0), photos=tuple(answers.get("foto") or ()),
        hasil=str(answers.get("hasil") or ""), review_status=row["review_status"],
    )  # fmt: skip


async def in_force_by_year(db: Database, kecamatan_code: str, years: Sequence[int]) -> dict[int, list[Program]]:
    """One kecamatan's approved programs for each of these years that has a plan in force (the laporan's
    question offers them), in the plan's order."""
    if not years:
        return {}
    marks = ", ".join("?" * len(years))
    async with db.read() as tx:
        rows = await tx.fetchall(
            f"""SELECT p.year, g.* FROM program_plan p JOIN program g ON g.plan_id = p.id
                WHERE p.kecamatan_code = ? AND p.status = 'diterima' AND p.year IN ({marks})
                ORDER BY p.year, g.position, g.id""",
            (kecamatan_code, *years),
        )
    out: dict[int, list[Program]] = {}
    for row in rows:
        out.setdefault(row["year"], []).append(_program(row))
    return out


async def program_names(db: Database, kecamatan_code: str | None = None) -> dict[str, str]:
    """uid → name of every program that was ever in an approved plan (or one kecamatan's), as its newest approved
    version names it: what a laporan linked to it shows, even after a revision removed it."""
    where, params = ("AND p.kecamatan_code = ?", (kecamatan_code,)) if kecamatan_code else ("", ())
    async with db.read() as tx:
        rows = await tx.fetchall(
            f"""SELECT g.uid, g.nama FROM program_plan p JOIN program g ON g.plan_id = p.id
                WHERE p.status IN ('diterima', 'diganti') {where} ORDER BY p.year, p.version""",
            params,
        )
    return {row["uid"]: row["nama"] for row in rows}
