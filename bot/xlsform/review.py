"""Dinsos's decision on a submission of an uploaded XLSForm (from the dashboard): Diterima, or Perlu perbaikan with
a note. The decision and the messages it owes are written together (as bot/review_decision does for laporan), and
the outbox sender delivers them: Diterima to the submitter; Perlu perbaikan to the submitter and to the kecamatan
group, each with a button that opens the submission again for correction (handlers/xlsform_correction.py)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode

from bot import texts
from bot.context import BotApplication, BotContext
from bot.dates import short_wib
from bot.review_decision import decided_text
from bot.sending import edit_text
from bot.texts import xlsform_review_fix as fix_texts
from bot.texts import xlsform_web as t
from storage import outbox, registrations, reviews, xform_review
from storage.xform_review import Listed
from storage.xlsforms import XSubmission

SUBMITTER_KIND = "xform_review_submitter"  # the decision, to the person who sent the submission
NOTE_KIND = "xform_review_note"  # Perlu perbaikan, to the kecamatan group
NOTE_LIMIT = 1000
CORRECT_PREFIX = "xk"  # the private button: xk:<submission id>
START_PREFIX = "xkoreksi-"  # the group's button opens the private chat with /start xkoreksi-<submission id>
REVIEW_PREFIX = "xr"  # an admin's copy: xr:ok|fix:<submission id>:<version>


async def decide(app: BotApplication, listed: Listed, title: str, *, status: str, note: str | None, admin_id: int,
                 admin_name: str, version: int | None = None) -> bool:  # fmt: skip
    """Store the first decision on this version of the submission (the one shown: `version`, else the current one)
    with its messages, then mark every admin's copy of it; False if it was decided already or a correction
    replaced that version."""
    data = app.bot_data
    assert data.db is not None
    submission = listed.submission
    if status == xform_review.NEEDS_FIX:
        note = (note or "").strip()[:NOTE_LIMIT]
        if not note:
            raise ValueError("Perlu perbaikan needs a note")
        group = await registrations.active_for_kecamatan(data.db, submission.kecamatan_code)
        owed = _fix_messages(app.bot.username, title, submission, note, group.chat_id if group else None)
    elif status == xform_review.ACCEPTED:
        note = None
        text = t.accepted_message(title, submission.id)
        owed = [_submitter(submission, {"text": text, "parse_mode": ParseMode.HTML})]
    else:
        raise ValueError(status)
    version = version or submission.version
    now = data.clock.now()
    done = await xform_review.decide(
        data.db, submission.id, version, status=status, note=note, admin_id=admin_id, admin_name=admin_name,
        now=now, owed=owed,
    )  # fmt: skip
    if not done:
        return False
    if data.sender is not None:
        data.sender.wake()
    assert data.config is not None
    line = texts.review_decided(status, admin_name, short_wib(now, data.config.timezone), note)
    await _mark_copies(app, submission.id, version, line)
    return True


def review_keyboard(submission_id: int, version: int) -> InlineKeyboardMarkup:
    """Diterima / Perlu perbaikan on an admin's copy of a submission, as on a laporan's."""
    data = f"{submission_id}:{version}"
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(texts.BUTTON_REVIEW_OK, callback_data=f"{REVIEW_PREFIX}:ok:{data}"),
        InlineKeyboardButton(texts.BUTTON_REVIEW_FIX, callback_data=f"{REVIEW_PREFIX}:fix:{data}"),
    ]])  # fmt: skip


async def _mark_copies(app: BotApplication, submission_id: int, version: int, line: str) -> None:
    """Every admin's copy of the version says who decided what (and loses its buttons), so nobody decides twice:
    copies already sent are edited, copies still waiting go out decided."""
    data = app.bot_data
    assert data.db is not None
    context = BotContext(app)
    for copy in await xform_review.admin_copies(data.db, submission_id, version):
        text = decided_text(str(copy.payload.get("text", "")), line)
        if copy.status != "sent":
            if await reviews.rewrite_unsent_copy(data.db, copy.outbox_id, {"text": text, "parse_mode": ParseMode.HTML}):
                continue
            # It went out in the meantime: read its message id back and edit it like the others.
            fresh = await xform_review.admin_copies(data.db, submission_id, version)
            copy = next(c for c in fresh if c.outbox_id == copy.outbox_id)
        if copy.message_id is not None:
            await edit_text(context, copy.chat_id, copy.message_id, text)


def _submitter(submission: XSubmission, payload: dict[str, object]) -> outbox.Owed:
    # One message per version decided: a corrected submission's next decision is owed anew.
    recipient = f"user:{submission.submitted_by_id}:xform:{submission.id}:v{submission.version}"
    return outbox.Owed(SUBMITTER_KIND, submission.id, submission.kecamatan_code, submission.submitted_by_id,
                       payload, recipient)  # fmt: skip


def _fix_messages(bot_username: str, title: str, submission: XSubmission, note: str,
                  group_chat_id: int | None) -> list[outbox.Owed]:  # fmt: skip
    text = fix_texts.fix_request(title, submission.id, note)
    label = fix_texts.fix_button(title, submission.id)
    in_private = InlineKeyboardButton(label, callback_data=f"{CORRECT_PREFIX}:{submission.id}")
    in_group = InlineKeyboardButton(label, url=f"https://t.me/{bot_username}?start={START_PREFIX}{submission.id}")
    owed = [_submitter(submission, {"text": text, "parse_mode": ParseMode.HTML,
                                    "reply_markup": InlineKeyboardMarkup([[in_private]]).to_dict()})]  # fmt: skip
    if group_chat_id is not None:
        payload = {
            "text": text,
            "parse_mode": ParseMode.HTML,
            "reply_markup": InlineKeyboardMarkup([[in_group]]).to_dict(),
        }
        recipient = f"{submission.kecamatan_code}:xform:{submission.id}:v{submission.version}"
        owed.append(outbox.Owed(NOTE_KIND, submission.id, submission.kecamatan_code, group_chat_id, payload, recipient))
    return owed
