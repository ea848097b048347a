"""Groups the bot has been in: title, the bot's membership, and where an upgraded group went."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.clock import iso
from storage.db import Database


@dataclass(frozen=True)
class Chat:
    chat_id: int
    type: str
    title: str
    bot_status: str
    migrated_to: int | None
    updated_at: str


async def record(db: Database, *, chat_id: int, type: str, title: str, bot_status: str, now: datetime) -> None:
    """Upsert what the bot knows about a group after a membership change."""
    async with db.transaction() as tx:
        await tx.execute(
            """INSERT INTO chat (chat_id, type, title, bot_status, updated_at) VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (chat_id) DO UPDATE SET type = excluded.type, title = excluded.title,
                   bot_status = excluded.bot_status, updated_at = excluded.updated_at""",
            (chat_id, type, title, bot_status, iso(now)),
        )


async def record_migration(db: Database, *, old_chat_id: int, new_chat_id: int, title: str, now: datetime) -> None:
    """The old group is gone for good; the supergroup takes over its title and the bot's membership."""
    async with db.transaction() as tx:
        old = await tx.fetchone("SELECT bot_status FROM chat WHERE chat_id = ?", (old_chat_id,))
        bot_status = old["bot_status"] if old else "member"
        await tx.execute(
            """INSERT INTO chat (chat_id, type, title, bot_status, updated_at) VALUES (?, 'supergroup', ?, ?, ?)
               ON CONFLICT (chat_id) DO UPDATE SET type = 'supergroup', updated_at = excluded.updated_at""",
            (new_chat_id, title, bot_status, iso(now)),
        )
        await tx.execute(
            """INSERT INTO chat (chat_id, type, title, bot_status, migrated_to, updated_at)
               VALUES (?, 'group', ?, 'migrated', ?, ?)
               ON CONFLICT (chat_id) DO UPDATE SET bot_status = 'migrated', migrated_to = excluded.migrated_to,
                   updated_at = excluded.updated_at""",
            (old_chat_id, title, new_chat_id, iso(now)),
        )


async def get(db: Database, chat_id: int) -> Chat | None:
    async with db.read() as tx:
        row = await tx.fetchone("SELECT * FROM chat WHERE chat_id = ?", (chat_id,))
    return None if row is None else Chat(**dict(row))


async def rename(db: Database, chat_id: int, title: str, *, now: datetime) -> None:
    async with db.transaction() as tx:
        await tx.execute("UPDATE chat SET title = ?, updated_at = ? WHERE chat_id = ?", (title, iso(now), chat_id))
