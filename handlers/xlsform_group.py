"""/formulir in a kecamatan group: the XLSForms Dinsos published to this kecamatan, each with a button that
opens it in the private chat, so a member can start one without scrolling back to its notice."""

from __future__ import annotations

from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode

from bot import texts
from bot.context import BotContext
from bot.dates import long_date
from handlers import xlsform_fill
from storage import registrations, xlsforms


async def formulir(update: Update, context: BotContext) -> None:
    """Lists the open forms for the group's kecamatan; an unregistered group is told how to register."""
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and chat is not None
    registration = await registrations.active_for_chat(context.db, chat.id)
    if registration is None:
        await message.reply_text(texts.FORM_GROUP_NOT_REGISTERED)
        return
    code = registration.kecamatan_code
    lines, rows = [], []
    for form, publication in await xlsforms.published(context.db):
        if not await xlsforms.is_target(context.db, publication, code):
            continue
        deadline = long_date(date.fromisoformat(publication.deadline)) if publication.deadline else None
        lines.append((form.title, publication.schedule, deadline))
        link = f"https://t.me/{context.bot.username}?start={xlsform_fill.payload_for(form.id, code)}"
        rows.append([InlineKeyboardButton(texts.xlsform_group_button(len(rows) + 1, form.title), url=link)])
    if not lines:
        await message.reply_text(texts.xlsform_group_none(registration.kecamatan_name))
        return
    await message.reply_text(
        texts.xlsform_group_list(registration.kecamatan_name, lines), parse_mode=ParseMode.HTML,
        reply_markup=InlineKeyboardMarkup(rows),
    )  # fmt: skip
