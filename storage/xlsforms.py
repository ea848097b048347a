"""XLSForm forms: their uploaded versions, publications, drafts (saved after every answer) and submissions."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.clock import iso
from storage import outbox
from storage.db import Database, Tx


@dataclass(frozen=True)
class XForm:
    id: int
    form_id: str
    title: str
    state: str
    current_version_id: int | None
    created_by_id: int
    created_at: str
    builtin: bool = False  # /laporan or /evaluasi: reports of its own, never published (migration 0010)


@dataclass(frozen=True)
class XFormVersion:
    id: int
    xform_id: int
    version: str
    title: str
    workbook: bytes
    uploaded_by_id: int
    uploaded_at: str
    form_json: str | None = None


@dataclass(frozen=True)
class Upload:
    form: XForm
    version: XFormVersion
    # False when this exact version was already stored (the same file sent twice): nothing new.
    created: bool


async def store_version(
    db: Database,
    *,
    form_id: str,
    title: str,
    version: str,
    workbook: bytes,
    by: int,
    now: datetime,
    form_json: str | None = None,
    attachments: dict[str, bytes] | None = None,
) -> Upload:
    """Store an uploaded workbook as a new version of its form (a new form the first time), with the files it
    came with."""
    async with db.transaction() as tx:
        row = await tx.fetchone("SELECT id FROM xform WHERE form_id = ?", (form_id,))
        if row is None:
            xform_id = await tx.insert(
                "INSERT INTO xform (form_id, title, state, created_by_id, created_at) VALUES (?, ?, 'draft', ?, ?)",
                (form_id, title, by, iso(now)),
            )
        else:
            xform_id = row[0]
        existing = await tx.fetchone(
            "SELECT id FROM xform_version WHERE xform_id = ? AND version = ?", (xform_id, version)
        )
        created = existing is None
        if created:
            version_id = await tx.insert(
                """INSERT INTO xform_version
                       (xform_id, version, title, workbook, uploaded_by_id, uploaded_at, form_json)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                (xform_id, version, title, workbook, by, iso(now), form_json),
            )
            await _attach(tx, version_id, attachments or {}, now)
        else:
            version_id = existing[0]
        return Upload(await _form(tx, xform_id), await _version(tx, version_id), created)


def _xform(row: Any) -> XForm:
    data = dict(row)
    data["builtin"] = bool(data["builtin"])
    return XForm(**data)


async def _form(tx: Tx, xform_id: int) -> XForm:
    row = await tx.fetchone("SELECT * FROM xform WHERE id = ?", (xform_id,))
    assert row is not None
    return _xform(row)


async def _version(tx: Tx, version_id: int) -> XFormVersion:
    row = await tx.fetchone("SELECT * FROM xform_version WHERE id = ?", (version_id,))
    assert row is not None
    return XFormVersion(**dict(row))


async def attach(db: Database, version_id: int, files: dict[str, bytes], *, now: datetime,
                 form_json: str | None = None) -> None:  # fmt: skip
    """Store files with a version (a file of the same name is replaced), and its form as read with them."""
    async with db.transaction() as tx:
        await _attach(tx, version_id, files, now)
        if form_json is not None:
            await tx.execute("UPDATE xform_version SET form_json = ? WHERE id = ?", (form_json, version_id))


async def _attach(tx: Tx, version_id: int, files: dict[str, bytes], now: datetime) -> None:
    for name, data in files.items():
        await tx.execute(
            """INSERT INTO xform_attachment (version_id, name, data, uploaded_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (version_id, name) DO UPDATE SET data = excluded.data, uploaded_at = excluded.uploaded_at,
                   file_id = NULL""",
            (version_id, name, data, iso(now)),
        )


async def attachments(db: Database, version_id: int) -> dict[str, bytes]:
    """A version's attached files by name."""
    async with db.read() as tx:
        rows = await tx.fetchall(
            "SELECT name, data FROM xform_attachment WHERE version_id = ? ORDER BY name", (version_id,)
        )
    return {row[0]: bytes(row[1]) for row in rows}


@dataclass(frozen=True)
class Media:
    """An attached file a question shows, with Telegram's id for it once the bot has sent it."""

    name: str
    data: bytes
    file_id: str | None


async def media(db: Database, version_id: int, name: str) -> Media | None:
    """The version's attached file of that name, its case ignored (as the form's reader finds it)."""
    async with db.read() as tx:
        row = await tx.fetchone(
            """SELECT name, data, file_id FROM xform_attachment WHERE version_id = ? AND lower(name) = lower(?)
               ORDER BY name LIMIT 1""",
            (version_id, name),
        )
    return None if row is None else Media(row[0], bytes(row[1]), row[2])


async def remember_file_id(db: Database, version_id: int, name: str, file_id: str) -> None:
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE xform_attachment SET file_id = ? WHERE version_id = ? AND name = ?", (file_id, version_id, name)
        )


async def latest_unpublished_upload(db: Database, by: int, since: datetime) -> XFormVersion | None:
    """The admin's most recent version uploaded at or after `since` that is not the form's published one."""
    async with db.read() as tx:
        row = await tx.fetchone(
            """SELECT v.* FROM xform_version v JOIN xform f ON f.id = v.xform_id
               WHERE v.uploaded_by_id = ? AND v.uploaded_at >= ? AND f.builtin = 0
                 AND NOT (f.state != 'draft' AND f.current_version_id IS v.id)
               ORDER BY v.uploaded_at DESC, v.id DESC LIMIT 1""",
            (by, iso(since)),
        )
    return None if row is None else XFormVersion(**dict(row))


async def remember_form_json(db: Database, version_id: int, form_json: str) -> None:
    """Keep a version's form as read, so the next start loads it without reading the workbook again."""
    await db.write_one("UPDATE xform_version SET form_json = ? WHERE id = ?", (form_json, version_id))


async def get_form(db: Database, xform_id: int) -> XForm | None:
    async with db.read() as tx:
        row = await tx.fetchone("SELECT * FROM xform WHERE id = ?", (xform_id,))
    return None if row is None else _xform(row)


async def get_version(db: Database, version_id: int) -> XFormVersion | None:
    async with db.read() as tx:
        row = await tx.fetchone("SELECT * FROM xform_version WHERE id = ?", (version_id,))
    return None if row is None else XFormVersion(**dict(row))


async def all_forms(db: Database) -> list[XForm]:
    """The uploaded forms (the built-in ones have their own commands, reminders and exports)."""
    async with db.read() as tx:
        rows = await tx.fetchall("SELECT * FROM xform WHERE builtin = 0 ORDER BY id")
    return [_xform(r) for r in rows]


# The forms the bot ships (/laporan and /evaluasi), once they are registered as xform rows: their submissions
# live in the report tables and have reminders, a digest, /rekap lines and export sheets of their own, so they
# take no part in what uploaded forms get. The one place that tells them apart (by form_id, which the settings
# sheet fixes and the built-in workbooks keep).
BUILTIN_FORM_IDS = frozenset({"laporan", "evaluasi"})


async def uploaded_forms(db: Database) -> list[XForm]:
    """Every form Dinsos uploaded (not the built-in ones), oldest first."""
    return [f for f in await all_forms(db) if f.form_id not in BUILTIN_FORM_IDS]


async def versions(db: Database, xform_id: int) -> list[XFormVersion]:
    async with db.read() as tx:
        rows = await tx.fetchall("SELECT * FROM xform_version WHERE xform_id = ? ORDER BY id", (xform_id,))
    return [XFormVersion(**dict(r)) for r in rows]


# --- the built-in forms ------------------------------------------------------------------------------------


async def register_builtin(
    db: Database,
    *,
    form_id: str,
    title: str,
    version: str,
    workbook: bytes,
    now: datetime,
    form_json: str | None = None,
    by: int = 0,
) -> XFormVersion:
    """A workbook of /laporan or /evaluasi as the current version of its built-in form: nothing new when that
    version is stored already, else a new version (drafts started on the older one finish on it). `by`: the admin
    who sent it, 0 for the workbook bundled with the bot."""
    async with db.transaction() as tx:
        # An upload of that form_id from before uploads of it were refused keeps its submissions, under another
        # form_id, closed: /laporan and /evaluasi are the built-in forms.
        await tx.execute(
            """UPDATE xform SET form_id = form_id || '_unggahan_' || id, state = 'closed'
               WHERE form_id = ? AND builtin = 0""",
            (form_id,),
        )
        xform_id = await tx.fetchval("SELECT id FROM xform WHERE form_id = ?", (form_id,))
        if xform_id is None:
            xform_id = await tx.insert(
                """INSERT INTO xform (form_id, title, state, created_by_id, created_at, builtin)
                   VALUES (?, ?, 'draft', 0, ?, 1)""",
                (form_id, title, iso(now)),
            )
        version_id = await tx.fetchval(
            "SELECT id FROM xform_version WHERE xform_id = ? AND version = ?", (xform_id, version)
        )
        if version_id is None:
            version_id = await tx.insert(
                """INSERT INTO xform_version (xform_id, version, title, workbook, uploaded_by_id, uploaded_at,
                       form_json) VALUES (?, ?, ?, ?, ?, ?, ?)""",
                (xform_id, version, title, workbook, by, iso(now), form_json),
            )
        await tx.execute(
            "UPDATE xform SET title = ?, current_version_id = ? WHERE id = ?", (title, version_id, xform_id)
        )
        return await _version(tx, version_id)


async def builtin_forms(db: Database) -> list[XForm]:
    async with db.read() as tx:
        rows = await tx.fetchall("SELECT * FROM xform WHERE builtin = 1 ORDER BY id")
    return [_xform(r) for r in rows]


async def builtin_version(db: Database, form_id: str) -> XFormVersion | None:
    """The version of a built-in form that new drafts start on."""
    async with db.read() as tx:
        row = await tx.fetchone(
            """SELECT v.* FROM xform x JOIN xform_version v ON v.id = x.current_version_id
               WHERE x.form_id = ? AND x.builtin = 1""",
            (form_id,),
        )
    return None if row is None else XFormVersion(**dict(row))


async def builtin_version_ids(db: Database) -> dict[str, int]:
    """The current version id of each built-in form, by form_id: without the workbooks' bytes."""
    async with db.read() as tx:
        rows = await tx.fetchall(
            "SELECT form_id, current_version_id FROM xform WHERE builtin = 1 AND current_version_id IS NOT NULL"
        )
    return {row["form_id"]: row["current_version_id"] for row in rows}


async def builtin_form_id(db: Database, version_id: int) -> str | None:
    """'laporan' or 'evaluasi' for a version of a built-in form; None for an uploaded form's version."""
    async with db.read() as tx:
        return await tx.fetchval(
            "SELECT x.form_id FROM xform_version v JOIN xform x ON x.id = v.xform_id WHERE v.id = ? AND x.builtin = 1",
            (version_id,),
        )


@dataclass(frozen=True)
class Publication:
    id: int
    xform_id: int
    schedule: str
    deadline: str | None
    all_kecamatan: bool
    published_by_id: int
    published_at: str


async def publish(
    db: Database, *, version_id: int, schedule: str, deadline: str | None, kecamatan_codes: list[str] | None,
    by: int, now: datetime, owed: list[outbox.Owed],
) -> Publication:  # fmt: skip
    """The version becomes the form's current one and is published; its group notices are owed in the same write."""
    async with db.transaction() as tx:
        xform_id = await tx.fetchval("SELECT xform_id FROM xform_version WHERE id = ?", (version_id,))
        title = await tx.fetchval("SELECT title FROM xform_version WHERE id = ?", (version_id,))
        await tx.execute(
            "UPDATE xform SET state = 'published', current_version_id = ?, title = ? WHERE id = ?",
            (version_id, title, xform_id),
        )
        publication_id = await tx.insert(
            """INSERT INTO xform_publication (xform_id, schedule, deadline, all_kecamatan, published_by_id,
                   published_at) VALUES (?, ?, ?, ?, ?, ?)""",
            (xform_id, schedule, deadline, int(kecamatan_codes is None), by, iso(now)),
        )
        for code in kecamatan_codes or ():
            await tx.execute("INSERT INTO xform_target (publication_id, kecamatan_code) VALUES (?, ?)",
                             (publication_id, code))  # fmt: skip
        owed = [outbox.Owed(o.kind, publication_id, o.kecamatan_code, o.chat_id, o.payload) for o in owed]
        await outbox.enqueue_all(tx, owed, now)
        row = await tx.fetchone("SELECT * FROM xform_publication WHERE id = ?", (publication_id,))
    assert row is not None
    data = dict(row)
    data["all_kecamatan"] = bool(data["all_kecamatan"])
    return Publication(**data)


async def latest_publication(db: Database, xform_id: int) -> Publication | None:
    async with db.read() as tx:
        row = await tx.fetchone(
            "SELECT * FROM xform_publication WHERE xform_id = ? ORDER BY id DESC LIMIT 1", (xform_id,)
        )
    if row is None:
        return None
    data = dict(row)
    data["all_kecamatan"] = bool(data["all_kecamatan"])
    return Publication(**data)


async def is_target(db: Database, publication: Publication, kecamatan_code: str) -> bool:
    if publication.all_kecamatan:
        return True
    async with db.read() as tx:
        found = await tx.fetchval(
            "SELECT 1 FROM xform_target WHERE publication_id = ? AND kecamatan_code = ?",
            (publication.id, kecamatan_code),
        )
    return found is not None


async def close(db: Database, xform_id: int) -> bool:
    async with db.transaction() as tx:
        changed = await tx.execute(  # a built-in form is never closed: /laporan and /evaluasi always work
            "UPDATE xform SET state = 'closed' WHERE id = ? AND state != 'closed' AND builtin = 0", (xform_id,)
        )
    return changed > 0


# --- drafts ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class XDraft:
    id: int
    version_id: int
    user_id: int
    user_name: str
    kecamatan_code: str | None
    test: bool
    state: str  # session.State as JSON
    confirming_cancel: bool
    status: str
    started_at: str
    updated_at: str
    week: str | None = None  # the reporting week of an evaluation (Monday, ISO)
    report_id: int | None = None  # the report this draft corrects or updates
    update_id: int | None = None  # the Telegram update that made `state` (see migration 0013)
    submission_id: int | None = None  # the uploaded form's submission this draft corrects (migration 0022)

    def took(self, update_id: int | None) -> bool:
        """This update, or a later one, already made the stored state: handling it again must change nothing."""
        return update_id is not None and self.update_id is not None and update_id <= self.update_id


def _draft(row: Any) -> XDraft:
    data = dict(row)
    data["test"] = bool(data["test"])
    data["confirming_cancel"] = bool(data["confirming_cancel"])
    return XDraft(**data)


async def start_draft(
    db: Database, *, version_id: int, user_id: int, user_name: str, kecamatan_code: str | None, test: bool,
    state: str, now: datetime, week: str | None = None, report_id: int | None = None, update_id: int | None = None,
    submission_id: int | None = None,
) -> XDraft:  # fmt: skip
    """A fresh draft for this person; an XLSForm draft they had open is cancelled (one at a time)."""
    async with db.transaction() as tx:
        return await _start_draft(tx, version_id, user_id, user_name, kecamatan_code, test, state, now, week,
                                  report_id, started_at=iso(now), update_id=update_id,
                                  submission_id=submission_id)  # fmt: skip


async def _start_draft(tx: Tx, version_id: int, user_id: int, user_name: str, kecamatan_code: str | None,
                       test: bool, state: str, now: datetime, week: str | None, report_id: int | None, *,
                       started_at: str, update_id: int | None = None,
                       submission_id: int | None = None) -> XDraft:  # fmt: skip
    await tx.execute("UPDATE xform_draft SET status = 'cancelled' WHERE user_id = ? AND status = 'active'", (user_id,))
    draft_id = await tx.insert(
        """INSERT INTO xform_draft (version_id, user_id, user_name, kecamatan_code, test, state, status,
               started_at, updated_at, week, report_id, update_id, submission_id)
           VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?)""",
        (version_id, user_id, user_name, kecamatan_code, int(test), state, started_at, iso(now), week, report_id,
         update_id, submission_id),
    )  # fmt: skip
    row = await tx.fetchone("SELECT * FROM xform_draft WHERE id = ?", (draft_id,))
    return _draft(row)


async def carry_over(
    db: Database, old_draft_id: int, *, version_id: int, state: str, week: str | None, report_id: int | None,
    updated_at: datetime,
) -> XDraft | None:  # fmt: skip
    """A form draft of the previous release becomes an XLSForm draft with the same answers, in one write: the old
    one is closed as it is replaced. None if it had been closed meanwhile (another call carried it over)."""
    async with db.transaction() as tx:
        old = await tx.fetchone(
            "SELECT user_id, user_name, kecamatan_code, started_at FROM form_draft WHERE id = ? AND status = 'active'",
            (old_draft_id,),
        )
        if old is None:
            return None
        await tx.execute("UPDATE form_draft SET status = 'cancelled' WHERE id = ?", (old_draft_id,))
        return await _start_draft(tx, version_id, old[0], old[1], old[2], False, state, updated_at, week, report_id,
                                  started_at=old[3])  # fmt: skip


async def active_draft(db: Database, user_id: int) -> XDraft | None:
    async with db.read() as tx:
        row = await tx.fetchone("SELECT * FROM xform_draft WHERE user_id = ? AND status = 'active'", (user_id,))
    return None if row is None else _draft(row)


async def live_draft_count(db: Database, *, touched_since: datetime) -> int:
    """XLSForm drafts being filled in: active and touched since then (older ones expire when next touched)."""
    async with db.read() as tx:
        count = await tx.fetchval(
            "SELECT COUNT(*) FROM xform_draft WHERE status = 'active' AND updated_at > ?", (iso(touched_since),)
        )
    return int(count)


async def get_draft(db: Database, draft_id: int) -> XDraft | None:
    async with db.read() as tx:
        row = await tx.fetchone("SELECT * FROM xform_draft WHERE id = ?", (draft_id,))
    return None if row is None else _draft(row)


async def save_draft(
    db: Database, draft_id: int, *, state: str, now: datetime, confirming_cancel: bool = False,
    update_id: int | None = None,
) -> XDraft | None:  # fmt: skip
    """Store the conversation state (made by `update_id`, the update being handled); None if the draft is no
    longer active."""
    # One statement that returns the stored row: one trip per answer instead of four (BEGIN, UPDATE, SELECT, COMMIT).
    rows = await db.write_returning(
        """UPDATE xform_draft SET state = ?, confirming_cancel = ?, updated_at = ?, update_id = COALESCE(?, update_id)
           WHERE id = ? AND status = 'active' RETURNING *""",
        (state, int(confirming_cancel), iso(now), update_id, draft_id),
    )
    return _draft(rows[0]) if rows else None


async def expire_draft(db: Database, draft_id: int) -> bool:
    """Mark a draft left too long as expired; False if it had already moved on (only one caller reports it)."""
    async with db.transaction() as tx:
        changed = await tx.execute(
            "UPDATE xform_draft SET status = 'expired' WHERE id = ? AND status = 'active'", (draft_id,)
        )
    return changed > 0


async def cancel_draft(db: Database, draft_id: int) -> bool:
    async with db.transaction() as tx:
        changed = await tx.execute(
            "UPDATE xform_draft SET status = 'cancelled' WHERE id = ? AND status = 'active'", (draft_id,)
        )
    return changed > 0


@dataclass(frozen=True)
class XSubmission:
    id: int
    version_id: int
    draft_id: int
    kecamatan_code: str
    submitted_by_id: int
    submitted_by: str
    data: dict[str, Any]
    submitted_at: str  # when it was first sent
    version: int = 1  # 2, 3 ... after corrections Dinsos asked for (migration 0022)
    updated_at: str | None = None  # when the current version was sent, if it is a correction


def _submission(row: Any) -> XSubmission:
    data = dict(row)
    data["data"] = json.loads(data["data"])
    return XSubmission(**data)


async def submit(
    db: Database, draft_id: int, *, data: dict[str, Any], now: datetime,
    owed: Callable[[XSubmission], list[outbox.Owed]],
) -> tuple[XSubmission | None, bool]:  # fmt: skip
    """(the submission, whether it is new). A test draft is closed without a submission: (None, True).

    A second Kirim of the same draft finds its submission; a cancelled draft gives (None, False). A draft that
    corrects a submission (its `submission_id`) makes that submission's next version, only while Dinsos's
    decision on its current version is Perlu perbaikan: else (None, False), and the draft is cancelled.
    """
    async with db.transaction() as tx:
        row = await tx.fetchone("SELECT * FROM xform_draft WHERE id = ?", (draft_id,))
        if row is None:
            return None, False
        draft = _draft(row)
        if draft.status == "submitted":
            found = await tx.fetchone("SELECT * FROM xform_submission WHERE draft_id = ?", (draft_id,))
            return (_submission(found) if found else None), False
        if draft.status != "active":
            return None, False
        if draft.submission_id is not None:
            return await _correct(tx, draft, data, now, owed)
        await tx.execute("UPDATE xform_draft SET status = 'submitted', updated_at = ? WHERE id = ?",
                         (iso(now), draft_id))  # fmt: skip
        if draft.test or draft.kecamatan_code is None:
            return None, True
        submission_id = await tx.insert(
            """INSERT INTO xform_submission (version_id, draft_id, kecamatan_code, submitted_by_id, submitted_by,
                   data, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (draft.version_id, draft_id, draft.kecamatan_code, draft.user_id, draft.user_name,
             json.dumps(data, ensure_ascii=False), iso(now)),
        )  # fmt: skip
        submission = _submission(await tx.fetchone("SELECT * FROM xform_submission WHERE id = ?", (submission_id,)))
        await outbox.enqueue_all(tx, owed(submission), now)
    return submission, True


async def _correct(tx: Tx, draft: XDraft, data: dict[str, Any], now: datetime,
                   owed: Callable[[XSubmission], list[outbox.Owed]]) -> tuple[XSubmission | None, bool]:  # fmt: skip
    """The corrected answers become the submission's next version; the one they replace is kept with its decision."""
    asked = await tx.fetchval(
        "SELECT 1 FROM xform_review WHERE submission_id = ? AND status = 'perlu_perbaikan'", (draft.submission_id,)
    )
    if asked is None:  # accepted meanwhile, or corrected already by someone else of the group
        await tx.execute("UPDATE xform_draft SET status = 'cancelled' WHERE id = ?", (draft.id,))
        return None, False
    await tx.execute(
        """INSERT INTO xform_submission_version (submission_id, version, draft_id, submitted_by_id, submitted_by,
               data, sent_at, review_status, review_note, review_admin_id, review_admin_name, reviewed_at)
           SELECT s.id, s.version, s.draft_id, s.submitted_by_id, s.submitted_by, s.data,
                  COALESCE(s.updated_at, s.submitted_at), r.status, r.note, r.admin_id, r.admin_name, r.decided_at
           FROM xform_submission s JOIN xform_review r ON r.submission_id = s.id WHERE s.id = ?""",
        (draft.submission_id,),
    )
    await tx.execute("DELETE FROM xform_review WHERE submission_id = ?", (draft.submission_id,))
    await tx.execute(
        """UPDATE xform_submission SET version = version + 1, draft_id = ?, submitted_by_id = ?, submitted_by = ?,
               data = ?, updated_at = ? WHERE id = ?""",
        (draft.id, draft.user_id, draft.user_name, json.dumps(data, ensure_ascii=False), iso(now),
         draft.submission_id),
    )  # fmt: skip
    await tx.execute("UPDATE xform_draft SET status = 'submitted', updated_at = ? WHERE id = ?", (iso(now), draft.id))
    row = await tx.fetchone("SELECT * FROM xform_submission WHERE id = ?", (draft.submission_id,))
    submission = _submission(row)
    await outbox.enqueue_all(tx, owed(submission), now)
    return submission, True


async def submissions(db: Database, xform_id: int) -> list[XSubmission]:
    """Every submission of every version of a form, oldest first."""
    async with db.read() as tx:
        rows = await tx.fetchall(
            """SELECT s.* FROM xform_submission s JOIN xform_version v ON v.id = s.version_id
               WHERE v.xform_id = ? ORDER BY s.id""",
            (xform_id,),
        )
    return [_submission(r) for r in rows]


async def export_rows(db: Database) -> list[dict[str, Any]]:
    """Every uploaded XLSForm with its versions and submissions, as the JSON export shows them (workbooks left
    out; the built-in forms' reports are in their own tables)."""
    rows = []
    for form in await uploaded_forms(db):
        stored = await versions(db, form.id)
        by_id = {v.id: v.version for v in stored}
        rows.append(
            {
                "id": form.id,
                "form_id": form.form_id,
                "title": form.title,
                "state": form.state,
                "versions": [{"version": v.version, "title": v.title, "uploaded_at": v.uploaded_at} for v in stored],
                "submissions": [
                    {
                        "id": s.id,
                        "version": by_id.get(s.version_id, ""),
                        "kecamatan_code": s.kecamatan_code,
                        "submitted_by_id": s.submitted_by_id,
                        "corrected_version": s.version,  # 2, 3 ... after corrections Dinsos asked for
                        "corrected_at": s.updated_at,
                        "submitted_by": s.submitted_by,
                        "submitted_at": s.submitted_at,
                        "answers": s.data.get("answers", {}),
                        "repeats": s.data.get("repeats", {}),
                    }
                    for s in await submissions(db, form.id)
                ],
            }
        )
    return rows


async def published(db: Database) -> list[tuple[XForm, Publication]]:
    """Every published uploaded form with its latest publication."""
    found = []
    for form in await uploaded_forms(db):
        if form.state == "published":
            publication = await latest_publication(db, form.id)
            if publication is not None:
                found.append((form, publication))
    return found


async def submission_counts(tx: Tx, xform_id: int, *, since: str, until: str) -> dict[str, int]:
    """Submissions of any version of the form per kecamatan, made in [since, until) (ISO UTC, which sort as text).

    Test fills never become submissions, so they are never counted."""
    rows = await tx.fetchall(
        """SELECT s.kecamatan_code, COUNT(*) FROM xform_submission s JOIN xform_version v ON v.id = s.version_id
           WHERE v.xform_id = ? AND s.submitted_at >= ? AND s.submitted_at < ? GROUP BY s.kecamatan_code""",
        (xform_id, since, until),
    )
    return {r[0]: r[1] for r in rows}


async def targets(db: Database, publication: Publication) -> set[str] | None:
    """The chosen kecamatan of a publication; None when it is for all of them."""
    if publication.all_kecamatan:
        return None
    async with db.read() as tx:
        rows = await tx.fetchall("SELECT kecamatan_code FROM xform_target WHERE publication_id = ?", (publication.id,))
    return {r[0] for r in rows}


async def record_reminder(
    tx: Tx, *, slot_key: str, xform_id: int, period_start: str, reminded: int, now: datetime
) -> int | None:
    """One form's reminder run in the caller's transaction (storage.reminders.record_run); its row id is the
    messages' ref_id, so the outbox tells one run's reminder from the next one's. None if this slot already ran."""
    if await tx.fetchval("SELECT 1 FROM xform_reminder WHERE slot_key = ?", (slot_key,)):
        return None
    return await tx.insert(
        "INSERT INTO xform_reminder (slot_key, xform_id, period_start, ran_at, reminded) VALUES (?, ?, ?, ?, ?)",
        (slot_key, xform_id, period_start, iso(now), reminded),
    )
