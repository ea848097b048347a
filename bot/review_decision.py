"""Deciding a review (Diterima, or Perlu perbaikan with a note), wherever an admin decides it: a copy's buttons,
/tinjau, the comment that follows Perlu perbaikan, or the dashboard.

The decision and the messages it owes (to the submitter, and for Perlu perbaikan to the group too) are stored in
one transaction and delivered by the outbox sender. Then every admin's copy of that version says who decided what
and when, so nobody decides it twice: copies already sent are edited, copies still waiting go out decided.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode

from bot import texts
from bot.context import BotApplication, BotContext
from bot.dates import short_wib
from bot.sending import edit_text
from bot.xlsform import builtin
from storage import forms, outbox, registrations, reviews
from storage.forms import Report

logger = logging.getLogger(__name__)

NOTE_KIND = "review_note"  # to the kecamatan group
SUBMITTER_KIND = "review_submitter"  # to the person who sent the version
COMMENT_LIMIT = 1000
MESSAGE_LIMIT = 4096


async def decide(
    app: BotApplication,
    report_id: int,
    version: int,
    *,
    status: str,
    admin_id: int,
    admin_name: str,
    comment: str | None = None,
) -> bool:
    """Store the first decision on this version, queue its messages and mark every admin's copy; False if it
    was decided already or the report has a newer version."""
    data = app.bot_data
    assert data.db is not None and data.config is not None
    report = await forms.get_report(data.db, report_id)
    if report is None or report.version != version:
        return False
    title = (await builtin.current(data.db, report.form)).title
    if status == reviews.ACCEPTED:
        comment = None
        owed = _accepted_messages(title, report)
    elif status == reviews.NEEDS_FIX and comment and comment.strip():
        comment = comment.strip()[:COMMENT_LIMIT]
        group = await registrations.active_for_kecamatan(data.db, report.kecamatan_code)
        owed = _fix_messages(app.bot.username, title, report, comment, group.chat_id if group else None)
    else:
        raise ValueError(f"not a review decision: {status!r} with comment {comment!r}")
    now = data.clock.now()
    recorded = await reviews.review(
        data.db, report.id, report.version, status=status, admin_id=admin_id, admin_name=admin_name,
        now=now, comment=comment, owed=owed,
    )  # fmt: skip
    if not recorded:
        return False
    if data.sender is not None:
        data.sender.wake()
    line = texts.review_decided(status, admin_name, short_wib(now, data.config.timezone), comment)
    await _mark_copies(app, report, line)
    return True


def review_keyboard(report_id: int, version: int, prefix: str = "rv") -> InlineKeyboardMarkup:
    """Diterima / Perlu perbaikan on a copy (rv), and Lewati as well on the /tinjau queue (tj)."""
    row = [
        InlineKeyboardButton(texts.BUTTON_REVIEW_OK, callback_data=f"{prefix}:ok:{report_id}:{version}"),
        InlineKeyboardButton(texts.BUTTON_REVIEW_FIX, callback_data=f"{prefix}:fix:{report_id}:{version}"),
    ]
    if prefix == "tj":
        row.append(InlineKeyboardButton(texts.BUTTON_REVIEW_SKIP, callback_data=f"tj:skip:{report_id}:{version}"))
    return InlineKeyboardMarkup([row])


def decided_text(original: str, line: str) -> str:
    """A copy's text with the decision under it, still within Telegram's limit."""
    room = MESSAGE_LIMIT - len(line) - 3
    body = original if len(original) <= room else original[: room - 1] + "…"
    return f"{body}\n\n{line}"


async def _mark_copies(app: BotApplication, report: Report, line: str) -> None:
    data = app.bot_data
    assert data.db is not None
    context = BotContext(app)
    for copy in await reviews.admin_copies(data.db, report.id, report.version):
        text = decided_text(str(copy.payload.get("text", "")), line)
        if copy.status != "sent":
            decided = {"text": text, "parse_mode": ParseMode.HTML}
            if await reviews.rewrite_unsent_copy(data.db, copy.outbox_id, decided):
                continue
            # It went out in the meantime: read its message id back and edit it like the others.
            fresh = await reviews.admin_copies(data.db, report.id, report.version)
            copy = next(c for c in fresh if c.outbox_id == copy.outbox_id)
        if copy.message_id is not None:
            # Without reply_markup the edit also removes the review buttons.
            await edit_text(context, copy.chat_id, copy.message_id, text)


def _accepted_messages(title: str, report: Report):  # type: ignore[no-untyped-def]
    note = {"text": texts.review_accepted_note(title, report.number), "parse_mode": ParseMode.HTML}

    def owed() -> list[outbox.Owed]:
        recipient = f"user:{report.submitted_by_id}:v{report.version}"
        return [outbox.Owed(SUBMITTER_KIND, report.id, report.kecamatan_code, report.submitted_by_id, note, recipient)]

    return owed


def _fix_messages(bot_username: str, title: str, report: Report, comment_text: str, group_chat_id: int | None):  # type: ignore[no-untyped-def]
    name = str(report.answers.get("nama_kegiatan") or "")
    text = texts.review_fix_request(title, report.number, name, comment_text)
    link = f"https://t.me/{bot_username}?start=koreksi-{report.id}"
    label = texts.fix_button(title)
    in_group = InlineKeyboardMarkup([[InlineKeyboardButton(label, url=link)]])
    in_private = InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=f"fc:{report.id}")]])

    def owed() -> list[outbox.Owed]:
        version = f"v{report.version}"
        messages = [
            outbox.Owed(
                SUBMITTER_KIND, report.id, report.kecamatan_code, report.submitted_by_id,
                {"text": text, "parse_mode": ParseMode.HTML, "reply_markup": in_private.to_dict()},
                f"user:{report.submitted_by_id}:{version}",
            )
        ]  # fmt: skip
        if group_chat_id is not None:
            messages.append(
                outbox.Owed(
                    NOTE_KIND, report.id, report.kecamatan_code, group_chat_id,
                    {"text": text, "parse_mode": ParseMode.HTML, "reply_markup": in_group.to_dict()},
                    f"{report.kecamatan_code}:{version}",
                )
            )  # fmt: skip
        return messages

    return owed
