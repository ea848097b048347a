"""People who opened a private chat with the bot; Telegram answers 403 to private messages for anyone else."""

from __future__ import annotations

from datetime import datetime

from bot.clock import iso
from storage.db import Database


async def record_private_contact(
    db: Database, *, user_id: int, first_name: str, username: str | None, now: datetime
) -> None:
    """The person wrote to the bot in private: from now on the bot may write to them."""
    await db.write_one(
        """INSERT INTO person (user_id, first_name, username, started_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (user_id) DO UPDATE SET first_name = excluded.first_name,
               username = excluded.username, started_at = COALESCE(person.started_at, excluded.started_at),
               blocked_at = NULL""",
        (user_id, first_name, username, iso(now)),
    )


async def record_blocked(db: Database, *, user_id: int, now: datetime) -> None:
    await db.write_one("UPDATE person SET blocked_at = ? WHERE user_id = ?", (iso(now), user_id))
