"""The one SQLite connection: WAL, foreign keys, writes serialised, and one-statement writes committed in groups.

Every answer a person gives is committed with `synchronous=FULL` before the bot replies, so each commit waits
for the disk. Fifty people answering at once would queue fifty fsyncs one behind the other. `write_one` and
`write_returning` therefore go through a group commit: the statements that are waiting when the connection
comes free run in one transaction, in one trip to aiosqlite's thread, with one fsync; each caller still
returns only once its own statement is on disk.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
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


Params = Iterable[Any] | dict[str, Any]
Statement = tuple[str, Params]


@dataclass
class _Write:
    """Statements that stand or fall together, waiting for the next group commit, and their caller's future."""

    statements: list[Statement]
    returning: bool = False  # the rows of a single RETURNING statement rather than rows changed
    done: asyncio.Future[Any] = field(default_factory=lambda: asyncio.get_running_loop().create_future())


def _apply(conn: sqlite3.Connection, write: _Write) -> Any:
    """One write of a group: rows changed per statement (rows, for RETURNING); several inside a savepoint, so
    that one failing statement undoes its siblings and nothing else of the group."""
    if len(write.statements) == 1:
        sql, params = write.statements[0]
        cursor = conn.execute(sql, params)
        return cursor.fetchall() if write.returning else [cursor.rowcount]
    conn.execute("SAVEPOINT grouped")
    try:
        changed = [conn.execute(sql, params).rowcount for sql, params in write.statements]
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK TO grouped")
            conn.execute("RELEASE grouped")
        raise
    conn.execute("RELEASE grouped")
    return changed


def _commit_group(conn: sqlite3.Connection, group: list[_Write]) -> list[Any]:
    """In aiosqlite's thread: every write of the group in one transaction; per write its result, or the error
    that undid it alone. If an error undid the whole transaction, or COMMIT failed, it is raised for all."""
    outcomes: list[Any] = []
    conn.execute("BEGIN IMMEDIATE")
    try:
        for write in group:
            try:
                outcomes.append(_apply(conn, write))
            except sqlite3.Error as exc:
                # A constraint failure undoes its own write only; the others go on. Errors such as a full disk
                # end the transaction itself, and then nothing of the group was written.
                if not conn.in_transaction:
                    raise
                outcomes.append(exc)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return outcomes


class Database:
    """One connection for the whole bot (SQLite has one writer anyway); an asyncio lock orders its users."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self._conn: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._group: list[_Write] = []  # one-statement writes waiting for the next group commit
        self._committer: asyncio.Task[None] | None = None

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
        if self._committer is not None:
            await asyncio.gather(self._committer, return_exceptions=True)  # writes already asked for are kept
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

    async def write_one(self, sql: str, params: Params = ()) -> int:
        """One statement as a transaction of its own, committed with the others waiting (see the module's
        docstring); returns the rows it changed. The statement's own error (a constraint) is raised here only."""
        changed = await self._grouped(_Write([(sql, params)]))
        return int(changed[0])

    async def write_returning(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        """One `... RETURNING` statement, committed as write_one is; returns its rows."""
        return await self._grouped(_Write([(sql, params)], returning=True))  # type: ignore[no-any-return]

    async def write_all(self, statements: list[Statement]) -> list[int]:
        """Statements that need no answer in between, all or none, committed as write_one is; rows changed by
        each. One trip for what `transaction()` does in two plus one per statement."""
        if not statements:
            return []
        return await self._grouped(_Write(statements))  # type: ignore[no-any-return]

    async def _grouped(self, write: _Write) -> Any:
        if _holding.get():
            # Inside a transaction() or read() block the group commit would wait for the lock this task holds.
            raise RuntimeError("nested database block: pass the Tx down instead of opening another")
        self._group.append(write)
        if self._committer is None or self._committer.done():
            self._committer = asyncio.create_task(self._commit_groups(), name="db-group-commit")
        # A caller that is cancelled (a stop) cancels only its own future: the commit task, which the others wait
        # for, goes on, and skips a future that is already done.
        return await write.done

    async def _commit_groups(self) -> None:
        """Commit what is waiting, then what came meanwhile, until nothing waits."""
        while self._group:
            async with self._locked():
                group, self._group = self._group, []
                try:
                    # aiosqlite runs the function in its thread, where the sqlite3 connection lives: one trip
                    # for the whole group instead of one per statement plus BEGIN and COMMIT.
                    outcomes = await self.conn._execute(_commit_group, self.conn._conn, group)
                except BaseException as exc:
                    for write in group:
                        if not write.done.done():
                            write.done.set_exception(exc)
                    if isinstance(exc, asyncio.CancelledError):
                        raise
                    continue
            for write, outcome in zip(group, outcomes, strict=True):
                if write.done.done():
                    continue
                if isinstance(outcome, sqlite3.Error):
                    write.done.set_exception(outcome)
                else:
                    write.done.set_result(outcome)

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
