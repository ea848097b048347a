"""Dinsos admin views: /kecamatan lists the registration state of all 40 kecamatan."""

from __future__ import annotations

from collections import Counter

from telegram import Update
from telegram.constants import ParseMode

from bot import texts
from bot.access import dinsos_admin_command
from bot.context import BotContext
from bot.formatting import split_lines
from storage import registrations
from storage.registrations import KecamatanState


@dinsos_admin_command
async def kecamatan(update: Update, context: BotContext) -> None:
    """/kecamatan (admins, private chat): one line per kecamatan with its state and group."""
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and chat is not None
    overview = await registrations.overview(context.db)
    counts = Counter(s.state.value for s in overview)
    header = texts.kecamatan_overview_header({state.value: counts[state.value] for state in KecamatanState})
    lines = [header]
    for status in overview:
        group = status.active or (status.pending[0] if status.pending else None)
        lines.append(
            texts.kecamatan_overview_line(status.name, status.state.value, group.chat_title if group else None)
        )
    for chunk in split_lines(lines):
        await message.reply_text(chunk, parse_mode=ParseMode.HTML)
