"""Announcements in the outbox: what each group copy looks like, and the admin's progress message and report."""

from __future__ import annotations

import asyncio
import logging
import time

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, MessageEntity, MessageId
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError

from bot import texts
from bot.context import BotApplication
from bot.outbox_sender import Outgoing
from storage import announcements
from storage.announcements import Announcement, AnnStatus
from storage.db import Statement
from storage.outbox import OutboxRow

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 2.0  # seconds between progress edits: the admin sees movement without an edit per group


def ack_keyboard(announcement_id: int, label: str = texts.BUTTON_ACK) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=f"ack:{announcement_id}")]])


def render_announcement(ann: Announcement) -> Outgoing:
    assert ann.content is not None
    content = ann.content
    return Outgoing(
        text=content.text,
        kind=content.kind,
        entities=[MessageEntity.de_json(e, None) for e in content.entities] or None,
        file_id=content.file_id,
        reply_markup=ack_keyboard(ann.id),
    )


class AnnouncementKind:
    """Outbox rows of kind 'announcement': one group copy each; progress and the final report go to the admin."""

    def __init__(self, application: BotApplication) -> None:
        self.app = application
        self._cache: dict[int, Announcement] = {}
        self._last_edit: dict[int, float] = {}
        self._locks: dict[int, asyncio.Lock] = {}

    @property
    def db(self):  # type: ignore[no-untyped-def]
        return self.app.bot_data.db

    async def render(self, row: OutboxRow) -> Outgoing:
        ann = self._cache.get(row.ref_id) or await announcements.get(self.db, row.ref_id)
        assert ann is not None
        self._cache[row.ref_id] = ann
        return render_announcement(ann)

    def records(self, row: OutboxRow, message: Message | MessageId) -> list[Statement]:
        # Replies to this copy reach the bot under privacy mode and are relayed to Dinsos.
        return [announcements.anchor_statement(row, message.message_id, row.ref_id)]

    async def delivered(self, row: OutboxRow, message: Message | None) -> None:
        # Sends finish concurrently: one lock per announcement keeps a late progress edit from overwriting the
        # final report.
        async with self._lock(row.ref_id):
            if await announcements.is_sent_out(self.db, row.ref_id):
                await self._finish(row.ref_id)
            elif time.monotonic() - self._last_edit.get(row.ref_id, 0.0) >= PROGRESS_EVERY:
                self._last_edit[row.ref_id] = time.monotonic()
                await self._show_progress(row.ref_id)

    async def finish_sent_out(self) -> None:
        """Finish the announcements left sending with no row pending: a process killed after the last send, or a
        report that Telegram did not take, left them so."""
        for announcement_id in await announcements.sent_out(self.db):
            async with self._lock(announcement_id):
                # Asked again under the lock: a delivery may have finished it since the list was read.
                if await announcements.is_sent_out(self.db, announcement_id):
                    await self._finish(announcement_id)

    async def _finish(self, announcement_id: int) -> None:
        """The final report, then the done mark.

        In this order a process killed between the two leaves the announcement sending, and the next start edits
        the same report in again (Telegram answers "not modified"); done first would lose the report for good.
        """
        try:
            await self.report(announcement_id)
        except TelegramError as exc:
            # A timeout or a network error: still sending, so the sender's next idle moment tries again.
            logger.warning("Report of announcement %s not shown yet: %s", announcement_id, exc.message)
            return
        await announcements.mark_done(self.db, announcement_id, now=self.app.bot_data.clock.now())
        self._cache.pop(announcement_id, None)
        self._last_edit.pop(announcement_id, None)

    def _lock(self, announcement_id: int) -> asyncio.Lock:
        return self._locks.setdefault(announcement_id, asyncio.Lock())

    async def _show_progress(self, announcement_id: int) -> None:
        ann = await announcements.get(self.db, announcement_id)
        if ann is None or ann.status is not AnnStatus.SENDING:
            return
        rows = await announcements.deliveries(self.db, announcement_id)
        sent = sum(d.status == "sent" for d in rows)
        await self._edit(announcement_id, texts.ann_progress(announcement_id, sent, len(rows)))

    async def report(self, announcement_id: int) -> None:
        """The progress message becomes the final report: sent, failed with reasons, still pending."""
        rows = await announcements.deliveries(self.db, announcement_id)
        sent = sum(d.status == "sent" for d in rows)
        failed = [(d.kecamatan_name, d.error or "") for d in rows if d.status == "failed"]
        pending = sum(d.status == "pending" for d in rows)
        await self._edit(announcement_id, texts.ann_report(announcement_id, sent, len(rows), failed, pending))

    async def _edit(self, announcement_id: int, text: str) -> None:
        ann = await announcements.get(self.db, announcement_id)
        if ann is None or ann.progress_message_id is None:
            return
        try:
            await self.app.bot.edit_message_text(
                text, chat_id=ann.admin_id, message_id=ann.progress_message_id, parse_mode=ParseMode.HTML
            )
        except (BadRequest, Forbidden) as exc:
            # "message is not modified" between two equal counts, or the admin deleted the chat: not worth more.
            logger.info("Progress of announcement %s not shown: %s", announcement_id, exc.message)
