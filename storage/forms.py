"""Form drafts (saved after every answer) and submitted reports with their versions."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.clock import iso
from storage import outbox
from storage.db import Database, Tx

# The outbox kind of a report's copy for a Dinsos admin; a review decision finds the copies by it.
ADMIN_COPY_KIND = "report_admin"


@dataclass(frozen=True)
class Draft:
    id: int
    form: str
    user_id: int
    user_name: str
    kecamatan_code: str
    week: str | None
    answers: dict[str, Any]
    position: int
    editing: bool
    report_id: int | None
    status: str
    started_at: str
    updated_at: str
    expires_at: str


def _draft(row: Any) -> Draft:
    data = dict(row)
    data["answers"] = json.loads(data["answers"])
    data["editing"] = bool(data["editing"])
    return Draft(**data)


async def _get_draft(tx: Tx, draft_id: int) -> Draft | None:
    row = await tx.fetchone("SELECT * FROM form_draft WHERE id = ?", (draft_id,))
    return None if row is None else _draft(row)


async def get_draft(db: Database, draft_id: int) -> Draft | None:
    async with db.read() as tx:
        return await _get_draft(tx, draft_id)


async def active_draft(db: Database, user_id: int, *, now: datetime) -> tuple[Draft | None, Draft | None]:
    """(the person's live draft, or None; a draft that just expired, or None)."""
    async with db.read() as tx:
        row = await tx.fetchone("SELECT * FROM form_draft WHERE user_id = ? AND status = 'active'", (user_id,))
    if row is None:
        return None, None
    draft = _draft(row)
    if draft.expires_at > iso(now):
        return draft, None
    async with db.transaction() as tx:
        expired = await tx.execute(
            "UPDATE form_draft SET status = 'expired' WHERE id = ? AND status = 'active'", (draft.id,)
        )
    # Someone else's call may have expired it a moment ago: only one of them reports it.
    return None, (draft if expired else None)


async def start(
    db: Database,
    *,
    form: str,
    user_id: int,
    user_name: str,
    kecamatan_code: str,
    week: str | None,
    now: datetime,
    ttl: timedelta,
    answers: dict[str, Any] | None = None,
    position: int = 0,
    report_id: int | None = None,
) -> Draft:
    """A fresh draft for this person; any draft they had open is cancelled (one at a time)."""
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE form_draft SET status = 'cancelled' WHERE user_id = ? AND status = 'active'", (user_id,)
        )
        draft_id = await tx.insert(
            """INSERT INTO form_draft (form, user_id, user_name, kecamatan_code, week, answers, position, report_id,
                   status, started_at, updated_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)""",
            (
                form, user_id, user_name, kecamatan_code, week, json.dumps(answers or {}), position, report_id,
                iso(now), iso(now), iso(now + ttl),
            ),
        )  # fmt: skip
        draft = await _get_draft(tx, draft_id)
    assert draft is not None
    return draft


async def save(
    db: Database,
    draft_id: int,
    *,
    position: int,
    editing: bool,
    now: datetime,
    ttl: timedelta,
    answer: tuple[str, Any] | None = None,
) -> Draft | None:
    """Store one answer (if given) and where the form goes next; None if the draft is no longer active."""
    # One statement that sets the answer inside the stored JSON and returns the row: one trip to aiosqlite's
    # thread per answer instead of five (BEGIN, SELECT, UPDATE, SELECT, COMMIT), committed as durably.
    path, value = (f'$."{answer[0]}"', json.dumps(answer[1])) if answer is not None else (None, None)
    rows = await db.write_returning(
        """UPDATE form_draft SET answers = CASE WHEN ?1 IS NULL THEN answers ELSE json_set(answers, ?1, json(?2)) END,
               position = ?3, editing = ?4, updated_at = ?5, expires_at = ?6
           WHERE id = ?7 AND status = 'active' RETURNING *""",
        (path, value, position, int(editing), iso(now), iso(now + ttl), draft_id),
    )
    return _draft(rows[0]) if rows else None


async def cancel(db: Database, draft_id: int) -> bool:
    async with db.transaction() as tx:
        changed = await tx.execute(
            "UPDATE form_draft SET status = 'cancelled' WHERE id = ? AND status = 'active'", (draft_id,)
        )
    return changed > 0


@dataclass(frozen=True)
class Report:
    id: int
    form: str
    kecamatan_code: str
    week: str | None
    version: int
    submitted_by_id: int
    submitted_by: str
    created_at: str
    updated_at: str
    answers: dict[str, Any]
    review_status: str | None = None
    review_comment: str | None = None
    reviewed_by_id: int | None = None
    reviewed_by: str | None = None
    reviewed_at: str | None = None
    # The number people see: each form counts its own reports (Evaluasi mingguan #1 is the first evaluation).
    number: int = 0


@dataclass(frozen=True)
class Version:
    version: int
    answers: dict[str, Any]
    submitted_by_id: int
    submitted_by: str
    submitted_at: str
    review_status: str | None = None
    review_comment: str | None = None
    reviewed_by: str | None = None
    reviewed_at: str | None = None


# A report with its current version's answers and review.
_REPORT = """SELECT r.*, v.answers, v.review_status, v.review_comment, v.reviewed_by_id, v.reviewed_by, v.reviewed_at
             FROM report r JOIN report_version v ON v.report_id = r.id AND v.version = r.version"""


def _report(row: Any) -> Report:
    data = dict(row)
    data["answers"] = json.loads(data["answers"])
    return Report(**data)


async def _get_report(tx: Tx, report_id: int) -> Report | None:
    row = await tx.fetchone(f"{_REPORT} WHERE r.id = ?", (report_id,))
    return None if row is None else _report(row)


@dataclass(frozen=True)
class Submission:
    report: Report
    # False when this draft had already been submitted (a double tap, a second device): nothing new stored.
    created: bool
    # True when the submission is a new version of an earlier report (a correction or a weekly update).
    updated_existing: bool


async def submit(
    db: Database, draft_id: int, *, now: datetime, owed: Callable[[Report], list[outbox.Owed]] | None = None
) -> Submission | None:
    """Turn an active draft into a report (or a new version of one); None if it was cancelled or expired.

    `owed` names the messages this submission owes (to the group, to the admins); they are written to the
    outbox in the same transaction, so a crash cannot keep the report and lose its notices.
    """
    async with db.transaction() as tx:
        draft = await _get_draft(tx, draft_id)
        if draft is None:
            return None
        if draft.status == "submitted":
            report_id = await tx.fetchval("SELECT report_id FROM report_version WHERE draft_id = ?", (draft_id,))
            report = await _get_report(tx, report_id)
            assert report is not None
            return Submission(report, created=False, updated_existing=report.version > 1)
        if draft.status != "active":
            return None
        report_id = draft.report_id
        if report_id is None and draft.week is not None:
            # Two people may fill the same week's evaluation at once: the later one becomes an update.
            report_id = await tx.fetchval(
                "SELECT id FROM report WHERE form = ? AND kecamatan_code = ? AND week = ?",
                (draft.form, draft.kecamatan_code, draft.week),
            )
        if report_id is None:
            report_id = await tx.insert(
                """INSERT INTO report (form, number, kecamatan_code, week, version, submitted_by_id, submitted_by,
                       created_at, updated_at)
                   VALUES (?, (SELECT COALESCE(MAX(number), 0) + 1 FROM report WHERE form = ?), ?, ?, 0, ?, ?, ?, ?)""",
                (
                    draft.form, draft.form, draft.kecamatan_code, draft.week, draft.user_id, draft.user_name,
                    iso(now), iso(now),
                ),
            )  # fmt: skip
        version = int(await tx.fetchval("SELECT version FROM report WHERE id = ?", (report_id,))) + 1
        await tx.insert(
            """INSERT INTO report_version (report_id, version, answers, submitted_by_id, submitted_by, submitted_at,
                   draft_id) VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (report_id, version, json.dumps(draft.answers), draft.user_id, draft.user_name, iso(now), draft_id),
        )
        await tx.execute("UPDATE report SET version = ?, updated_at = ? WHERE id = ?", (version, iso(now), report_id))
        await tx.execute(
            "UPDATE form_draft SET status = 'submitted', updated_at = ? WHERE id = ?", (iso(now), draft_id)
        )
        report = await _get_report(tx, report_id)
        assert report is not None
        if owed is not None:
            await outbox.enqueue_all(tx, owed(report), now)
    return Submission(report, created=True, updated_existing=version > 1)


async def get_report(db: Database, report_id: int) -> Report | None:
    async with db.read() as tx:
        return await _get_report(tx, report_id)


async def weekly_report(db: Database, form: str, kecamatan_code: str, week: str) -> Report | None:
    async with db.read() as tx:
        row = await tx.fetchone(
            f"{_REPORT} WHERE r.form = ? AND r.kecamatan_code = ? AND r.week = ?", (form, kecamatan_code, week)
        )
    return None if row is None else _report(row)


async def versions(db: Database, report_id: int) -> list[Version]:
    async with db.read() as tx:
        rows = await tx.fetchall(
            """SELECT version, answers, submitted_by_id, submitted_by, submitted_at, review_status, review_comment,
                      reviewed_by, reviewed_at FROM report_version WHERE report_id = ? ORDER BY version""",
            (report_id,),
        )
    return [Version(r[0], json.loads(r[1]), *tuple(r)[2:]) for r in rows]


async def recent(db: Database, *, kecamatan_codes: list[str], user_id: int, limit: int = 10) -> list[Report]:
    """The newest reports of these kecamatan or by this person."""
    marks = ",".join("?" * len(kecamatan_codes)) or "NULL"
    async with db.read() as tx:
        rows = await tx.fetchall(
            f"""{_REPORT} WHERE r.kecamatan_code IN ({marks}) OR r.submitted_by_id = ?
                ORDER BY r.updated_at DESC, r.id DESC LIMIT ?""",
            (*kecamatan_codes, user_id, limit),
        )
    return [_report(r) for r in rows]


async def all_reports(db: Database, form: str) -> list[Report]:
    async with db.read() as tx:
        rows = await tx.fetchall(f"{_REPORT} WHERE r.form = ? ORDER BY r.id", (form,))
    return [_report(r) for r in rows]


async def waiting_for_review(db: Database) -> list[Report]:
    """Reports whose current version nobody has decided yet, the longest waiting first."""
    async with db.read() as tx:
        rows = await tx.fetchall(
            f"""{_REPORT} WHERE v.review_status IS NULL ORDER BY v.submitted_at, r.id""",
        )
    return [_report(r) for r in rows]


async def submitted_between(db: Database, since: datetime, until: datetime) -> int:
    """How many versions (new reports, corrections, updates) were submitted in [since, until)."""
    async with db.read() as tx:
        return int(
            await tx.fetchval(
                "SELECT COUNT(*) FROM report_version WHERE submitted_at >= ? AND submitted_at < ?",
                (iso(since), iso(until)),
            )
        )
