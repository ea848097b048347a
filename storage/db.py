"""The one SQLite connection: WAL, foreign keys, and writes serialised through `transaction()`."""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

logger = logging.getLogger(__name__)

# Set while the current task holds the lock, so a nested transaction() fails loudly instead of deadlocking.
_holding: contextvars.ContextVar[bool] = contextvars.ContextVar("db_holding", default=False)


class Tx:
    """Statements run inside one `transaction()` or `read()` block.

    Each aiosqlite call is a round trip to its worker thread, so every statement here costs one: fetches use
    execute_fetchall, and cursors are left to the garbage collector rather than closed with a second trip
    (a finished sqlite3 cursor holds nothing that matters).
    """

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> int:
        """Run one statement; return how many rows it changed (0 for an ignored INSERT OR IGNORE)."""
        cursor = await self._conn.execute(sql, params)
        return cursor.rowcount

    async def insert(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> int:
        """Run one INSERT that must add a row; return its row id."""
        cursor = await self._conn.execute(sql, params)
        if cursor.rowcount != 1 or cursor.lastrowid is None:
            raise RuntimeError(f"INSERT added {cursor.rowcount} rows: {sql[:60]!r}")
        return cursor.lastrowid

    async def fetchall(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> list[aiosqlite.Row]:
        return list(await self._conn.execute_fetchall(sql, params))

    async def fetchone(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> aiosqlite.Row | None:
        rows = await self._conn.execute_fetchall(sql, params)
        return next(iter(rows), None)

    async def fetchval(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]


class Database:
    """One connection for the whole bot (SQLite has one writer anyway); an asyncio lock orders its users."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self._conn: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()

    async def open(self) -> None:
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN IMMEDIATE ourselves, so the write lock is taken at the
        # start of a transaction rather than at its first write (which could fail with SQLITE_BUSY mid-way).
        self._conn = await aiosqlite.connect(self.path, isolation_level=None)
        self._conn.row_factory = aiosqlite.Row
        await self._conn.execute("PRAGMA journal_mode=WAL")
        await self._conn.execute("PRAGMA foreign_keys=ON")
        await self._conn.execute("PRAGMA busy_timeout=5000")
        # WAL with synchronous=FULL: a committed answer survives a power cut, which "nothing lost" needs.
        await self._conn.execute("PRAGMA synchronous=FULL")

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise RuntimeError("Database is not open")
        return self._conn

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """A write transaction: committed when the block ends, rolled back if it raises."""
        async with self._locked():
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield Tx(self.conn)
            except BaseException:
                # A failed COMMIT or a cancelled task can leave no transaction open; rolling back then
                # raises "no transaction is active", which would hide the real error.
                if self.conn.in_transaction:
                    await self.conn.execute("ROLLBACK")
                raise
            else:
                await self.conn.execute("COMMIT")

    async def write_one(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> int:
        """One statement as a transaction of its own; returns the rows it changed.

        With no BEGIN open, SQLite commits the statement by itself when it completes, with the same sync to
        disk as a COMMIT: as durable as `transaction()`, in one trip to aiosqlite's thread instead of three.
        """
        async with self._locked():
            cursor = await self.conn.execute(sql, params)
            return cursor.rowcount

    async def write_returning(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> list[aiosqlite.Row]:
        """One `... RETURNING` statement as a transaction of its own (see write_one); returns its rows."""
        async with self._locked():
            return list(await self.conn.execute_fetchall(sql, params))

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Tx]:
        """Reads that must not see another task's half-done transaction on this shared connection."""
        async with self._locked():
            yield Tx(self.conn)

    @asynccontextmanager
    async def _locked(self) -> AsyncIterator[None]:
        if _holding.get():
            raise RuntimeError("nested database block: pass the Tx down instead of opening another")
        async with self._lock:
            token = _holding.set(True)
            try:
                yield
            finally:
                _holding.reset(token)
