"""Uploaded XLSForms' submissions as the dashboard reads them (per kecamatan, filtered, a page at a time) and
Dinsos's decision on one, written with the message it owes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from bot.clock import iso
from storage import outbox
from storage.db import Database
from storage.xlsforms import XSubmission

ACCEPTED = "diterima"
NEEDS_FIX = "perlu_perbaikan"


@dataclass(frozen=True)
class Review:
    submission_id: int
    status: str
    note: str | None
    admin_id: int
    admin_name: str
    decided_at: str


@dataclass(frozen=True)
class Listed:
    """A submission in the table, with its decision when there is one."""

    submission: XSubmission
    xform_id: int
    review: Review | None


@dataclass(frozen=True)
class Filter:
    xform_id: int
    kecamatan_code: str | None = None
    since: datetime | None = None  # submitted_at in [since, until)
    until: datetime | None = None


_SELECT = """SELECT s.*, v.xform_id, r.submission_id AS r_submission_id, r.status AS r_status, r.note AS r_note,
                    r.admin_id AS r_admin_id, r.admin_name AS r_admin_name, r.decided_at AS r_decided_at
             FROM xform_submission s JOIN xform_version v ON v.id = s.version_id
             LEFT JOIN xform_review r ON r.submission_id = s.id"""


def _listed(row: object) -> Listed:
    data = dict(row)  # type: ignore[call-overload]
    review = None
    if data["r_submission_id"] is not None:
        review = Review(*(data[f"r_{k}"] for k in ("submission_id", "status", "note", "admin_id", "admin_name",
                                                   "decided_at")))  # fmt: skip
    fields = {k: data[k] for k in ("id", "version_id", "draft_id", "kecamatan_code", "submitted_by_id",
                                   "submitted_by", "submitted_at", "version", "updated_at")}  # fmt: skip
    return Listed(XSubmission(**fields, data=json.loads(data["data"])), data["xform_id"], review)


def _where(f: Filter) -> tuple[str, list[object]]:
    clauses, params = ["v.xform_id = ?"], [f.xform_id]
    if f.kecamatan_code is not None:
        clauses.append("s.kecamatan_code = ?")
        params.append(f.kecamatan_code)
    if f.since is not None:
        clauses.append("s.submitted_at >= ?")
        params.append(iso(f.since))
    if f.until is not None:
        clauses.append("s.submitted_at < ?")
        params.append(iso(f.until))
    return " AND ".join(clauses), params


async def find(db: Database, f: Filter, *, limit: int | None = None, offset: int = 0) -> tuple[list[Listed], int]:
    """The matching submissions, newest first (a page of them with `limit`), and how many match in all."""
    where, params = _where(f)
    page = "" if limit is None else f" LIMIT {int(limit)} OFFSET {int(offset)}"
    async with db.read() as tx:
        rows = await tx.fetchall(f"{_SELECT} WHERE {where} ORDER BY s.id DESC{page}", params)
        total = await tx.fetchval(
            f"SELECT COUNT(*) FROM xform_submission s JOIN xform_version v ON v.id = s.version_id WHERE {where}",
            params,
        )
    return [_listed(r) for r in rows], int(total)


async def get(db: Database, submission_id: int) -> Listed | None:
    async with db.read() as tx:
        row = await tx.fetchone(f"{_SELECT} WHERE s.id = ?", (submission_id,))
    return None if row is None else _listed(row)


async def counts(db: Database) -> dict[int, dict[str, int]]:
    """Submissions per form (xform id) and kecamatan, over every version."""
    async with db.read() as tx:
        rows = await tx.fetchall(
            """SELECT v.xform_id, s.kecamatan_code, COUNT(*) FROM xform_submission s
               JOIN xform_version v ON v.id = s.version_id GROUP BY v.xform_id, s.kecamatan_code"""
        )
    found: dict[int, dict[str, int]] = {}
    for xform_id, code, count in rows:
        found.setdefault(xform_id, {})[code] = count
    return found


async def decide(
    db: Database, submission_id: int, version: int, *, status: str, note: str | None, admin_id: int,
    admin_name: str, now: datetime, owed: list[outbox.Owed],
) -> bool:  # fmt: skip
    """The first decision on this version of a submission and its messages, in one write; False if it was decided
    already or a correction replaced that version meanwhile (a page opened before it must not judge the new one)."""
    if status not in (ACCEPTED, NEEDS_FIX):
        raise ValueError(status)
    async with db.transaction() as tx:
        changed = await tx.execute(
            """INSERT INTO xform_review (submission_id, status, note, admin_id, admin_name, decided_at)
               SELECT id, ?, ?, ?, ?, ? FROM xform_submission WHERE id = ? AND version = ?
               ON CONFLICT (submission_id) DO NOTHING""",
            (status, note, admin_id, admin_name, iso(now), submission_id, version),
        )
        if changed:
            await outbox.enqueue_all(tx, owed, now)
            await tx.execute(
                "DELETE FROM xform_review_prompt WHERE admin_id = ? AND submission_id = ?", (admin_id, submission_id)
            )
    return changed > 0


@dataclass(frozen=True)
class Earlier:
    """A version a correction replaced, with the decision that asked for the correction."""

    version: int
    submitted_by: str
    sent_at: str
    data: dict[str, object]
    review: Review | None


async def earlier_versions(db: Database, submission_id: int) -> list[Earlier]:
    """The versions of a submission that corrections replaced, newest first."""
    async with db.read() as tx:
        rows = await tx.fetchall(
            """SELECT version, submitted_by, sent_at, data, review_status, review_note, review_admin_id,
                      review_admin_name, reviewed_at FROM xform_submission_version
               WHERE submission_id = ? ORDER BY version DESC""",
            (submission_id,),
        )
    found = []
    for version, by, sent_at, data, status, note, admin_id, admin_name, at in rows:
        review = None if status is None else Review(submission_id, status, note, admin_id, admin_name, at)
        found.append(Earlier(version, by, sent_at, json.loads(data), review))
    return found


# --- the chat's review: an admin's copy with Diterima / Perlu perbaikan ---------------------------------------

ADMIN_COPY_KIND = "xform_admin"  # handlers/xlsform_fill.ADMIN_COPY_KIND: one admin's copy of one version


@dataclass(frozen=True)
class Copy:
    """One admin's copy of one version of a submission, as the outbox holds it."""

    outbox_id: int
    chat_id: int
    message_id: int | None  # None while it waits to be sent
    status: str
    payload: dict[str, object]


async def admin_copies(db: Database, submission_id: int, version: int) -> list[Copy]:
    """The admins' copies of this version (recipient 'admin:<id>' for the first, 'admin:<id>:v<n>' after)."""
    async with db.read() as tx:
        rows = await tx.fetchall(
            """SELECT id, chat_id, message_id, status, payload, recipient FROM outbox
               WHERE kind = ? AND ref_id = ? ORDER BY id""",
            (ADMIN_COPY_KIND, submission_id),
        )
    wanted = "" if version == 1 else f":v{version}"
    return [
        Copy(r[0], r[1], r[2], r[3], json.loads(r[4]) if r[4] else {}) for r in rows if r[5] == f"admin:{r[1]}{wanted}"
    ]


async def ask_note(db: Database, admin_id: int, submission_id: int, version: int, now: datetime) -> None:
    """The admin's next private text is the Perlu perbaikan note for this version; a laporan comment or program
    kerja note the admin was asked for is dropped (one question at a time, the newest)."""
    async with db.transaction() as tx:
        await tx.execute("DELETE FROM review_prompt WHERE admin_id = ?", (admin_id,))
        await tx.execute("DELETE FROM plan_review_prompt WHERE admin_id = ?", (admin_id,))
        await tx.execute(
            """INSERT INTO xform_review_prompt (admin_id, submission_id, version, asked_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (admin_id) DO UPDATE SET submission_id = excluded.submission_id,
                   version = excluded.version, asked_at = excluded.asked_at""",
            (admin_id, submission_id, version, iso(now)),
        )


async def pending_note(db: Database, admin_id: int) -> tuple[int, int] | None:
    """(submission, version) this admin is writing a Perlu perbaikan note for, if any."""
    async with db.read() as tx:
        row = await tx.fetchone(
            "SELECT submission_id, version FROM xform_review_prompt WHERE admin_id = ?", (admin_id,)
        )
    return None if row is None else (row[0], row[1])


async def drop_note(db: Database, admin_id: int) -> bool:
    async with db.transaction() as tx:
        return await tx.execute("DELETE FROM xform_review_prompt WHERE admin_id = ?", (admin_id,)) > 0
