"""Reports and drafts of the built-in forms arranged in storage, for tests whose subject is what reads them.

`stored_report` and `open_draft` go through the same storage calls as /laporan and /evaluasi (an XLSForm draft
on the built-in version, then Kirim); `previous_release_*` write the rows the release before migration 0010
wrote, for the tests of that migration and of carrying its drafts over.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.clock import iso
from bot.wilayah import load_kecamatan
from bot.xlsform import builtin
from bot.xlsform.session import USERNAME, State
from storage import forms, migrate, wilayah, xlsforms
from storage.db import Database
from storage.forms import Report
from storage.xlsforms import XDraft
from tests.support.builtin_forms import FORMS


async def open_draft(
    db: Database, form: str, *, user_id: int, user_name: str, kecamatan_code: str, now: datetime,
    week: str | None = None, answers: dict[str, Any] | None = None, report_id: int | None = None,
) -> XDraft:  # fmt: skip
    """A draft of a built-in form holding these answers (report shape), at the question after the last one."""
    await builtin.register(db, now)
    version = await xlsforms.builtin_version(db, form)
    assert version is not None
    known = {"kecamatan": kecamatan_code, USERNAME: user_name}
    state = builtin.replay(builtin.form(form), answers or {}, known, now.astimezone(ZoneInfo("Asia/Jakarta")))
    return await xlsforms.start_draft(
        db, version_id=version.id, user_id=user_id, user_name=user_name, kecamatan_code=kecamatan_code,
        test=False, state=state.to_json(), now=now, week=week, report_id=report_id,
    )  # fmt: skip


async def stored_report(
    db: Database, form: str, *, user_id: int, user_name: str, kecamatan_code: str, now: datetime,
    week: str | None = None, answers: dict[str, Any] | None = None,
) -> Report:  # fmt: skip
    """A report (or a new version of this week's evaluation) as Kirim stores it, with these answers."""
    draft = await open_draft(db, form, user_id=user_id, user_name=user_name, kecamatan_code=kecamatan_code,
                             now=now, week=week, answers=answers)  # fmt: skip
    submission = await forms.submit(db, draft.id, answers=answers or {}, now=now)
    assert submission is not None
    return submission.report


async def previous_release_draft(
    db: Database, form: str, *, user_id: int, user_name: str, kecamatan_code: str, now: datetime,
    answers: dict[str, Any], week: str | None = None, report_id: int | None = None, status: str = "active",
) -> int:  # fmt: skip
    """A form_draft row as the release before migration 0010 left it (position: the next field to ask)."""
    async with db.transaction() as tx:
        return await tx.insert(
            """INSERT INTO form_draft (form, user_id, user_name, kecamatan_code, week, answers, position, report_id,
                   status, started_at, updated_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (form, user_id, user_name, kecamatan_code, week, json.dumps(answers), len(answers), report_id, status,
             iso(now), iso(now), iso(now + timedelta(hours=72))),
        )  # fmt: skip


async def previous_release_report(
    db: Database, form: str, *, user_id: int, user_name: str, kecamatan_code: str, now: datetime,
    answers: dict[str, Any], week: str | None = None, admins: tuple[int, ...] = (),
) -> int:  # fmt: skip
    """A report as the release before migration 0010 stored it: its draft, report, version 1 and the admins'
    copies in the outbox keyed by the draft's id. Returns the report's id."""
    assert set(answers) <= {f.key for f in FORMS[form].fields}
    draft_id = await previous_release_draft(db, form, user_id=user_id, user_name=user_name,
                                            kecamatan_code=kecamatan_code, now=now, answers=answers, week=week,
                                            status="submitted")  # fmt: skip
    async with db.transaction() as tx:
        report_id = await tx.insert(
            """INSERT INTO report (form, number, kecamatan_code, week, version, submitted_by_id, submitted_by,
                   created_at, updated_at)
               VALUES (?, (SELECT COALESCE(MAX(number), 0) + 1 FROM report WHERE form = ?), ?, ?, 1, ?, ?, ?, ?)""",
            (form, form, kecamatan_code, week, user_id, user_name, iso(now), iso(now)),
        )
        await tx.execute(
            """INSERT INTO report_version (report_id, version, answers, submitted_by_id, submitted_by, submitted_at,
                   draft_id) VALUES (?, 1, ?, ?, ?, ?, ?)""",
            (report_id, json.dumps(answers), user_id, user_name, iso(now), draft_id),
        )
        for admin in admins:
            await tx.execute(
                """INSERT INTO outbox (kind, ref_id, kecamatan_code, chat_id, recipient, payload, status,
                       created_at, next_attempt_at) VALUES ('report_admin', ?, ?, ?, ?, ?, 'pending', ?, ?)""",
                (draft_id, kecamatan_code, admin, f"admin:{admin}", json.dumps({"text": "copy"}), iso(now), iso(now)),
            )
    return report_id


async def live_state(db: Database, user_id: int) -> State | None:
    """The conversation state of the person's open draft, if any."""
    draft = await xlsforms.active_draft(db, user_id)
    return None if draft is None else State.from_json(draft.state)


def given(state: State) -> dict[str, str]:
    """The answers the person gave (metadata and the preset kecamatan left out), as the XLSForm stores them."""
    return {key: state.answers[key] for key in state.passed if key in state.answers}


async def previous_release_database(path: Path, before: int) -> Database:
    """A database (open) as the release before migration `before` left it, the kecamatan list loaded; the next
    migrate.apply_pending applies `before` and what follows it."""
    everything = migrate.available()
    db = Database(path)
    await db.open()
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(migrate, "available", lambda: [m for m in everything if m.version < before])
        await migrate.apply_pending(db)
    await wilayah.sync(db, load_kecamatan())
    return db
