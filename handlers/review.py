"""Dinsos reviews each report it receives: Diterima, or Perlu perbaikan with a comment that goes to the group and
the submitter together with a way to correct the report (a new version, the earlier one kept)."""

from __future__ import annotations

import logging
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode

from bot import texts
from bot.access import display_name
from bot.context import BotContext
from bot.forms.definitions import FORMS
from storage import forms, outbox, registrations, reviews
from storage.forms import Report

logger = logging.getLogger(__name__)

REVIEW_PATTERN = r"^rv:(ok|fix|x):(\d{1,12}):(\d{1,4})$"
NOTE_KIND = "review_note"  # to the kecamatan group
SUBMITTER_KIND = "review_submitter"  # to the person who sent the version


def review_keyboard(report_id: int, version: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[
            InlineKeyboardButton(texts.BUTTON_REVIEW_OK, callback_data=f"rv:ok:{report_id}:{version}"),
            InlineKeyboardButton(texts.BUTTON_REVIEW_FIX, callback_data=f"rv:fix:{report_id}:{version}"),
        ]]
    )  # fmt: skip


def reviewed_keyboard(report_id: int, version: int, status: str, admin: str) -> InlineKeyboardMarkup:
    """After the review the buttons say who decided what; pressing it again only says so."""
    label = texts.review_done(status, admin)
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=f"rv:x:{report_id}:{version}")]])


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    if not context.is_dinsos_admin(query.from_user.id):
        await query.answer(texts.ADMIN_ONLY, show_alert=True)
        return
    match = re.match(REVIEW_PATTERN, query.data or "")
    assert match is not None
    action, report_id, version = match[1], int(match[2]), int(match[3])
    report = await forms.get_report(context.db, report_id)
    if report is None:
        await query.answer(texts.BUTTON_EXPIRED, show_alert=True)
    elif report.version != version:
        await query.answer(texts.REVIEW_OUTDATED, show_alert=True)
    elif action == "x" or report.review_status is not None:
        await query.answer(texts.REVIEW_ALREADY, show_alert=True)
    elif action == "ok":
        await _accept(update, context, report)
    else:
        await reviews.ask_comment(context.db, query.from_user.id, report.id, context.now())
        await query.answer()
        await context.bot.send_message(
            query.from_user.id, texts.review_ask_comment(FORMS[report.form].title, report.id), parse_mode=ParseMode.HTML
        )


async def _accept(update: Update, context: BotContext, report: Report) -> None:
    query = update.callback_query
    assert query is not None
    admin = display_name(query.from_user)
    title = FORMS[report.form].title
    note = {"text": texts.review_accepted_note(title, report.id), "parse_mode": ParseMode.HTML}

    def owed() -> list[outbox.Owed]:
        recipient = f"user:{report.submitted_by_id}:v{report.version}"
        return [outbox.Owed(SUBMITTER_KIND, report.id, report.kecamatan_code, report.submitted_by_id, note, recipient)]

    recorded = await reviews.review(
        context.db, report.id, report.version, status=reviews.ACCEPTED, admin_id=query.from_user.id,
        admin_name=admin, now=context.now(), owed=owed,
    )  # fmt: skip
    if not recorded:
        await query.answer(texts.REVIEW_ALREADY, show_alert=True)
        return
    await query.answer(texts.BUTTON_REVIEW_OK)
    await query.edit_message_reply_markup(reviewed_keyboard(report.id, report.version, reviews.ACCEPTED, admin))
    context.sender.wake()


async def comment(update: Update, context: BotContext, report_id: int) -> None:
    """The admin's text after Perlu perbaikan: stored with the review, then sent to the group and the submitter."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    text = (message.text or "").strip()
    if not text:
        await message.reply_text(texts.REVIEW_COMMENT_EMPTY)
        return
    report = await forms.get_report(context.db, report_id)
    if report is None:
        await reviews.drop_comment(context.db, user.id)
        await message.reply_text(texts.BUTTON_EXPIRED)
        return
    group = await registrations.active_for_kecamatan(context.db, report.kecamatan_code)
    owed = _fix_messages(context, report, text[:1000], group.chat_id if group else None)
    recorded = await reviews.review(
        context.db, report.id, report.version, status=reviews.NEEDS_FIX, admin_id=user.id,
        admin_name=display_name(user), now=context.now(), comment=text[:1000], owed=owed,
    )  # fmt: skip
    if not recorded:
        await message.reply_text(texts.REVIEW_ALREADY)
        return
    await message.reply_text(texts.review_comment_sent(report.id))
    context.sender.wake()


def _fix_messages(context: BotContext, report: Report, comment_text: str, group_chat_id: int | None):  # type: ignore[no-untyped-def]
    title = FORMS[report.form].title
    text = texts.review_fix_request(title, report.id, str(report.answers.get("nama_kegiatan") or ""), comment_text)
    link = f"https://t.me/{context.bot.username}?start=koreksi-{report.id}"
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
