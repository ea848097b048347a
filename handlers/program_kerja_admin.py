"""/programkerja for Dinsos admins in private: the kabupaten's plans at a glance, and `tenggat dd/mm/yyyy`.
(Interface fixed by the core: handlers/program_kerja.py dispatches here; the Dinsos-side helper fills it in.)"""

from __future__ import annotations

from datetime import date

from telegram import Message, Update
from telegram.constants import ParseMode

from bot import texts
from bot.access import display_name
from bot.context import BotContext
from bot.dates import long_date
from bot.formatting import split_lines
from bot.forms.parse import NEXT, Invalid, format_rupiah, parse_date
from bot.program_kerja.model import planning_year
from bot.program_kerja.standing import standings
from bot.texts import program_dinsos as t
from storage import program_kerja, registrations

FIRST_YEAR, LAST_YEAR = 2020, 2100  # a year outside these is a typing mistake


def _admin_message(update: Update, context: BotContext) -> Message | None:
    """The command's message if a Dinsos admin wrote it in private, else None (the caller refuses)."""
    message, user = update.effective_message, update.effective_user
    if message is None:
        return None
    if user is None or not context.is_dinsos_admin(user.id) or message.chat.type != message.chat.PRIVATE:
        return None
    return message


async def _registered(context: BotContext) -> set[str]:
    """Kecamatan with an active group: the ones a plan is asked of."""
    return {
        r.kecamatan_code
        for r in await registrations.all_registrations(context.db)
        if r.status is registrations.Status.ACTIVE
    }


def _today(context: BotContext) -> date:
    return context.now().astimezone(context.config.timezone).date()


async def overview(update: Update, context: BotContext) -> None:
    """Each kecamatan's plan for the planning year: state, programs, and who has not submitted."""
    message = _admin_message(update, context)
    if message is None:
        if update.effective_message is not None:
            await update.effective_message.reply_text(texts.ADMIN_ONLY)
        return
    today = _today(context)
    year = planning_year(today)
    registered = await _registered(context)
    rows = await standings(context.db, year, today, registered)
    deadline = await program_kerja.deadline(context.db, year)
    lines = t.overview_header(year, long_date(deadline) if deadline else None, sum(r.submitted for r in rows),
                              len(rows))  # fmt: skip
    if not rows:
        lines.append(t.OVERVIEW_NONE)
    for row in rows:
        state = t.state_label(row.latest.status if row.latest else None, row.in_force is not None)
        realized = (row.totals.done, row.totals.programs, row.totals.late) if row.in_force is not None else None
        lines.append(t.overview_line(row.name, state, len(row.programs), format_rupiah(row.anggaran), realized))
    lines.append(t.OVERVIEW_FOOT)
    for chunk in split_lines(lines):
        await message.reply_text(chunk, parse_mode=ParseMode.HTML)


async def tenggat(update: Update, context: BotContext, args: list[str]) -> None:
    """`/programkerja tenggat 31/01/2027 [tahun]`: the deadline for submitting the year's plan."""
    message, user = _admin_message(update, context), update.effective_user
    if message is None or user is None:
        if update.effective_message is not None:
            await update.effective_message.reply_text(texts.ADMIN_ONLY)
        return
    words = list(args)
    if words and words[0].lower() == "tenggat":  # the whole argument list, as a dispatcher may pass it
        words = words[1:]
    if not words or len(words) > 2:
        await message.reply_text(t.TENGGAT_USAGE, parse_mode=ParseMode.HTML)
        return
    today = _today(context)
    try:
        day = parse_date(words[0], today, without_year=NEXT)  # a deadline lies ahead
    except Invalid:
        await message.reply_text(t.tenggat_bad_date(words[0]), parse_mode=ParseMode.HTML)
        return
    if day < today:
        await message.reply_text(t.tenggat_past(long_date(day)), parse_mode=ParseMode.HTML)
        return
    year = planning_year(today)
    if len(words) == 2:
        if not (words[1].isdigit() and FIRST_YEAR <= int(words[1]) <= LAST_YEAR):
            await message.reply_text(t.tenggat_bad_year(words[1]), parse_mode=ParseMode.HTML)
            return
        year = int(words[1])
    await program_kerja.set_deadline(context.db, year, day, admin_id=user.id, admin_name=display_name(user),
                                     now=context.now())  # fmt: skip
    rows = await standings(context.db, year, today, await _registered(context))
    missing = sum(not r.submitted for r in rows)
    await message.reply_text(t.tenggat_set(year, long_date(day), missing, len(rows)), parse_mode=ParseMode.HTML)
