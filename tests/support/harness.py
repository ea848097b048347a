"""Runs the real bot (build_application, real HTTP) against the fake Telegram server, with a clock we set."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.app import ALLOWED_UPDATES, build_application
from bot.config import Config
from bot.context import BotApplication
from bot.ratelimit import FloodLimiter
from tests.support import flood

WIB = ZoneInfo("Asia/Jakarta")


class FakeClock:
    """A clock that moves only when a test says so."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Senin, 23 November 2026, 09.00 WIB

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta

    def set(self, moment: datetime) -> None:
        self._now = moment.astimezone(UTC)


class VirtualTime:
    """Monotonic seconds that pass only when a test says so, shared by the fake server and the bot's pacing."""

    def __init__(self, *, passes_by_itself: float = 0.1) -> None:
        self._now = 1000.0
        self._by_itself = passes_by_itself
        self._moved = asyncio.Condition()
        self._waiting: list[float] = []  # targets of the sleeps that wait for the test

    def __call__(self) -> float:
        return self._now

    async def sleep(self, seconds: float) -> None:
        """Waits under a tenth of a second (the pacer's spacing between sends) pass by themselves; longer ones
        (a chat's pace, a group's window) wait for the test to advance the time."""
        target = self._now + seconds
        if seconds < self._by_itself:
            # To the target, not by the wait: fifty senders waiting out the same spacing move time once.
            await self.advance(max(0.0, target - self._now))
            return
        self._waiting.append(target)
        try:
            async with self._moved:
                await self._moved.wait_for(lambda: self._now >= target)
        finally:
            self._waiting.remove(target)

    def next_wake(self) -> float | None:
        """Seconds until the earliest sleep that waits for the test ends (None: nobody waits)."""
        return min(self._waiting) - self._now if self._waiting else None

    async def advance(self, seconds: float) -> None:
        self._now += seconds
        async with self._moved:
            self._moved.notify_all()


class BotHarness:
    """The bot as `python -m bot` runs it: initialize, post_init, polling, start; and the reverse to stop."""

    def __init__(self, config: Config, clock: FakeClock, rate_limiter: FloodLimiter | None = None) -> None:
        self.config = config
        self.clock = clock
        self.rate_limiter = rate_limiter
        self.app: BotApplication | None = None
        self._processed: set[int] = set()
        self._changed = asyncio.Condition()

    async def start(self) -> None:
        # Tests start a fresh fake server for each bot, so there is no previous process's second to wait out.
        # Simulated people answer at machine speed, which no person does: a private chat gets the fake's own burst
        # (20) rather than the bot's 10, so a conversation test is not paced in real seconds. The bot's own burst
        # and the one-a-second pace are tested on virtual time (tests/test_flood.py) and in bench/burst.py.
        limiter = self.rate_limiter or FloodLimiter(
            pacing=self.config.flood_pacing, quiet_start=0.0, private_burst=flood.PRIVATE_BURST
        )
        app = build_application(self.config, clock=self.clock, rate_limiter=limiter)
        app.processed_hooks.append(self._on_processed)
        await app.initialize()
        if app.post_init is not None:
            await app.post_init(app)
        assert app.updater is not None
        await app.updater.start_polling(timeout=timedelta(seconds=5), allowed_updates=ALLOWED_UPDATES)
        await app.start()
        self.app = app

    async def stop(self) -> None:
        app, self.app = self.app, None
        if app is None:
            return
        assert app.updater is not None
        await app.updater.stop()
        await app.stop()
        if app.post_stop is not None:
            await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    def _on_processed(self, update_id: int) -> None:
        self._processed.add(update_id)

        async def notify() -> None:
            async with self._changed:
                self._changed.notify_all()

        asyncio.get_running_loop().create_task(notify())

    async def handled(self, *updates: dict[str, Any] | None, within: float = 10.0) -> None:
        """Wait until the bot has finished handling these updates (None entries were never delivered)."""
        wanted = {u["update_id"] for u in updates if u is not None}

        async def done() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: wanted <= self._processed)

        await asyncio.wait_for(done(), within)

    @property
    def db(self):  # type: ignore[no-untyped-def]
        assert self.app is not None and self.app.bot_data.db is not None
        return self.app.bot_data.db


def make_config(api_url: str, token: str, db_path: Path, admin_ids: set[int], **changes: Any) -> Config:
    config = Config(
        bot_token=token,
        telegram_api_url=api_url,
        admin_ids=frozenset(admin_ids),
        database_path=db_path,
        timezone=WIB,
        log_level="INFO",
        # Beside the test's database, never the working tree's data/backups (the daily job runs on real time).
        backup_dir=db_path.parent / "backups",
    )
    return replace(config, **changes)
