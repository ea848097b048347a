"""The one sender that drains the outbox: paced by the bot's FloodLimiter, retrying what Telegram did not take.

Each row is sent at most once successfully: it is marked sent right after Telegram answers with the message, and
only pending rows are ever picked up. One row per chat is in flight at a time: a chat's messages arrive in the order
they were queued, and fifty report copies waiting for one admin's one-a-second pace hold one of the sender's slots,
not all of them, so every other chat keeps its pace. If the process dies between Telegram's answer and that write,
the next run sends the row again; those in-flight sends (at most `concurrency`) are the only possible duplicates.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol, runtime_checkable

from telegram import InlineKeyboardMarkup, InputMediaPhoto, Message, MessageEntity, MessageId, ReplyParameters
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError
from telegram.ext import ExtBot

from bot.clock import Clock, parse_iso
from storage import outbox
from storage.db import Database, Statement
from storage.outbox import OutboxRow

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 15
FIRST_BACKOFF = timedelta(milliseconds=100)  # a 5xx is usually gone a moment later
MAX_BACKOFF = timedelta(minutes=5)  # 15 attempts span about 22 minutes: a short Telegram outage
IDLE_RECHECK = 60.0  # seconds; a safety net, every new row also wakes the sender


@dataclass(frozen=True)
class Outgoing:
    """One message as the sender will put it into a chat."""

    text: str
    kind: str = "text"  # text, photo, document, album, copy
    entities: list[MessageEntity] | None = None
    parse_mode: str | None = None
    file_id: str | None = None
    album: tuple[str, ...] = ()  # photo file ids, for kind album (2-10; one photo goes as a photo)
    reply_markup: InlineKeyboardMarkup | None = None
    reply_to: int | None = None
    copy_of: tuple[int, int] | None = None  # (chat id, message id) of the message a kind "copy" copies


class OutboxKind(Protocol):
    """What a kind of outbox row (announcement, nudge, reminder) contributes: its message and its follow-up."""

    async def render(self, row: OutboxRow) -> Outgoing: ...

    async def delivered(self, row: OutboxRow, message: Message | MessageId | None) -> None:
        """Called after the row was sent (message) or failed for good (None)."""
        ...


@runtime_checkable
class Chained(Protocol):
    """A kind whose message, once sent, owes the next one (written in the same transaction as "sent")."""

    def then(self, row: OutboxRow, message: Message | MessageId) -> list[outbox.Owed]: ...


@runtime_checkable
class Recording(Protocol):
    """A kind whose sent message leaves something behind (a group copy's reply anchor), written with "sent"."""

    def records(self, row: OutboxRow, message: Message | MessageId) -> list[Statement]: ...


@runtime_checkable
class Finishing(Protocol):
    """A kind that owes a last step once none of its rows is pending (an announcement's report and done mark).

    The sender asks for it at every start and whenever it runs out of work: a process killed between the last
    send and that step, or a step Telegram did not take, is finished then instead of never.
    """

    async def finish_sent_out(self) -> None: ...


def backoff(attempts: int) -> timedelta:
    """0.1 s, 0.2 s, 0.4 s, ... up to 5 minutes, after the attempts made so far."""
    return min(FIRST_BACKOFF * 2**attempts, MAX_BACKOFF)


@dataclass
class OutboxSender:
    bot: ExtBot[None]
    db: Database
    clock: Clock
    kinds: dict[str, OutboxKind]
    # Called when a group upgraded to a supergroup (old id, new id) or threw the bot out (chat id).
    on_migrated: Callable[[int, int], Awaitable[None]]
    on_chat_gone: Callable[[int], Awaitable[None]]
    concurrency: int = 8
    _wake: asyncio.Event = field(default_factory=asyncio.Event)
    _settled: asyncio.Event = field(default_factory=asyncio.Event)
    _in_flight: set[int] = field(default_factory=set)
    _busy_chats: set[int] = field(default_factory=set)
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)
    _loop_task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._slots = asyncio.Semaphore(self.concurrency)
        self._loop_task = asyncio.create_task(self._run(), name="outbox-sender")

    def wake(self) -> None:
        """New rows were written, or the clock moved: look again now."""
        self._settled.clear()
        self._wake.set()

    async def settled(self) -> None:
        """Wait until nothing is in flight and nothing pending is due (what is left waits for its retry time)."""
        await self._settled.wait()

    async def stop(self) -> None:
        """Stop taking rows, and let the sends already in flight finish and record their result."""
        if self._loop_task is not None:
            self._loop_task.cancel()
            await asyncio.gather(self._loop_task, return_exceptions=True)
            self._loop_task = None
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=30)
        # Still waiting after that (a long flood wait): their rows stay pending and go out at the next start.
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _run(self) -> None:
        # Before the first row: an announcement a killed process left unfinished is not kept waiting by a backlog.
        await self._finish_sent_out()
        while True:
            self._wake.clear()
            rows = await outbox.due(
                self.db, self.clock.now(), limit=self.concurrency * 4, skip=self._in_flight, skip_chats=self._busy_chats
            )
            if not rows:
                await self._idle()
                continue
            await self._spawn(rows)

    async def _spawn(self, rows: list[OutboxRow]) -> None:
        for row in rows:
            if row.chat_id in self._busy_chats:
                continue  # its chat's earlier row is still going out; this one is picked up after it
            await self._slots.acquire()
            self._in_flight.add(row.id)
            self._busy_chats.add(row.chat_id)
            task = asyncio.create_task(self._deliver(row), name=f"outbox-{row.id}")
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _idle(self) -> None:
        """Sleep until woken, or until the earliest retry is due."""
        timeout = IDLE_RECHECK
        if not self._in_flight:
            await self._finish_sent_out()
            if not self._wake.is_set():  # a wake since our last look means there may be new work
                self._settled.set()
            next_at = await outbox.next_due_at(self.db)
            if next_at is not None:
                timeout = min(IDLE_RECHECK, max(0.0, (parse_iso(next_at) - self.clock.now()).total_seconds()))
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=timeout)
        except TimeoutError:
            pass

    async def _finish_sent_out(self) -> None:
        for handler in {id(kind): kind for kind in self.kinds.values()}.values():
            if not isinstance(handler, Finishing):
                continue
            try:
                await handler.finish_sent_out()
            except Exception:
                # This loop carries every message the bot owes: a bug in one kind's last step must not stop it.
                logger.exception("Finishing sent-out rows of %s failed", type(handler).__name__)

    async def _deliver(self, row: OutboxRow) -> None:
        try:
            await self._attempt(row)
        finally:
            self._in_flight.discard(row.id)
            self._busy_chats.discard(row.chat_id)
            self._slots.release()
            self.wake()

    async def _attempt(self, row: OutboxRow) -> None:
        handler = self.kinds[row.kind]
        try:
            message = await self._send(row.chat_id, await handler.render(row))
        except ChatMigrated as exc:
            # Not a failure: the same message goes to the supergroup on the next pass.
            await self.on_migrated(row.chat_id, exc.new_chat_id)
        except RetryAfter as exc:
            # The bot's FloodLimiter waits out a 429 itself; this is for a bot built without it.
            await outbox.retry_later(
                self.db, row.id, at=self.clock.now() + _delta(exc.retry_after), error=str(exc), count_attempt=False
            )
        except (Forbidden, BadRequest) as exc:
            # Final answers: the bot is out of the group, or the request itself is wrong; repeating won't help.
            logger.warning("Outbox row %s to %s failed: %s", row.id, row.chat_id, exc.message)
            await outbox.mark_failed(self.db, row.id, error=exc.message)
            if isinstance(exc, Forbidden) and row.chat_id < 0:
                # Out of a group; a person who never opened or blocked the bot is not a lost group.
                await self.on_chat_gone(row.chat_id)
            await handler.delivered(row, None)
        except TelegramError as exc:
            # 5xx, timeouts, connection errors (NetworkError) and the rest: Telegram may take it next time.
            await self._retry(row, handler, exc.message)
        except Exception as exc:
            # A bug in a renderer must not spin the loop on the same row forever: log it, back off, give up.
            logger.exception("Outbox row %s could not be sent", row.id)
            await self._retry(row, handler, f"kesalahan internal: {type(exc).__name__}")
        else:
            # A kind may owe what must follow this message (a relayed copy after its header): see Chained.
            then = handler.then(row, message) if isinstance(handler, Chained) else []
            also = handler.records(row, message) if isinstance(handler, Recording) else []
            await outbox.mark_sent(
                self.db, row.id, message_id=message.message_id, now=self.clock.now(), then=then, also=also
            )
            await handler.delivered(row, message)

    async def _retry(self, row: OutboxRow, handler: OutboxKind, error: str) -> None:
        attempts = await outbox.retry_later(self.db, row.id, at=self.clock.now() + backoff(row.attempts), error=error)
        logger.info("Outbox row %s to %s: attempt %d failed (%s)", row.id, row.chat_id, attempts, error)
        if attempts >= MAX_ATTEMPTS:
            await outbox.mark_failed(self.db, row.id, error=f"{error} (setelah {attempts} percobaan)")
            await handler.delivered(row, None)

    async def _send(self, chat_id: int, out: Outgoing) -> Message | MessageId:
        common: dict[str, Any] = {"reply_markup": out.reply_markup, "parse_mode": out.parse_mode}
        if out.reply_to is not None:
            common["reply_parameters"] = ReplyParameters(out.reply_to, allow_sending_without_reply=True)
        if out.kind == "copy":
            assert out.copy_of is not None
            return await self.bot.copy_message(chat_id, *out.copy_of, **common)
        if out.kind == "album" and len(out.album) > 1:
            media = [InputMediaPhoto(file_id) for file_id in out.album[:10]]
            messages = await self.bot.send_media_group(chat_id, media, caption=out.text or None)
            return messages[0]
        if out.kind == "album":
            return await self.bot.send_photo(chat_id, out.album[0], caption=out.text or None)
        if out.kind == "photo":
            return await self.bot.send_photo(
                chat_id, out.file_id, caption=out.text, caption_entities=out.entities, **common
            )
        if out.kind == "document":
            return await self.bot.send_document(
                chat_id, out.file_id, caption=out.text, caption_entities=out.entities, **common
            )
        return await self.bot.send_message(chat_id, out.text, entities=out.entities, **common)


def _delta(retry_after: Any) -> timedelta:
    return retry_after if isinstance(retry_after, timedelta) else timedelta(seconds=float(retry_after))


class PayloadKind:
    """Rows whose message was fully written at enqueue time: {"text", "parse_mode"?, "album"?, "reply_markup"?}."""

    async def render(self, row: OutboxRow) -> Outgoing:
        payload = row.payload or {}
        album = tuple(payload.get("album") or ())
        markup = payload.get("reply_markup")
        return Outgoing(
            text=payload.get("text", ""),
            kind="album" if album else "text",
            album=album,
            parse_mode=payload.get("parse_mode"),
            reply_markup=InlineKeyboardMarkup.de_json(markup, None) if markup else None,
        )

    async def delivered(self, row: OutboxRow, message: Message | None) -> None:
        return None
