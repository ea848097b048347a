"""`python -m bot check`: is this installation ready to run? One line per check, `OK  <name>` or `GAGAL  <name>: ...`.

Checks, in order: the configuration (nothing else can be checked without it), the region it names (WILAYAH_KODE,
with its counts of kecamatan and villages; refused when the database serves another), the database (opens, passes
`PRAGMA integrity_check`), its migrations (none pending, none newer than the code), the token (getMe against
TELEGRAM_API_URL, with a short timeout) and the backup folder. Nothing is created or changed.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from telegram import Bot
from telegram.error import InvalidToken, NetworkError, TelegramError, TimedOut
from telegram.request import HTTPXRequest

from bot import backup, texts
from bot.config import Config, ConfigError
from bot.dates import long_wib
from bot.texts import region as region_texts
from storage import maintenance
from storage.migrate import available

TOKEN_TIMEOUT = 5.0  # seconds: Telegram answers getMe in well under one; longer means something is wrong


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str = ""
    warning: bool = False  # works, but not as anyone would want (ADMIN_IDS empty); does not fail `check`

    def line(self) -> str:
        status = "GAGAL" if not self.ok else "PERINGATAN" if self.warning else "OK"
        return f"{status}  {self.name}" + (f": {self.detail}" if self.detail else "")


NAMES = ("konfigurasi", "wilayah", "database", "migrasi", "token", "cadangan")


async def run_checks(
    environ: Mapping[str, str] | None = None,
    env_file: Path | None = Path(".env"),
    *,
    token_timeout: float = TOKEN_TIMEOUT,
) -> list[Check]:
    """Every check, in order, one line each; those that need the configuration say so when it failed."""
    try:
        config = Config.from_env(environ, env_file)
    except ConfigError as exc:
        return [
            Check("konfigurasi", False, str(exc)),
            *(Check(n, False, texts.CHECK_SKIPPED_CONFIG) for n in NAMES[1:]),
        ]
    return [
        check_config(config),
        await asyncio.to_thread(check_region, config),
        *await asyncio.to_thread(check_database, config),
        await check_token(config, token_timeout),
        await asyncio.to_thread(check_backups, config),
    ]


def check_config(config: Config) -> Check:
    """The configuration loaded; with no Dinsos admin nobody could approve a group, which deserves a warning."""
    if not config.admin_ids:
        return Check("konfigurasi", True, texts.CHECK_ADMIN_IDS_EMPTY, warning=True)
    return Check("konfigurasi", True)


def check_region(config: Config) -> Check:
    """The configured kabupaten/kota and its size; a failure when the database already serves another one."""
    region = config.region
    path = config.database_path
    try:
        stored = maintenance.stored_region(path) if path.is_file() else None
    except sqlite3.DatabaseError:
        stored = None  # the database check says what is wrong with the file
    if stored is not None and stored[0] != region.code:
        return Check("wilayah", False, region_texts.region_refused(*stored, region))
    return Check("wilayah", True, region_texts.region_summary(region))


def check_database(config: Config) -> list[Check]:
    """The database opens and is sound; then its migrations against the code's."""
    path = config.database_path
    if not path.is_file():
        return [Check("database", False, texts.database_not_found(path.absolute(), Path.cwd())), _skipped_migrations()]
    try:
        report = maintenance.inspect_file(path)
    except sqlite3.DatabaseError as exc:
        return [Check("database", False, f"{path}: {exc}"), _skipped_migrations()]
    if report.problems:
        count = len(report.problems)
        problem = f"{path}: integrity_check melaporkan {count} masalah: {report.problems[0]}"
        return [Check("database", False, problem), _skipped_migrations()]
    return [Check("database", True, str(path)), _check_migrations(report.migrations or {})]


def _skipped_migrations() -> Check:
    return Check("migrasi", False, texts.CHECK_SKIPPED_DATABASE)


def _check_migrations(applied: dict[int, str]) -> Check:
    code = available()
    newer = sorted(set(applied) - {m.version for m in code})
    if newer:
        return Check("migrasi", False, f"database berisi migrasi {newer[-1]:04d} yang tidak dikenal kode ini")
    pending = [f"{m.version:04d}_{m.name}" for m in code if m.version not in applied]
    if pending:
        return Check("migrasi", False, f"belum diterapkan: {', '.join(pending)} (python -m bot migrate)")
    return Check("migrasi", True, f"versi {max(applied):04d}")


async def check_token(config: Config, seconds: float = TOKEN_TIMEOUT) -> Check:
    """getMe with the configured token; what Telegram (or the network) said when it fails."""
    request = HTTPXRequest(connect_timeout=seconds, read_timeout=seconds, write_timeout=seconds, pool_timeout=seconds)
    bot = Bot(config.bot_token, base_url=config.base_url, base_file_url=config.base_file_url, request=request)
    url = config.telegram_api_url
    try:
        async with bot:  # initialize() is getMe
            username = bot.username
    except InvalidToken:
        return Check("token", False, f"ditolak oleh {url} (401 Unauthorized): buat token baru di @BotFather")
    except TimedOut:
        return Check("token", False, f"{url} tidak menjawab dalam {seconds:g} detik")
    except NetworkError as exc:
        return Check("token", False, f"tidak dapat menghubungi {url}: {exc.message}")
    except TelegramError as exc:
        return Check("token", False, f"{url} menjawab: {exc.message}")
    return Check("token", True, f"@{username}")


def check_backups(config: Config) -> Check:
    """The backup folder can be written (or created); the newest backup, if any."""
    folder = config.backup_dir
    existing = next(p for p in (folder, *folder.absolute().parents) if p.exists())
    if not os.access(existing, os.W_OK | os.X_OK):
        return Check("cadangan", False, f"{existing} tidak dapat ditulis; cadangan harian akan gagal")
    newest = backup.latest(folder, config.timezone)
    if newest is None:
        return Check("cadangan", True, f"belum ada cadangan di {folder}")
    return Check("cadangan", True, f"terakhir {newest.path.name} ({long_wib(newest.taken_at, config.timezone)})")
