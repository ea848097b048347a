"""Backups and restores: online copies while the bot writes, the daily job with retention, and restores that
refuse anything but a sound database of this bot, changing nothing when they do."""

from __future__ import annotations

import asyncio
import hashlib
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

import storage.migrate
from bot import backup
from bot.config import Config, ConfigError
from storage import reminders
from storage.db import Database
from storage.migrate import apply_pending, available
from tests.conftest import ADMIN_1, ADMIN_2, World, populate
from tests.support.child_env import child_env
from tests.support.harness import WIB, BotHarness, make_config

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
TOKEN = "123456:TEST"


async def migrated(path: Path) -> Database:
    db = Database(path)
    await db.open()
    await apply_pending(db)
    return db


async def holiday(db: Database, number: int) -> None:
    """One committed row, told apart by its number (holidays are a small table with a unique day)."""
    await reminders.add_holiday(db, date(2030, 1, 1) + timedelta(days=number), reason="", admin_id=1, now=NOW)


def holidays_in(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return int(conn.execute("SELECT COUNT(*) FROM holiday").fetchone()[0])


class Writer:
    """Commits one row after another until stopped; `committed` counts what is committed so far."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.committed = 0
        self.warmed_up = asyncio.Event()
        self._stop = False
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Writer:
        self._task = asyncio.create_task(self._run())
        await self.warmed_up.wait()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self._stop = True
        assert self._task is not None
        await self._task

    async def _run(self) -> None:
        while not self._stop:
            await holiday(self.db, self.committed)
            self.committed += 1
            if self.committed == 20:
                self.warmed_up.set()


def cli_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    defaults = {
        "BOT_TOKEN": TOKEN,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
        "BACKUP_DIR": str(tmp_path / "backups"),
    }
    return child_env(**{**defaults, **extra})


def run_cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=tmp_path, env=cli_env(tmp_path), capture_output=True, text=True
    )


# --- Online backup ------------------------------------------------------------------------------------------


async def test_a_backup_through_the_live_connection_while_writes_continue_holds_every_earlier_row(tmp_path):
    db = await migrated(tmp_path / "bot.db")
    try:
        async with Writer(db) as writer:
            before = writer.committed
            copy = await backup.backup(db, tmp_path / "backups" / "copy.db")
            during = writer.committed
        assert during > before  # the writes really went on while the copy was made
        assert before <= holidays_in(copy) <= during
    finally:
        await db.close()
    assert sorted(p.name for p in copy.parent.iterdir()) == ["copy.db"]  # no -wal, -shm or .partial beside it


async def test_the_backup_command_copies_the_database_another_process_is_writing(tmp_path):
    db = await migrated(tmp_path / "bot.db")
    try:
        async with Writer(db) as writer:
            before = writer.committed
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "backup", cwd=tmp_path, env=cli_env(tmp_path),
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )  # fmt: skip
            stdout, stderr = await asyncio.wait_for(process.communicate(), 30)
            during = writer.committed
    finally:
        await db.close()
    assert process.returncode == 0, stderr.decode()
    copy = Path(stdout.decode().strip())
    assert copy.parent == tmp_path / "backups" and backup.NAME.match(copy.name)
    assert during > before and holidays_in(copy) >= before


def closed_database(path: Path, rows: int = 0) -> None:
    """A migrated database with `rows` holidays, closed (as it is when the bot is stopped)."""

    async def create() -> None:
        db = await migrated(path)
        for number in range(rows):
            await holiday(db, number)
        await db.close()

    asyncio.run(create())


def test_backup_out_writes_the_named_file_and_refuses_to_overwrite(tmp_path):
    closed_database(tmp_path / "bot.db")
    out = tmp_path / "sebelum-upgrade.db"
    first = run_cli(tmp_path, "backup", "--out", str(out))
    assert first.returncode == 0 and first.stdout.strip() == str(out)
    again = run_cli(tmp_path, "backup", "--out", str(out))
    assert again.returncode == 1 and "sudah ada" in again.stderr


def test_backup_without_a_database_fails_in_one_line(tmp_path):
    result = run_cli(tmp_path, "backup")
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert f"Database tidak ditemukan: {tmp_path / 'bot.db'} (folder kerja: {tmp_path})" in result.stderr
    assert not (tmp_path / "bot.db").exists()


# --- Daily job and retention --------------------------------------------------------------------------------


@pytest.fixture
async def bot_world(fake, clock, tmp_path):
    populate(fake)
    config = make_config(
        fake.api_url, fake.token, tmp_path / "bot.db", {ADMIN_1, ADMIN_2},
        backup_dir=tmp_path / "backups", backup_keep=3,
    )  # fmt: skip
    harness = BotHarness(config, clock)
    await harness.start()
    try:
        yield World(fake, harness, clock)
    finally:
        await harness.stop()


async def run_daily_backup(world: World) -> None:
    """Run the backup job once, as APScheduler would at this moment of the injected clock."""
    assert world.bot.app is not None and world.bot.app.job_queue is not None
    [job] = world.bot.app.job_queue.get_jobs_by_name(backup.BACKUP_JOB)
    await job.run(world.bot.app)


async def test_the_daily_backup_is_one_named_job_at_0200_wib_that_runs_however_late(bot_world):
    assert bot_world.bot.app is not None and bot_world.bot.app.job_queue is not None
    [job] = bot_world.bot.app.job_queue.get_jobs_by_name(backup.BACKUP_JOB)
    assert job.next_t is not None and job.next_t.astimezone(WIB).time() == backup.DAILY_AT
    assert (job.job.coalesce, job.job.misfire_grace_time, job.job.max_instances) == (True, None, 1)
    await bot_world.bot.restart()
    assert bot_world.bot.app is not None and bot_world.bot.app.job_queue is not None
    assert len(bot_world.bot.app.job_queue.get_jobs_by_name(backup.BACKUP_JOB)) == 1


async def test_the_daily_backup_copies_the_live_database_and_keeps_the_newest_backup_keep(bot_world, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "catatan.txt").write_text("bukan cadangan")
    (folder / "karangtaruna-lama.db").write_bytes(b"nama lain")
    for day in range(24, 29):
        bot_world.clock.set(datetime(2026, 11, day, 2, 0, tzinfo=WIB))
        await holiday(bot_world.bot.db, day)
        await run_daily_backup(bot_world)
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "catatan.txt",
        "karangtaruna-20261126-020000.db",
        "karangtaruna-20261127-020000.db",
        "karangtaruna-20261128-020000.db",
        "karangtaruna-lama.db",
    ]
    assert holidays_in(folder / "karangtaruna-20261128-020000.db") == 5
    assert holidays_in(folder / "karangtaruna-20261126-020000.db") == 3


def test_retention_keeps_exactly_backup_keep_of_many(tmp_path):
    for n in range(20):
        (tmp_path / f"karangtaruna-202611{n + 1:02d}-020000.db").write_bytes(b"")
    (tmp_path / "karangtaruna-20261399-999999.db").write_bytes(b"")  # looks like one, but is no time
    removed = backup.prune(tmp_path, 14, WIB)
    assert len(removed) == 6 and len(list(tmp_path.iterdir())) == 15
    newest = backup.latest(tmp_path, WIB)
    assert newest is not None and newest.taken_at == datetime(2026, 11, 20, 2, 0, tzinfo=WIB)


# --- Restore ------------------------------------------------------------------------------------------------


def fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def current(tmp_path):
    """The database in use, closed as it is for a restore (two holidays), and a good backup of it (one)."""
    closed_database(tmp_path / "bot.db", rows=1)
    good = tmp_path / "incoming" / "good.db"
    assert run_cli(tmp_path, "backup", "--out", str(good)).returncode == 0
    closed_database(tmp_path / "bot.db", rows=2)
    return good


def damaged(good: Path) -> Path:
    data = bytearray(good.read_bytes())
    page = 4096
    data[page : 4 * page] = os.urandom(3 * page)  # the header survives, the tables do not
    path = good.with_name("damaged.db")
    path.write_bytes(bytes(data))
    return path


def random_bytes(good: Path) -> Path:
    path = good.with_name("random.bin")
    path.write_bytes(os.urandom(16384))
    return path


def foreign(good: Path) -> Path:
    path = good.with_name("foreign.db")
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("CREATE TABLE pelanggan (id INTEGER PRIMARY KEY, nama TEXT)")
    return path


def newer(good: Path) -> Path:
    path = good.with_name("newer.db")
    path.write_bytes(good.read_bytes())
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("INSERT INTO schema_migrations (version, name) VALUES (9999, 'from_the_future')")
    return path


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (random_bytes, "bukan database SQLite"),
        (damaged, "rusak"),
        (foreign, "tidak ada tabel schema_migrations"),
        (newer, "lebih baru dari kode ini"),
    ],
)
def test_restore_refuses_in_one_line_and_changes_nothing(current, tmp_path, make, reason):
    candidate = make(current)
    before, offered = fingerprint(tmp_path), fingerprint(candidate.parent)
    result = run_cli(tmp_path, "restore", str(candidate))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and reason in result.stderr, result.stderr
    assert fingerprint(tmp_path) == before and fingerprint(candidate.parent) == offered
    assert holidays_in(tmp_path / "bot.db") == 2


def test_a_good_restore_keeps_the_previous_database_and_says_to_restart(current, tmp_path):
    result = run_cli(tmp_path, "restore", str(current))
    assert result.returncode == 0, result.stderr
    assert "jalankan ulang" in result.stdout
    [kept] = tmp_path.glob("bot.db.before-restore-*")
    assert holidays_in(kept) == 2 and holidays_in(tmp_path / "bot.db") == 1
    left = sorted(p.name for p in tmp_path.iterdir() if p.is_file())
    assert left == ["bot.db", kept.name]  # no stale -wal/-shm, no staged copy


CRASH = """
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("INSERT INTO holiday (day, reason, added_by_id, added_at) VALUES ('2031-01-01', '', 1, 'x')")
os._exit(0)  # killed: the committed row stays in bot.db-wal, never checkpointed
"""


async def test_restore_keeps_a_crashed_databases_wal_with_it_and_applies_pending_migrations(tmp_path, monkeypatch):
    shipped = available()
    with monkeypatch.context() as older_code:
        older_code.setattr(storage.migrate, "available", lambda: shipped[:2])
        await (await migrated(tmp_path / "old.db")).close()
    await (await migrated(tmp_path / "bot.db")).close()
    crash = await asyncio.create_subprocess_exec(sys.executable, "-c", CRASH, str(tmp_path / "bot.db"))
    assert await crash.wait() == 0
    assert (tmp_path / "bot.db-wal").stat().st_size > 0
    config = Config(TOKEN, "http://127.0.0.1", frozenset(), tmp_path / "bot.db", WIB, "INFO")
    restored = await backup.restore(config, tmp_path / "old.db", NOW)
    assert [m.version for m in restored.applied] == [m.version for m in shipped[2:]]
    assert restored.kept == tmp_path / "bot.db.before-restore-20261123-090000"
    assert not (tmp_path / "bot.db-wal").exists() and not (tmp_path / "bot.db-shm").exists()
    assert holidays_in(restored.kept) == 1  # the row that was only in the old WAL
    with closing(sqlite3.connect(tmp_path / "bot.db")) as conn:
        versions = [row[0] for row in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]
    assert versions == [m.version for m in shipped]


# --- Configuration ------------------------------------------------------------------------------------------


def test_backup_settings_default_to_data_backups_and_fourteen():
    config = Config.from_env({"BOT_TOKEN": TOKEN}, env_file=None)
    assert (config.backup_dir, config.backup_keep) == (Path("data/backups"), 14)


@pytest.mark.parametrize("value", ["0", "-3", "sepuluh", "2.5", "100000"])
def test_a_bad_backup_keep_names_the_variable(value):
    with pytest.raises(ConfigError, match="BACKUP_KEEP"):
        Config.from_env({"BOT_TOKEN": TOKEN, "BACKUP_KEEP": value}, env_file=None)


def test_a_backup_dir_that_is_a_file_names_the_variable(tmp_path):
    (tmp_path / "cadangan").write_text("")
    with pytest.raises(ConfigError, match="BACKUP_DIR"):
        Config.from_env({"BOT_TOKEN": TOKEN, "BACKUP_DIR": str(tmp_path / "cadangan")}, env_file=None)
