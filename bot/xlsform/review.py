"""Dinsos's decision on a submission of an uploaded XLSForm (from the dashboard): Diterima, or Perlu perbaikan with
a note. The decision and the message it owes the submitter are written together (as bot/review_decision does for
laporan), and the outbox sender delivers the message."""

from __future__ import annotations

from telegram.constants import ParseMode

from bot.context import BotApplication
from bot.texts import xlsform_web as t
from storage import outbox, xform_review
from storage.xform_review import Listed

SUBMITTER_KIND = "xform_review_submitter"  # the decision, to the person who sent the submission
NOTE_LIMIT = 1000


async def decide(app: BotApplication, listed: Listed, title: str, *, status: str, note: str | None, admin_id: int,
                 admin_name: str) -> bool:  # fmt: skip
    """Store the first decision on this submission with its message; False if it was decided already."""
    data = app.bot_data
    assert data.db is not None
    submission = listed.submission
    if status == xform_review.NEEDS_FIX:
        note = (note or "").strip()[:NOTE_LIMIT]
        if not note:
            raise ValueError("Perlu perbaikan needs a note")
        text = t.fix_message(title, submission.id, note)
    elif status == xform_review.ACCEPTED:
        note, text = None, t.accepted_message(title, submission.id)
    else:
        raise ValueError(status)
    owed = [
        outbox.Owed(
            SUBMITTER_KIND, submission.id, submission.kecamatan_code, submission.submitted_by_id,
            {"text": text, "parse_mode": ParseMode.HTML}, f"user:{submission.submitted_by_id}:xform:{submission.id}",
        )
    ]  # fmt: skip
    done = await xform_review.decide(data.db, submission.id, status=status, note=note, admin_id=admin_id,
                                     admin_name=admin_name, now=data.clock.now(), owed=owed)  # fmt: skip
    if done and data.sender is not None:
        data.sender.wake()
    return done
