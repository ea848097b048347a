"""The durable inbox: updates are written here before Telegram is told they arrived, and replayed after a crash."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.clock import iso
from storage.db import Database


async def accept(db: Database, updates: list[tuple[int, dict[str, Any]]], now: datetime) -> set[int]:
    """Store new updates; return the ids that still need processing (a redelivered, done update is not)."""
    if not updates:
        return set()
    if len(updates) == 1:
        return await _accept_one(db, *updates[0], now)
    needed: set[int] = set()
    async with db.transaction() as tx:
        for update_id, payload in updates:
            # RETURNING answers only for a new row; an id seen before needs a look at whether it was handled.
            stored = await tx.fetchone(
                """INSERT INTO update_inbox (update_id, payload, received_at) VALUES (?, ?, ?)
                   ON CONFLICT (update_id) DO NOTHING RETURNING update_id""",
                (update_id, json.dumps(payload, ensure_ascii=False), iso(now)),
            )
            if stored is not None or not await tx.fetchval(
                "SELECT processed_at FROM update_inbox WHERE update_id = ?", (update_id,)
            ):
                needed.add(update_id)
    return needed


async def _accept_one(db: Database, update_id: int, payload: dict[str, Any], now: datetime) -> set[int]:
    """accept() for one update (each polled update arrives alone): the insert is its own transaction."""
    stored = await db.write_returning(
        """INSERT INTO update_inbox (update_id, payload, received_at) VALUES (?, ?, ?)
           ON CONFLICT (update_id) DO NOTHING RETURNING update_id""",
        (update_id, json.dumps(payload, ensure_ascii=False), iso(now)),
    )
    if stored:
        return {update_id}
    async with db.read() as tx:
        done = await tx.fetchval("SELECT processed_at FROM update_inbox WHERE update_id = ?", (update_id,))
    return set() if done else {update_id}


async def unprocessed(db: Database) -> list[dict[str, Any]]:
    """Updates accepted earlier but never finished (the process died), oldest first."""
    async with db.read() as tx:
        rows = await tx.fetchall("SELECT payload FROM update_inbox WHERE processed_at IS NULL ORDER BY update_id")
    return [json.loads(r["payload"]) for r in rows]


async def mark_processed(db: Database, update_id: int, now: datetime) -> None:
    await db.write_one("UPDATE update_inbox SET processed_at = ? WHERE update_id = ?", (iso(now), update_id))


async def prune(db: Database, before: datetime) -> int:
    """Forget processed updates older than `before`; Telegram never redelivers past 24 hours."""
    async with db.transaction() as tx:
        return await tx.execute(
            "DELETE FROM update_inbox WHERE processed_at IS NOT NULL AND processed_at < ?", (iso(before),)
        )
