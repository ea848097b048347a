"""/ekspor [periode] (Dinsos admins, private chat): reports, evaluations and announcements as an Excel file;
/ekspor lpj <kecamatan> [tahun]: one kecamatan's Laporan Pertanggungjawaban program kerja as a Word file."""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import date

from telegram import Update
from telegram.constants import ChatAction, ParseMode
from telegram.error import TelegramError

from bot import texts
from bot.access import dinsos_admin_command
from bot.context import BotContext
from bot.telegram_files import photo_fetcher
from bot.texts import program_lpj
from bot.wilayah import Kecamatan, match_kecamatan, suggest_kecamatan
from bot.xlsform import builtin
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
    if context.args and context.args[0].lower() == "lpj":
        await _lpj(update, context, context.args[1:])
        return
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
    built_in = await builtin.currents(context.db)
    workbook = await asyncio.to_thread(to_xlsx, tables, tz=tz, period=period, generated_at=now, extra=extra,
                                       forms=built_in)  # fmt: skip
    caption = texts.export_caption(
        period.label, len(tables["reports"]), len(tables["evaluations"]), len(tables["announcements"])
    )
    await message.reply_document(workbook, filename=file_name(today), caption=caption, parse_mode=ParseMode.HTML)


FIRST_YEAR = 2020  # before the bot there are no plans or laporan to account for


def lpj_request(words: list[str], today: date) -> tuple[Kecamatan, int] | str:
    """`<kecamatan> [tahun]` (a kecamatan name may have spaces: Gunung Jati) -> the kecamatan and the year, or
    the message that says what is wrong."""
    words = list(words)
    if not words or (len(words) == 1 and re.fullmatch(r"\d{4}", words[0])):
        return program_lpj.missing_kecamatan()
    year = today.year
    if len(words) > 1 and re.search(r"\d", words[-1]):
        typed = words.pop()
        latest = today.year + 1  # next year's plan is composed and approved before January
        if not re.fullmatch(r"\d{4}", typed) or not FIRST_YEAR <= int(typed) <= latest:
            return program_lpj.bad_year(typed, latest)
        year = int(typed)
    name = " ".join(words)
    kecamatan = match_kecamatan(name)
    if kecamatan is None:
        return program_lpj.unknown_kecamatan(name, [k.name for k in suggest_kecamatan(name)])
    return kecamatan, year


async def _lpj(update: Update, context: BotContext, words: list[str]) -> None:
    """Sends the kecamatan's LPJ of the year as a document, its photos fetched from Telegram."""
    # python-docx brings lxml along: loaded on the first LPJ, not at every start.
    from bot.program_kerja import lpj

    message, chat = update.effective_message, update.effective_chat
    assert message is not None and chat is not None
    now = context.now()
    today = now.astimezone(context.config.timezone).date()
    asked = lpj_request(words, today)
    if isinstance(asked, str):
        await message.reply_text(asked, parse_mode=ParseMode.HTML)
        return
    kecamatan, year = asked
    await _show_uploading(context, chat.id)
    found = await lpj.contents(context.db, kecamatan.code, year, today=today,
                               fetch_photo=photo_fetcher(context.bot), generated_at=now)  # fmt: skip
    if found.empty:
        await message.reply_text(program_lpj.nothing(kecamatan.name, year), parse_mode=ParseMode.HTML)
        return
    document = await asyncio.to_thread(lpj.render, found)
    await message.reply_document(document, filename=lpj.filename(kecamatan, year), caption=lpj.caption(found),
                                 parse_mode=ParseMode.HTML)  # fmt: skip
