"""Deciding a review (Diterima, or Perlu perbaikan with a note), wherever the admin decides it: chat or dashboard.

The decision and the messages it owes (to the submitter, and for Perlu perbaikan to the group too) are stored in
one transaction; the outbox sender delivers them.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode

from bot import texts
from bot.context import BotApplication
from bot.forms.definitions import FORMS
from storage import forms, outbox, registrations, reviews
from storage.forms import Report

NOTE_KIND = "review_note"  # to the kecamatan group
SUBMITTER_KIND = "review_submitter"  # to the person who sent the version
COMMENT_LIMIT = 1000


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
    """Store the first decision on this version and queue its messages; False if decided already or outdated."""
    data = app.bot_data
    assert data.db is not None
    report = await forms.get_report(data.db, report_id)
    if report is None or report.version != version:
        return False
    if status == reviews.ACCEPTED:
        owed = _accepted_messages(report)
    elif status == reviews.NEEDS_FIX and comment and comment.strip():
        comment = comment.strip()[:COMMENT_LIMIT]
        group = await registrations.active_for_kecamatan(data.db, report.kecamatan_code)
        owed = _fix_messages(app.bot.username, report, comment, group.chat_id if group else None)
    else:
        raise ValueError(f"not a review decision: {status!r} with comment {comment!r}")
    recorded = await reviews.review(
        data.db, report.id, report.version, status=status, admin_id=admin_id, admin_name=admin_name,
        now=data.clock.now(), comment=comment if status == reviews.NEEDS_FIX else None, owed=owed,
    )  # fmt: skip
    if recorded and data.sender is not None:
        data.sender.wake()
    return recorded


def _accepted_messages(report: Report):  # type: ignore[no-untyped-def]
    note = {"text": texts.review_accepted_note(FORMS[report.form].title, report.id), "parse_mode": ParseMode.HTML}

    def owed() -> list[outbox.Owed]:
        recipient = f"user:{report.submitted_by_id}:v{report.version}"
        return [outbox.Owed(SUBMITTER_KIND, report.id, report.kecamatan_code, report.submitted_by_id, note, recipient)]

    return owed


def _fix_messages(bot_username: str, report: Report, comment_text: str, group_chat_id: int | None):  # type: ignore[no-untyped-def]
    title = FORMS[report.form].title
    text = texts.review_fix_request(title, report.id, str(report.answers.get("nama_kegiatan") or ""), comment_text)
    link = f"https://t.me/{bot_username}?start=koreksi-{report.id}"
    in_group = InlineKeyboardMarkup([[InlineKeyboardButton(texts.BUTTON_FIX_REPORT, url=link)]])
    in_private = InlineKeyboardMarkup(
        [[InlineKeyboardButton(texts.BUTTON_FIX_REPORT, callback_data=f"fc:{report.id}")]]
    )

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
