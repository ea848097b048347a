"""Backups, integrity and health figures: the SQL behind `python -m bot backup|restore|check` and /status_bot.

Database files other than the live connection (a backup copy, a staged restore, the database `check` looks at)
are opened with `mode=rw`: SQLite then never creates a missing file, and closing the last connection removes the
-wal/-shm files it made, where a read-only open of a WAL database would leave them behind.
"""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from storage.db import Database

SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Figures:
    pending_outbox: int
    schema_version: int | None


@dataclass(frozen=True)
class FileReport:
    """What a database file holds, as far as backups and restores care."""

    problems: list[str]  # PRAGMA integrity_check lines other than 'ok'; empty when the file is sound
    # Applied migrations {version: name}; None when the file has no schema_migrations table.
    migrations: dict[int, str] | None


async def figures(db: Database) -> Figures:
    """Messages still owed and the highest applied migration (forms being filled in: storage/xlsforms.py)."""
    async with db.read() as tx:
        pending = await tx.fetchval("SELECT COUNT(*) FROM outbox WHERE status = 'pending'")
        version = await tx.fetchval("SELECT MAX(version) FROM schema_migrations")
    return Figures(int(pending), version)


async def backup_to(db: Database, target: Path) -> None:
    """An online copy of the open database into the new file `target`, consistent as of one moment."""
    dest = await asyncio.to_thread(_create, target)
    try:
        # The bot shares one connection: holding its lock means no task has a transaction half-done on it, so
        # the single-step copy holds exactly what was committed (and no write waits longer than the copy).
        async with db.read():
            await db.conn.backup(dest, pages=-1)
        await asyncio.to_thread(_self_contained, dest)
    finally:
        await asyncio.to_thread(dest.close)


def _create(target: Path) -> sqlite3.Connection:
    if target.exists():
        raise FileExistsError(f"{target} already exists")
    # The copy is written from aiosqlite's worker thread.
    return sqlite3.connect(target, check_same_thread=False)


def _self_contained(dest: sqlite3.Connection) -> None:
    # The copied header says WAL; a rollback-journal file is one file that opens anywhere, and nothing appears
    # beside it when it is read. Restoring sets WAL again when the bot opens it.
    dest.execute("PRAGMA journal_mode=DELETE")


def inspect_file(path: Path) -> FileReport:
    """Integrity and applied migrations of a database file; sqlite3.DatabaseError if it is not a database."""
    with _open_rw(path) as conn:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall() if row[0] != "ok"]
        ledger = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        ).fetchone()
        if ledger is None:
            return FileReport(problems, None)
        rows = conn.execute("SELECT version, name FROM schema_migrations").fetchall()
    return FileReport(problems, {int(version): str(name) for version, name in rows})


def stored_region(path: Path) -> tuple[str, str] | None:
    """The (code, name) of the region a database file serves; None before its first start (or before 0023)."""
    with _open_rw(path) as conn:
        table = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'region'").fetchone()
        row = conn.execute("SELECT code, name FROM region WHERE id = 1").fetchone() if table else None
    return (str(row[0]), str(row[1])) if row else None


def has_sqlite_header(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC


def _open_rw(path: Path) -> closing[sqlite3.Connection]:
    """A connection to an existing file, closed on exit (sqlite3's own context manager only commits)."""
    return closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True))
