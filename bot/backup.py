"""Backups of the database: online copies (`python -m bot backup` and a daily job), retention, checked restores.

A backup is taken with SQLite's online backup API from an open connection, never by copying the file: a file
copied while the bot writes can miss the WAL or catch a page half-written. Each copy is checked with
`PRAGMA integrity_check` before it gets its final name, so a file matching the backup name is a sound backup.

A restore checks the file before anything is replaced: an SQLite file, sound, with this bot's migration ledger
and no migration newer than the code. It is meant to run with the bot stopped.
"""

from __future__ import annotations

import asyncio
import logging
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config import Config
from bot.context import BotContext
from storage import maintenance
from storage.db import Database
from storage.migrate import Migration, apply_pending, available

logger = logging.getLogger(__name__)

BACKUP_JOB = "backup:daily"
DAILY_AT = time(2, 0)  # in config.timezone (WIB): the quietest hour for Karang Taruna groups
# APScheduler settings for the daily job, on purpose: a backup late by hours (the machine was suspended, the loop
# stalled) is still worth more than none, so misfire_grace_time=None runs it however late; coalesce=True makes
# several missed days one backup, not a burst of copies; max_instances=1 keeps a slow copy from overlapping.
BACKUP_JOB_KWARGS = {"coalesce": True, "misfire_grace_time": None, "max_instances": 1}

STAMP = "%Y%m%d-%H%M%S"
NAME = re.compile(r"^karangtaruna-(\d{8}-\d{6})\.db$")


class BackupError(Exception):
    """A backup that could not be made; the message says why."""


class RestoreRefused(Exception):
    """The file must not replace the database; the message is one line for the person restoring."""


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime  # from the name, in the configured time zone


def file_name(now: datetime, tz: ZoneInfo) -> str:
    """karangtaruna-YYYYMMDD-HHMMSS.db, local (WIB) time."""
    return f"karangtaruna-{now.astimezone(tz):{STAMP}}.db"


async def backup(db: Database, target: Path) -> Path:
    """Copy the open database to `target` (a new file) and check the copy; BackupError if it cannot be."""
    # The copy is made under a name retention and /status_bot ignore, and renamed once it is known good.
    partial = target.with_name(target.name + ".partial")
    try:
        await asyncio.to_thread(_prepare, target, partial)
        await maintenance.backup_to(db, partial)
        await asyncio.to_thread(_check_and_name, partial, target)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(f"{target}: {exc}") from exc
    finally:
        await asyncio.to_thread(partial.unlink, missing_ok=True)
    return target


def _prepare(target: Path, partial: Path) -> None:
    if target.exists():
        raise BackupError(f"{target} sudah ada; tidak ditimpa.")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial.unlink(missing_ok=True)  # left by a crash in the middle of an earlier copy


def _check_and_name(partial: Path, target: Path) -> None:
    report = maintenance.inspect_file(partial)
    if report.problems:
        raise BackupError(f"salinan tidak lolos integrity_check: {report.problems[0]!r}.")
    partial.replace(target)


async def backup_database(config: Config, out: Path | None, now: datetime) -> Path:
    """`python -m bot backup`: an online copy of the database file, which the bot may be writing meanwhile."""
    if not config.database_path.is_file():
        raise BackupError(f"tidak ada database di {config.database_path}.")
    db = Database(config.database_path)
    try:
        await db.open()
        target = await backup(db, out or config.backup_dir / file_name(now, config.timezone))
    except sqlite3.Error as exc:
        raise BackupError(f"{config.database_path}: {exc}") from exc
    finally:
        await db.close()
    if out is None:
        prune(config.backup_dir, config.backup_keep, config.timezone)
    return target


async def daily_backup(context: BotContext) -> None:
    """Job: a backup of the live database through the bot's own connection, then retention."""
    config = context.config
    target = await backup(context.db, config.backup_dir / file_name(context.now(), config.timezone))
    removed = prune(config.backup_dir, config.backup_keep, config.timezone)
    logger.info("Backup written to %s; %d old backup(s) removed", target, len(removed))


def backups(directory: Path, tz: ZoneInfo) -> list[BackupFile]:
    """The backups in `directory` (only names matching the pattern), newest first."""
    if not directory.is_dir():
        return []
    found = []
    for path in directory.iterdir():
        match = NAME.match(path.name)
        if match is None or not path.is_file():
            continue
        try:
            taken_at = datetime.strptime(match[1], STAMP).replace(tzinfo=tz)
        except ValueError:  # digits in the right places, but no such time (a hand-named file)
            continue
        found.append(BackupFile(path, taken_at))
    found.sort(key=lambda b: b.path.name, reverse=True)
    return found


def latest(directory: Path, tz: ZoneInfo) -> BackupFile | None:
    return next(iter(backups(directory, tz)), None)


def prune(directory: Path, keep: int, tz: ZoneInfo) -> list[Path]:
    """Delete all but the newest `keep` backups; other files in the folder are never touched."""
    removed = []
    for old in backups(directory, tz)[keep:]:
        old.path.unlink(missing_ok=True)
        removed.append(old.path)
    return removed


# --- Restore ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Restored:
    source: Path
    database: Path
    kept: Path | None  # the database that was replaced, renamed; None if there was none
    applied: list[Migration]

    def lines(self) -> list[str]:
        names = ", ".join(f"{m.version:04d}_{m.name}" for m in self.applied) or "tidak ada"
        return [
            f"Database {self.database} dipulihkan dari {self.source}.",
            f"Database sebelumnya disimpan sebagai {self.kept}." if self.kept else "Belum ada database sebelumnya.",
            f"Migrasi diterapkan: {names}.",
            "Bila bot sedang berjalan, hentikan dan jalankan ulang sekarang agar memakai database ini.",
        ]


async def restore(config: Config, source: Path, now: datetime) -> Restored:
    """Check `source`, then make it the database, keeping the previous one; RestoreRefused changes nothing."""
    database = config.database_path
    # Checked and migrated as a copy beside the database, so the file given is never written to and a refusal
    # (or a failed migration) leaves the current database as it was.
    staged = database.with_name(database.name + ".restoring")
    try:
        await asyncio.to_thread(_stage, source, staged)
        applied = await _migrate(staged)
        kept = await asyncio.to_thread(_swap, staged, database, now, config.timezone)
    finally:
        await asyncio.to_thread(_remove, staged)
    return Restored(source, database, kept, applied)


def _stage(source: Path, staged: Path) -> None:
    """Copy `source` to `staged` and judge the copy; RestoreRefused says what is wrong with it."""
    if not source.is_file():
        raise RestoreRefused(f"{source} tidak ada atau bukan file.")
    if not maintenance.has_sqlite_header(source):
        raise RestoreRefused(f"{source} bukan database SQLite.")
    staged.parent.mkdir(parents=True, exist_ok=True)
    _remove(staged)
    _copy_with_wal(source, staged)
    _judge(source, staged)


def _judge(source: Path, staged: Path) -> None:
    try:
        report = maintenance.inspect_file(staged)
    except sqlite3.DatabaseError as exc:
        raise RestoreRefused(f"{source} rusak: {exc}.") from exc
    if report.problems:
        raise RestoreRefused(f"{source} rusak: integrity_check melaporkan {report.problems[0]!r}.")
    if not report.migrations:
        raise RestoreRefused(f"{source} bukan database bot ini (tidak ada tabel schema_migrations).")
    known = {m.version: m.name for m in available()}
    newest, code_newest = max(report.migrations), max(known)
    if newest > code_newest:
        raise RestoreRefused(
            f"{source} memakai skema versi {newest:04d}, lebih baru dari kode ini ({code_newest:04d}); "
            "perbarui kode bot dulu."
        )
    for version, name in sorted(report.migrations.items()):
        if known.get(version) != name:
            raise RestoreRefused(f"{source} bukan database bot ini (migrasi {version:04d}_{name} tidak dikenal).")


def _copy_with_wal(source: Path, staged: Path) -> None:
    # A database at rest is its file plus, if it was not closed cleanly, its WAL: both are needed.
    shutil.copyfile(source, staged)
    wal = _sidecar(source, "-wal")
    if wal.is_file():
        shutil.copyfile(wal, _sidecar(staged, "-wal"))


async def _migrate(path: Path) -> list[Migration]:
    db = Database(path)
    await db.open()
    try:
        return await apply_pending(db)
    finally:
        await db.close()


def _swap(staged: Path, database: Path, now: datetime, tz: ZoneInfo) -> Path | None:
    """Move the current database aside and the staged one into its place; returns where the old one went."""
    kept = _set_aside(database, now, tz)
    staged.replace(database)
    return kept


def _set_aside(database: Path, now: datetime, tz: ZoneInfo) -> Path | None:
    """Rename the current database (and its WAL, which may hold committed pages) to <db>.before-restore-<time>.

    Nothing of the old database may stay at the live path: SQLite would replay an old -wal onto the restored file.
    """
    kept = None
    if database.exists():
        kept = database.with_name(f"{database.name}.before-restore-{now.astimezone(tz):{STAMP}}")
        if kept.exists():
            raise RestoreRefused(f"{kept} sudah ada; coba lagi sebentar lagi.")
        database.replace(kept)
        wal = _sidecar(database, "-wal")
        if wal.exists():
            wal.replace(_sidecar(kept, "-wal"))
    for suffix in ("-wal", "-shm"):
        _sidecar(database, suffix).unlink(missing_ok=True)
    return kept


def _sidecar(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _remove(path: Path) -> None:
    for file in (path, _sidecar(path, "-wal"), _sidecar(path, "-shm"), _sidecar(path, "-journal")):
        file.unlink(missing_ok=True)
