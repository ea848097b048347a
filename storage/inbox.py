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
    async with db.transaction() as tx:
        for update_id, payload in updates:
            await tx.execute(
                "INSERT OR IGNORE INTO update_inbox (update_id, payload, received_at) VALUES (?, ?, ?)",
                (update_id, json.dumps(payload, ensure_ascii=False), iso(now)),
            )
        marks = ",".join("?" * len(updates))
        rows = await tx.fetchall(
            f"SELECT update_id FROM update_inbox WHERE update_id IN ({marks}) AND processed_at IS NULL",
            [u for u, _ in updates],
        )
    return {r["update_id"] for r in rows}


async def unprocessed(db: Database) -> list[dict[str, Any]]:
    """Updates accepted earlier but never finished (the process died), oldest first."""
    async with db.read() as tx:
        rows = await tx.fetchall("SELECT payload FROM update_inbox WHERE processed_at IS NULL ORDER BY update_id")
    return [json.loads(r["payload"]) for r in rows]


async def mark_processed(db: Database, update_id: int, now: datetime) -> None:
    async with db.transaction() as tx:
        await tx.execute("UPDATE update_inbox SET processed_at = ? WHERE update_id = ?", (iso(now), update_id))


async def prune(db: Database, before: datetime) -> int:
    """Forget processed updates older than `before`; Telegram never redelivers past 24 hours."""
    async with db.transaction() as tx:
        return await tx.execute(
            "DELETE FROM update_inbox WHERE processed_at IS NOT NULL AND processed_at < ?", (iso(before),)
        )
