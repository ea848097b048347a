"""The durable inbox: updates are written here before Telegram is told they arrived, and replayed after a crash."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.clock import iso
from storage.db import Database


async def accept(db: Database, updates: list[tuple[int, dict[str, Any]]], now: datetime) -> set[int]:
    """Store new updates; return the ids that still need processing (a redelivered, done update is not).

    One statement for the whole batch (a getUpdates answer holds up to 100), committed with whatever else is
    waiting: the batch costs one write, however many updates it has.
    """
    if not updates:
        return set()
    received = iso(now)
    rows = ", ".join("(?, ?, ?)" for _ in updates)
    params = [
        v for update_id, payload in updates for v in (update_id, json.dumps(payload, ensure_ascii=False), received)
    ]
    # RETURNING answers only for new rows; an id seen before needs a look at whether it was handled.
    stored = await db.write_returning(
        f"""INSERT INTO update_inbox (update_id, payload, received_at) VALUES {rows}
            ON CONFLICT (update_id) DO NOTHING RETURNING update_id""",
        params,
    )
    needed = {row[0] for row in stored}
    seen_before = [update_id for update_id, _ in updates if update_id not in needed]
    if seen_before:
        marks = ", ".join("?" for _ in seen_before)
        async with db.read() as tx:
            unfinished = await tx.fetchall(
                f"SELECT update_id FROM update_inbox WHERE processed_at IS NULL AND update_id IN ({marks})",
                seen_before,
            )
        needed |= {row[0] for row in unfinished}
    return needed


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
