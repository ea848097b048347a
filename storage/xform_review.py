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
