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
from bot.review_decision import NOTE_KIND, SUBMITTER_KIND, decide
from storage import forms, reviews
from storage.forms import Report

logger = logging.getLogger(__name__)

REVIEW_PATTERN = r"^rv:(ok|fix|x):(\d{1,12}):(\d{1,4})$"
__all__ = ["NOTE_KIND", "SUBMITTER_KIND", "comment", "on_button", "review_keyboard", "reviewed_keyboard"]


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
    recorded = await decide(
        context.application, report.id, report.version, status=reviews.ACCEPTED, admin_id=query.from_user.id,
        admin_name=admin,
    )  # fmt: skip
    if not recorded:
        await query.answer(texts.REVIEW_ALREADY, show_alert=True)
        return
    await query.answer(texts.BUTTON_REVIEW_OK)
    await query.edit_message_reply_markup(reviewed_keyboard(report.id, report.version, reviews.ACCEPTED, admin))


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
    recorded = await decide(
        context.application, report.id, report.version, status=reviews.NEEDS_FIX, admin_id=user.id,
        admin_name=display_name(user), comment=text,
    )  # fmt: skip
    if not recorded:
        await message.reply_text(texts.REVIEW_ALREADY)
        return
    await message.reply_text(texts.review_comment_sent(report.id))
