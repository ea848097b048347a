"""Numbered, named, transactional migrations: `storage/migrations/NNNN_name.sql`, recorded in schema_migrations."""

from __future__ import annotations

import logging
import re
import sqlite3
from dataclasses import dataclass
from importlib import resources

from bot import texts
from storage.db import Database, Tx

logger = logging.getLogger(__name__)

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

_CREATE_LEDGER = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
)
"""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def available() -> list[Migration]:
    """Every migration shipped with the code, in version order."""
    found = []
    for entry in resources.files("storage.migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"duplicate migration numbers: {versions}")
    return found


async def applied_versions(db: Database) -> set[int]:
    """Versions already applied; never writes (an empty database has none)."""
    async with db.read() as tx:
        exists = await tx.fetchval("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
        if not exists:
            return set()
        return {row[0] for row in await tx.fetchall("SELECT version FROM schema_migrations")}


async def pending(db: Database) -> list[Migration]:
    done = await applied_versions(db)
    return [m for m in available() if m.version not in done]


async def apply_pending(db: Database) -> list[Migration]:
    """Apply what is pending, each migration and its ledger row in one transaction."""
    todo = await pending(db)
    for migration in todo:
        async with db.transaction() as tx:
            await tx.execute(_CREATE_LEDGER)
            for statement in split_statements(migration.sql):
                await tx.execute(statement)
            await _record(tx, migration)
        logger.info(texts.migration_applied(f"{migration.version:04d}_{migration.name}"))
    return todo


async def _record(tx: Tx, migration: Migration) -> None:
    await tx.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", (migration.version, migration.name))


def split_statements(sql: str) -> list[str]:
    """Split a script into statements; executescript() would COMMIT behind our transaction's back."""
    statements, buffer = [], ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip().strip(";").strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not all(ln.strip().startswith("--") for ln in buffer.strip().splitlines()):
        raise ValueError(f"incomplete SQL statement at the end of a migration: {buffer.strip()[:80]!r}")
    return statements
