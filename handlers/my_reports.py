"""/laporan_saya: the person's and their kecamatan's recent reports, and corrections within 7 days."""

from __future__ import annotations

import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode

from bot import texts
from bot.clock import parse_iso
from bot.context import BotContext
from bot.dates import short_wib
from bot.forms.fields import display
from bot.texts import program_laporan as t
from bot.wilayah import kecamatan_by_code
from bot.xlsform import builtin
from handlers.form_entry import CORRECTION_WINDOW, correct_report, memberships
from storage import forms, program_kerja

CORRECT_PATTERN = r"^fc:(\d{1,12})$"


async def laporan_saya(update: Update, context: BotContext) -> None:
    message, user = update.effective_message, update.effective_user
    assert message is not None
    if user is None or message.chat.type != message.chat.PRIVATE:
        await message.reply_text(texts.MY_REPORTS_PRIVATE_ONLY)
        return
    codes = [g.kecamatan_code for g in await memberships(context, user.id)]
    reports = await forms.recent(context.db, kecamatan_codes=codes, user_id=user.id)
    if not reports:
        await message.reply_text(texts.MY_REPORTS_NONE)
        return
    lines, buttons = [texts.MY_REPORTS_HEADER], []
    now = context.now()
    linked = any(report.answers.get("program") for report in reports)
    programs = await program_kerja.program_names(context.db) if linked else {}
    built_in = await builtin.currents(context.db)
    for report in reports:
        kecamatan = kecamatan_by_code(report.kecamatan_code)
        when = short_wib(parse_iso(report.updated_at), context.config.timezone)
        name = str(report.answers.get("nama_kegiatan") or "")
        lines.append(
            texts.my_report_line(
                report.number, built_in[report.form].title, name, when, kecamatan.name if kecamatan else "",
                report.version,
            )
        )
        if report.answers.get("program"):  # a laporan asked about its program kerja
            lines.append(t.my_report_program(display(built_in[report.form].field("program"), report.answers["program"],
                                                     programs)))  # fmt: skip
        open_for_fix = report.review_status == "perlu_perbaikan"
        if report.kecamatan_code in codes and (open_for_fix or now - parse_iso(report.created_at) <= CORRECTION_WINDOW):
            label = texts.correction_button(built_in[report.form].title, report.number)
            buttons.append([InlineKeyboardButton(label, callback_data=f"fc:{report.id}")])
    await message.reply_text(
        "\n".join(lines), parse_mode=ParseMode.HTML, reply_markup=InlineKeyboardMarkup(buttons) if buttons else None
    )


async def correct(update: Update, context: BotContext) -> None:
    """Koreksi: see form_entry.correct_report for who may correct what, and when."""
    query = update.callback_query
    assert query is not None
    match = re.match(CORRECT_PATTERN, query.data or "")
    assert match is not None
    await query.answer()
    await correct_report(context, query.from_user, int(match[1]))
