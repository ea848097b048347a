"""/status_pengumuman [nomor]: who received and who acknowledged each announcement."""

from __future__ import annotations

import re

from telegram import Update
from telegram.constants import ParseMode

from bot import texts
from bot.access import dinsos_admin_command
from bot.clock import parse_iso
from bot.context import BotContext
from bot.dates import short_wib
from bot.formatting import split_lines
from storage import announcements
from storage.announcements import Announcement, Delivery

PREVIEW_CHARS = 60


@dinsos_admin_command
async def status_pengumuman(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message is not None
    args = context.args or []
    if not args:
        lines = await _recent(context)
    elif number := re.fullmatch(r"#?([0-9]{1,12})", args[0]):
        # ASCII digits, bounded: str.isdigit() also takes '²' (int() refuses it) and 5,000 digits (int() stops
        # at 4,300; SQLite at 19).
        lines = await _detail(context, int(number[1]))
    else:
        lines = [texts.STATUS_USAGE]
    for chunk in split_lines(lines):
        await message.reply_text(chunk, parse_mode=ParseMode.HTML)


def _preview(ann: Announcement) -> str:
    text = (ann.content.text if ann.content else "") or f"[{ann.content.kind if ann.content else '-'}]"
    text = " ".join(text.split())
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"


def _when(ann: Announcement, context: BotContext) -> str:
    return short_wib(parse_iso(ann.sent_at), context.config.timezone) if ann.sent_at else "-"


def _counts(rows: list[Delivery]) -> tuple[int, int, int]:
    sent = sum(d.status == "sent" for d in rows)
    acked = sum(d.acked_at is not None for d in rows)
    return sent, len(rows), acked


async def _recent(context: BotContext) -> list[str]:
    recent = await announcements.recent(context.db)
    if not recent:
        return [texts.STATUS_NO_ANNOUNCEMENTS]
    lines = []
    for ann in recent:
        sent, total, acked = _counts(await announcements.deliveries(context.db, ann.id))
        lines.append(texts.status_recent_line(ann.id, _when(ann, context), _preview(ann), sent, total, acked))
    return lines


async def _detail(context: BotContext, announcement_id: int) -> list[str]:
    ann = await announcements.get(context.db, announcement_id)
    if ann is None or ann.sent_at is None:
        return [texts.STATUS_NOT_FOUND]
    rows = await announcements.deliveries(context.db, ann.id)
    sent, total, acked = _counts(rows)
    not_acked = [d.kecamatan_name for d in rows if d.status == "sent" and d.acked_at is None]
    failed = [(d.kecamatan_name, d.error or "") for d in rows if d.status == "failed"]
    pending = sum(d.status == "pending" for d in rows)
    return texts.status_detail(
        ann.id, _when(ann, context), _preview(ann), sent, total, acked, not_acked, failed, pending
    )
