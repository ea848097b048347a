"""Reports of the built-in forms with their versions (filled as XLSForm drafts, storage/xlsforms.py), and the
form drafts the previous release left open."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.clock import iso
from storage import outbox
from storage.db import Database, Tx

# The outbox kind of a report's copy for a Dinsos admin; a review decision finds the copies by it.
ADMIN_COPY_KIND = "report_admin"


@dataclass(frozen=True)
class OldDraft:
    """A form draft left open by the release before the XLSForm engine (form_draft), to be carried over."""

    id: int
    form: str
    user_id: int
    user_name: str
    kecamatan_code: str
    week: str | None
    answers: dict[str, Any]
    report_id: int | None
    updated_at: str
    expires_at: str


async def open_old_drafts(db: Database) -> list[OldDraft]:
    """The previous release's drafts still open (none once they have all been carried over)."""
    async with db.read() as tx:
        rows = await tx.fetchall(
            """SELECT id, form, user_id, user_name, kecamatan_code, week, answers, report_id, updated_at, expires_at
               FROM form_draft WHERE status = 'active' ORDER BY id"""
        )
    return [OldDraft(*tuple(r)[:6], json.loads(r[6]), *tuple(r)[7:]) for r in rows]


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
    db: Database, xform_draft_id: int, *, answers: dict[str, Any], now: datetime,
    owed: Callable[[Report], list[outbox.Owed]] | None = None,
) -> Submission | None:  # fmt: skip
    """Turn an active draft of a built-in form into a report (or a new version of one); None if it was cancelled
    or expired. `answers` are the draft's, in the report's shape (bot/xlsform/legacy.from_xlsform).

    `owed` names the messages this submission owes (to the group, to the admins); they are written to the
    outbox in the same transaction, keyed by the new version's id, so a crash cannot keep the report and lose
    its notices.
    """
    async with db.transaction() as tx:
        draft = await tx.fetchone(
            """SELECT d.*, x.form_id FROM xform_draft d JOIN xform_version v ON v.id = d.version_id
               JOIN xform x ON x.id = v.xform_id WHERE d.id = ? AND x.builtin = 1""",
            (xform_draft_id,),
        )
        if draft is None:
            return None
        if draft["status"] == "submitted":
            report_id = await tx.fetchval(
                "SELECT report_id FROM report_version WHERE xform_draft_id = ?", (xform_draft_id,)
            )
            report = await _get_report(tx, report_id)
            assert report is not None
            return Submission(report, created=False, updated_existing=report.version > 1)
        if draft["status"] != "active" or draft["kecamatan_code"] is None:
            return None
        form, kecamatan_code, week = draft["form_id"], draft["kecamatan_code"], draft["week"]
        report_id = draft["report_id"]
        if report_id is None and week is not None:
            # Two people may fill the same week's evaluation at once: the later one becomes an update.
            report_id = await tx.fetchval(
                "SELECT id FROM report WHERE form = ? AND kecamatan_code = ? AND week = ?", (form, kecamatan_code, week)
            )
        if report_id is None:
            report_id = await tx.insert(
                """INSERT INTO report (form, number, kecamatan_code, week, version, submitted_by_id, submitted_by,
                       created_at, updated_at)
                   VALUES (?, (SELECT COALESCE(MAX(number), 0) + 1 FROM report WHERE form = ?), ?, ?, 0, ?, ?, ?, ?)""",
                (form, form, kecamatan_code, week, draft["user_id"], draft["user_name"], iso(now), iso(now)),
            )
        version = int(await tx.fetchval("SELECT version FROM report WHERE id = ?", (report_id,))) + 1
        version_id = await tx.insert(
            """INSERT INTO report_version (report_id, version, answers, submitted_by_id, submitted_by, submitted_at,
                   xform_draft_id, xform_version_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            (report_id, version, json.dumps(answers), draft["user_id"], draft["user_name"], iso(now), xform_draft_id,
             draft["version_id"]),
        )  # fmt: skip
        await tx.execute("UPDATE report SET version = ?, updated_at = ? WHERE id = ?", (version, iso(now), report_id))
        await tx.execute(
            "UPDATE xform_draft SET status = 'submitted', updated_at = ? WHERE id = ?", (iso(now), xform_draft_id)
        )
        report = await _get_report(tx, report_id)
        assert report is not None
        if owed is not None:
            keyed = [outbox.Owed(o.kind, version_id, o.kecamatan_code, o.chat_id, o.payload, o.recipient)
                     for o in owed(report)]  # fmt: skip
            await outbox.enqueue_all(tx, keyed, now)
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
