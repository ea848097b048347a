"""Sudah dibaca: a group acknowledges an announcement once; groups that have not get one nudge after a while."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot import texts
from bot.access import display_name
from bot.context import BotApplication, BotContext
from bot.outbox_sender import Outgoing
from bot.sending import edit_markup
from handlers.ann_delivery import ack_keyboard
from storage import announcements
from storage.announcements import AckResult
from storage.outbox import OutboxRow

logger = logging.getLogger(__name__)

ACK_PATTERN = r"^ack:(\d{1,12})$"
NUDGE_JOB = "announcement-ack-nudge"
NUDGE_CHECK_EVERY = timedelta(minutes=15)


async def acknowledge(update: Update, context: BotContext) -> None:
    """The first press per kecamatan is recorded; later presses, other chats and forged ids change nothing."""
    query = update.callback_query
    assert query is not None and query.data is not None
    message = query.message
    if message is None:
        await query.answer(texts.BUTTON_EXPIRED, show_alert=True)
        return
    announcement_id = int(query.data.split(":")[1])
    name = display_name(query.from_user)
    result, first = await announcements.acknowledge(
        context.db, announcement_id, chat_id=message.chat.id, user_id=query.from_user.id, user_name=name,
        now=context.now(),
    )  # fmt: skip
    if result is AckResult.NOT_HERE:
        await query.answer(texts.ACK_NOT_HERE, show_alert=True)
        return
    if result is AckResult.ALREADY:
        await query.answer(texts.ack_already(first or ""))
        return
    await query.answer(texts.ACK_THANKS)
    try:
        await edit_markup(query, ack_keyboard(announcement_id, texts.ack_button_done(name)))
    except BadRequest as exc:
        logger.info("Could not mark announcement %s as read in %s: %s", announcement_id, message.chat.id, exc.message)


async def queue_due_nudges(context: BotContext) -> None:
    """Job: owe a nudge to each group that has not acknowledged within ACK_REMINDER_HOURS (once per group)."""
    now = context.now()
    cutoff = now - timedelta(hours=context.config.ack_reminder_hours)
    queued = await announcements.queue_nudges(context.db, sent_before=cutoff, now=now)
    if queued:
        logger.info("Queued %d acknowledgement nudge(s)", queued)
        context.sender.wake()


class NudgeKind:
    """Outbox rows of kind 'nudge': a polite reply to the announcement copy that was not acknowledged."""

    def __init__(self, application: BotApplication) -> None:
        self.app = application

    async def render(self, row: OutboxRow) -> Outgoing:
        reply_to = (row.payload or {}).get("reply_to")
        return Outgoing(text=texts.ann_nudge(texts.BUTTON_ACK), parse_mode=ParseMode.HTML, reply_to=reply_to)

    async def delivered(self, row: OutboxRow, message: Message | None) -> None:
        return None
