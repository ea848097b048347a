"""The outbox: one row per message owed to a group, so a crash or a Telegram error can neither lose nor double it."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.clock import iso, iso_ms
from storage.db import Database, Statement, Tx


@dataclass(frozen=True)
class OutboxRow:
    id: int
    kind: str
    ref_id: int
    recipient: str
    kecamatan_code: str
    chat_id: int
    payload: dict[str, Any] | None
    status: str
    attempts: int
    next_attempt_at: str
    message_id: int | None
    error: str | None
    sent_at: str | None


def _row(row: Any) -> OutboxRow:
    data = dict(row)
    data.pop("created_at", None)
    data["payload"] = json.loads(data["payload"]) if data["payload"] else None
    return OutboxRow(**data)


async def enqueue(
    tx: Tx,
    *,
    kind: str,
    ref_id: int,
    kecamatan_code: str,
    chat_id: int,
    now: datetime,
    payload: dict[str, Any] | None = None,
    recipient: str | None = None,
) -> bool:
    """Owe one message inside the caller's transaction; False if it was already owed (kind, ref, recipient).

    The recipient defaults to the kecamatan (its group); a Dinsos admin's copy passes 'admin:<id>'.
    """
    item = Owed(kind, ref_id, kecamatan_code, chat_id, payload or {}, recipient)
    return await tx.execute(*_enqueue_statement(item, now)) > 0


def _enqueue_statement(item: Owed, now: datetime) -> Statement:
    return (
        """INSERT OR IGNORE INTO outbox (kind, ref_id, recipient, kecamatan_code, chat_id, payload, status,
               next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)""",
        (
            item.kind, item.ref_id, item.recipient or item.kecamatan_code, item.kecamatan_code, item.chat_id,
            json.dumps(item.payload) if item.payload else None, iso_ms(now), iso(now),
        ),
    )  # fmt: skip


async def due(
    db: Database, now: datetime, *, limit: int, skip: set[int], skip_chats: Collection[int] = ()
) -> list[OutboxRow]:
    """Pending rows whose time has come, retries first, then oldest first, leaving out those being sent and
    those for `skip_chats` (chats with a send in flight: their rows must not crowd out every other chat's).

    A retry goes ahead of rows never tried: otherwise a group whose first send hit a 502 would wait behind
    every other group of a 1,000-group broadcast.
    """
    busy = sorted(skip_chats)
    async with db.read() as tx:
        rows = await tx.fetchall(
            f"""SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?
                AND chat_id NOT IN ({", ".join("?" * len(busy))})
                ORDER BY attempts = 0, next_attempt_at, id LIMIT ?""",
            (iso_ms(now), *busy, limit + len(skip)),
        )
    return [r for r in map(_row, rows) if r.id not in skip][:limit]


async def next_due_at(db: Database) -> str | None:
    """When the earliest pending row is due (ISO), or None when nothing is pending."""
    async with db.read() as tx:
        return await tx.fetchval("SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending'")


async def mark_sent(
    db: Database, row_id: int, *, message_id: int, now: datetime, then: list[Owed] | None = None,
    also: list[Statement] | None = None,
) -> None:  # fmt: skip
    """Record the row as sent; `then` (what must follow it, such as a relayed message after its header) is owed, and
    `also` (what the sent message must leave behind, such as a group copy's reply anchor) written, in the same
    write, so a crash between the two can lose neither."""
    sent = (
        "UPDATE outbox SET status = 'sent', message_id = ?, sent_at = ?, error = NULL WHERE id = ?",
        (message_id, iso(now), row_id),
    )
    await db.write_all([sent, *(_enqueue_statement(item, now) for item in then or []), *(also or [])])


async def mark_failed(db: Database, row_id: int, *, error: str) -> None:
    await db.write_one("UPDATE outbox SET status = 'failed', error = ? WHERE id = ?", (error, row_id))


async def retry_later(db: Database, row_id: int, *, at: datetime, error: str, count_attempt: bool = True) -> int:
    """Keep the row pending until `at`; returns the attempts made so far."""
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE outbox SET next_attempt_at = ?, error = ?, attempts = attempts + ? WHERE id = ?",
            (iso_ms(at), error, 1 if count_attempt else 0, row_id),
        )
        return int(await tx.fetchval("SELECT attempts FROM outbox WHERE id = ?", (row_id,)))


async def follow_migration(db: Database, old_chat_id: int, new_chat_id: int) -> None:
    """Rows and anchors owed to an upgraded group now go to its supergroup."""
    async with db.transaction() as tx:
        await tx.execute("UPDATE outbox SET chat_id = ? WHERE chat_id = ?", (new_chat_id, old_chat_id))
        await tx.execute("UPDATE group_anchor SET chat_id = ? WHERE chat_id = ?", (new_chat_id, old_chat_id))
        await tx.execute("UPDATE admin_relay SET chat_id = ? WHERE chat_id = ?", (new_chat_id, old_chat_id))


@dataclass(frozen=True)
class Owed:
    """A message to write into the outbox together with the change that makes it owed."""

    kind: str
    ref_id: int
    kecamatan_code: str
    chat_id: int
    payload: dict[str, Any]
    recipient: str | None = None


async def enqueue_all(tx: Tx, owed: list[Owed], now: datetime) -> None:
    for item in owed:
        await enqueue(
            tx, kind=item.kind, ref_id=item.ref_id, kecamatan_code=item.kecamatan_code, chat_id=item.chat_id,
            now=now, payload=item.payload, recipient=item.recipient,
        )  # fmt: skip


async def retry_failed_for(db: Database, recipient: str, now: datetime, *, except_kinds: tuple[str, ...] = ()) -> int:
    """Send again what failed for this recipient (an admin who had not opened the bot yet); returns how many.

    'admin:<id>:2' and the like (the second part of a long digest) are the same person's too."""
    async with db.transaction() as tx:
        return await tx.execute(
            f"""UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, error = NULL
                WHERE (recipient = ? OR substr(recipient, 1, ?) = ?) AND status = 'failed'
                  AND kind NOT IN ({", ".join("?" * len(except_kinds))})""",
            (iso_ms(now), recipient, len(recipient) + 1, f"{recipient}:", *except_kinds),
        )


async def owe(db: Database, owed: list[Owed], now: datetime, *, again: bool = False) -> None:
    """Queue messages in a transaction of their own (what is owed is already stored elsewhere).

    With `again`, a message that failed for good before (its person had not opened the bot) is owed anew.
    """
    async with db.transaction() as tx:
        await enqueue_all(tx, owed, now)
        if not again:
            return
        for item in owed:
            await tx.execute(
                """UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, error = NULL, payload = ?
                   WHERE kind = ? AND ref_id = ? AND recipient = ? AND status = 'failed'""",
                (iso_ms(now), json.dumps(item.payload), item.kind, item.ref_id, item.recipient or item.kecamatan_code),
            )


async def owe_numbered(db: Database, kind: str, messages: list[tuple[int, dict[str, Any]]], now: datetime) -> int:
    """Queue (chat id, payload) messages that refer to nothing stored, under a fresh ref_id of `kind`; returns it."""
    async with db.transaction() as tx:
        ref = int(await tx.fetchval("SELECT COALESCE(MAX(ref_id), 0) + 1 FROM outbox WHERE kind = ?", (kind,)))
        # Every row names a kecamatan (a foreign key); a message about none of them (an error alert) files under the
        # region's first.
        first = await tx.fetchval("SELECT MIN(code) FROM kecamatan")
        for chat_id, payload in messages:
            await enqueue(
                tx, kind=kind, ref_id=ref, kecamatan_code=first, chat_id=chat_id, now=now, payload=payload,
                recipient=f"chat:{chat_id}",
            )  # fmt: skip
    return ref


async def owe_relay(
    db: Database, kind: str, *, kecamatan_code: str, source: tuple[int, int],
    messages: list[tuple[int, str, dict[str, Any]]], now: datetime,
) -> bool:  # fmt: skip
    """Queue the relay of one message (source: its chat id and message id) as (chat id, recipient, payload) rows
    under a fresh ref_id of `kind`; False, and nothing queued, when that message was relayed before.

    The check and the queueing are one write: an update replayed after a crash, or a second tap, relays nothing new.
    """
    from_chat, from_message = source
    async with db.transaction() as tx:
        seen = await tx.fetchval(
            """SELECT 1 FROM outbox WHERE kind = ? AND json_extract(payload, '$.from_chat') = ?
               AND json_extract(payload, '$.from_message') = ? LIMIT 1""",
            (kind, from_chat, from_message),
        )
        if seen is not None:
            return False
        ref = int(await tx.fetchval("SELECT COALESCE(MAX(ref_id), 0) + 1 FROM outbox WHERE kind = ?", (kind,)))
        for chat_id, recipient, payload in messages:
            await enqueue(
                tx, kind=kind, ref_id=ref, kecamatan_code=kecamatan_code, chat_id=chat_id, now=now,
                payload={**payload, "from_chat": from_chat, "from_message": from_message}, recipient=recipient,
            )  # fmt: skip
    return True
