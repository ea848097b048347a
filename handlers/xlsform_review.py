"""Dinsos reviews an uploaded form's submission in the chat, as a laporan: Diterima or Perlu perbaikan on each
admin's copy (xr:ok|fix:<submission>:<version>); Perlu perbaikan asks for the note, and the admin's next private
text is it (or /batal). One decision for every way in: bot/xlsform/review.decide, which the dashboard uses too."""

from __future__ import annotations

import re

from telegram import Update
from telegram.constants import ParseMode

from bot import texts
from bot.access import display_name
from bot.context import BotContext
from bot.texts import xlsform_review_fix as fix_texts
from bot.xlsform import review
from storage import xform_review, xlsforms
from storage.xform_review import Listed

PATTERN = rf"^{review.REVIEW_PREFIX}:(ok|fix):(\d{{1,12}}):(\d{{1,4}})$"


async def _title(context: BotContext, listed: Listed) -> str:
    xform = await xlsforms.get_form(context.db, listed.xform_id)
    return xform.title if xform is not None else ""


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    if not context.is_dinsos_admin(query.from_user.id):
        await query.answer(texts.ADMIN_ONLY, show_alert=True)
        return
    match = re.match(PATTERN, query.data or "")
    assert match is not None
    action, submission_id, version = match[1], int(match[2]), int(match[3])
    listed = await xform_review.get(context.db, submission_id)
    if listed is None:
        await query.answer(texts.BUTTON_EXPIRED, show_alert=True)
    elif listed.submission.version != version or listed.review is not None:
        outdated = listed.submission.version != version
        await query.answer(fix_texts.REVIEW_OUTDATED if outdated else fix_texts.REVIEW_ALREADY, show_alert=True)
    elif action == "ok":
        decided = await review.decide(
            context.application, listed, await _title(context, listed), status=xform_review.ACCEPTED, note=None,
            admin_id=query.from_user.id, admin_name=display_name(query.from_user), version=version,
        )  # fmt: skip
        await query.answer(texts.BUTTON_REVIEW_OK if decided else fix_texts.REVIEW_ALREADY, show_alert=not decided)
    else:
        await xform_review.ask_note(context.db, query.from_user.id, submission_id, version, context.now())
        await query.answer()
        title = await _title(context, listed)
        await context.bot.send_message(
            query.from_user.id, texts.review_ask_comment(title, submission_id), parse_mode=ParseMode.HTML
        )


async def note(update: Update, context: BotContext, submission_id: int, version: int) -> None:
    """The admin's text after Perlu perbaikan on `version`: the decision, sent to the submitter and the group."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    text = (message.text or "").strip()
    if not text:
        await message.reply_text(texts.REVIEW_COMMENT_EMPTY)
        return
    listed = await xform_review.get(context.db, submission_id)
    if listed is None:
        await xform_review.drop_note(context.db, user.id)
        await message.reply_text(texts.BUTTON_EXPIRED)
        return
    title = await _title(context, listed)
    decided = await review.decide(
        context.application, listed, title, status=xform_review.NEEDS_FIX, note=text, admin_id=user.id,
        admin_name=display_name(user), version=version,
    )  # fmt: skip
    if not decided:
        await xform_review.drop_note(context.db, user.id)
        outdated = listed.submission.version != version
        await message.reply_text(fix_texts.REVIEW_OUTDATED if outdated else fix_texts.REVIEW_ALREADY)
        return
    await message.reply_text(fix_texts.note_sent(title, submission_id), parse_mode=ParseMode.HTML)
