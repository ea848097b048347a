"""Scheduled program kerja runs (the monthly "Program bulan ini"): each is claimed once, with its messages."""

from __future__ import annotations

from datetime import datetime

from bot.clock import iso
from storage import outbox
from storage.db import Database


async def has_run(db: Database, key: str) -> bool:
    async with db.read() as tx:
        return bool(await tx.fetchval("SELECT 1 FROM plan_schedule_run WHERE key = ?", (key,)))


async def claim(db: Database, key: str, now: datetime, owed: list[outbox.Owed]) -> bool:
    """Record that the run `key` happened, owing its messages in the same write; False if it had run."""
    async with db.transaction() as tx:
        claimed = await tx.execute("INSERT OR IGNORE INTO plan_schedule_run (key, ran_at) VALUES (?, ?)",
                                   (key, iso(now)))  # fmt: skip
        if not claimed:
            return False
        await outbox.enqueue_all(tx, owed, now)
    return True
