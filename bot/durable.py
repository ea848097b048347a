"""Updates survive a crash: written to SQLite before Telegram is told they arrived, marked done after handling.

python-telegram-bot tells Telegram it has a batch (the next getUpdates offset, or the webhook's 200 answer) as
soon as the updates are in its queue, before any handler ran; a crash then loses them for good. Here every
update is in the inbox table before the queue takes it, so both polling and webhooks confirm only what is on
disk: a getUpdates answer is stored whole, in one write, as it arrives (`InboxRequest`), and an update that
comes any other way (a webhook, a replay) is stored by the queue itself. `process_update` skips what was
already handled (a redelivery, or a replay that Telegram also sent again) and marks each update done, and
start-up replays whatever was accepted but never finished.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.ext import Application
from telegram.request import HTTPXRequest, RequestData

from bot.clock import Clock
from storage import inbox
from storage.db import Database

logger = logging.getLogger(__name__)


class DurableQueue(asyncio.Queue):  # type: ignore[type-arg]
    """The application's update queue: an Update is stored in the inbox before it is queued.

    If storing raises, the Updater does not advance its getUpdates offset (polling) and the webhook answers 500
    (webhooks), so Telegram keeps the update and sends it again.
    """

    def __init__(self) -> None:
        super().__init__()
        self._db: Database | None = None
        self._clock: Clock | None = None
        # Update ids queued and not yet handled: a replayed update that Telegram also sends again runs once.
        self._queued: set[int] = set()
        # Update id -> whether it needs handling, for the updates of a getUpdates answer already stored whole.
        self._stored: dict[int, bool] = {}

    def attach(self, db: Database, clock: Clock) -> None:
        self._db, self._clock = db, clock

    async def store(self, payloads: list[dict[str, Any]]) -> None:
        """A getUpdates answer into the inbox, in one write, before python-telegram-bot reads it."""
        if self._db is None or self._clock is None:
            return
        batch = [(p["update_id"], p) for p in payloads if isinstance(p, dict) and "update_id" in p]
        needed = await inbox.accept(self._db, batch, self._clock.now())
        self._stored.update((update_id, update_id in needed) for update_id, _ in batch)

    async def put(self, item: Any) -> None:
        if isinstance(item, Update) and self._db is not None and self._clock is not None:
            stored = self._stored.pop(item.update_id, None)
            if stored is None:  # not from getUpdates: a webhook's or a replayed update
                needed = await inbox.accept(self._db, [(item.update_id, item.to_dict())], self._clock.now())
                stored = item.update_id in needed
            if not stored or item.update_id in self._queued:
                logger.info("Update %s already handled or queued: not queued again", item.update_id)
                return
            self._queued.add(item.update_id)
        await super().put(item)

    def handled(self, update_id: int) -> None:
        self._queued.discard(update_id)


class InboxRequest(HTTPXRequest):
    """The connection getUpdates uses: each answer is stored in the inbox before python-telegram-bot reads it.

    The Updater advances its offset (which tells Telegram the updates arrived) only after this returns, so a
    failed write leaves the offset where it was and Telegram sends the batch again.
    """

    def __init__(self, queue: DurableQueue, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._queue = queue

    async def post(self, url: str, request_data: RequestData | None = None, *args: Any, **kwargs: Any) -> Any:
        result = await super().post(url, request_data, *args, **kwargs)
        if isinstance(result, list) and result and url.endswith("/getUpdates"):
            await self._queue.store(result)
        return result


class DurableApplication(Application):  # type: ignore[type-arg]
    """Handles each inbox update once and records that it did."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Called with each update id once it is fully handled; tests wait on it instead of sleeping.
        self.processed_hooks: list[Callable[[int], None]] = []

    async def process_update(self, update: object) -> None:
        db: Database | None = getattr(self.bot_data, "db", None)
        if not isinstance(update, Update) or db is None:
            await super().process_update(update)
            return
        # The queue already refused updates handled before (the inbox says so) or queued twice.
        try:
            await super().process_update(update)
        finally:
            # Even a handler that failed counts as handled: replaying a poison update forever helps no one,
            # and the error handler has already logged it and told the admins.
            await inbox.mark_processed(db, update.update_id, self.bot_data.clock.now())
            if isinstance(self.update_queue, DurableQueue):
                self.update_queue.handled(update.update_id)
        for hook in self.processed_hooks:
            hook(update.update_id)


async def replay_unfinished(application: Application, db: Database) -> int:  # type: ignore[type-arg]
    """Queue the updates a previous run accepted but did not finish; they run once the application starts."""
    pending = await inbox.unprocessed(db)
    for payload in pending:
        await application.update_queue.put(Update.de_json(payload, application.bot))
    if pending:
        logger.warning("Replaying %d update(s) left unfinished by the previous run", len(pending))
    return len(pending)


INBOX_RETENTION = timedelta(days=2)
