"""/ekspor [periode] (Dinsos admins, private chat): reports, evaluations and announcements as an Excel file."""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.constants import ChatAction, ParseMode
from telegram.error import TelegramError

from bot import texts
from bot.access import dinsos_admin_command
from bot.context import BotContext
from handlers import xlsform_fill
from storage.export import all_tables

logger = logging.getLogger(__name__)


async def _show_uploading(context: BotContext, chat_id: int) -> None:
    """'Sending a document…' in the chat header: a courtesy, so a Telegram error here never stops the export."""
    try:
        await context.bot.send_chat_action(chat_id, ChatAction.UPLOAD_DOCUMENT)
    except TelegramError as exc:
        logger.info("Chat action for /ekspor in %s not shown: %s", chat_id, exc.message)


@dinsos_admin_command
async def ekspor(update: Update, context: BotContext) -> None:
    """Reads the period argument, then sends the workbook for it as a document; a bad argument gets the usage."""
    # openpyxl brings numpy along (about 20 MiB): loaded on the first /ekspor, not at every start (bench/forms).
    from bot.xlsform.export import exported_forms, workbook_sheets
    from bot.xlsx_export import PeriodError, file_name, parse_period, to_xlsx, within

    message, chat = update.effective_message, update.effective_chat
    assert message is not None and chat is not None
    tz, now = context.config.timezone, context.now()
    today = now.astimezone(tz).date()
    try:
        period = parse_period(" ".join(context.args or []), today)
    except PeriodError as exc:
        await message.reply_text(texts.export_usage(str(exc)), parse_mode=ParseMode.HTML)
        return
    await _show_uploading(context, chat.id)
    tables = within(await all_tables(context.db), period, tz)
    extra = workbook_sheets(await exported_forms(context.db, xlsform_fill.form_of), tz=tz, period=period)
    # Building a year of reports takes a moment of CPU; other chats keep being answered meanwhile.
    workbook = await asyncio.to_thread(to_xlsx, tables, tz=tz, period=period, generated_at=now, extra=extra)
    caption = texts.export_caption(
        period.label, len(tables["reports"]), len(tables["evaluations"]), len(tables["announcements"])
    )
    await message.reply_document(workbook, filename=file_name(today), caption=caption, parse_mode=ParseMode.HTML)
