"""Command line: `python -m bot [run|migrate|export|backup|restore|check]`.

It parses arguments and calls in; nothing else lives here.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path
from typing import Any

from bot.config import Config, ConfigError, configure_logging

logger = logging.getLogger("bot")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="Bot Telegram Dinas Sosial Kabupaten Cirebon untuk Karang Taruna."
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("run", help="start the bot with long polling (the default)")
    commands.add_parser("migrate", help="apply pending database migrations and exit")
    export = commands.add_parser("export", help="write the data for Dinsos")
    export.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
    export.add_argument(
        "--out",
        type=Path,
        help="file to write (default: stdout for json, export.zip for csv, karangtaruna-<date>.xlsx for xlsx)",
    )
    export.add_argument(
        "--with-photos",
        action="store_true",
        help="xlsx only: a ZIP with the workbook and the reports' photos, fetched from the Bot API",
    )
    backup = commands.add_parser("backup", help="copy the database (safe while the bot runs) and print the path")
    backup.add_argument(
        "--out", type=Path, help="file to write (default: BACKUP_DIR/karangtaruna-YYYYMMDD-HHMMSS.db, WIB)"
    )
    restore = commands.add_parser("restore", help="check a backup, then make it the database (bot stopped)")
    restore.add_argument("file", type=Path, help="a file written by `backup`")
    commands.add_parser("check", help="check the configuration, database, token and backups; one line each")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "export" and args.with_photos and args.format != "xlsx":
        parser.error("--with-photos needs --format xlsx")
    if args.command == "check":
        # Before the configuration is loaded: a broken setting is one of the things `check` reports.
        return asyncio.run(_check())
    try:
        config = Config.from_env()
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    configure_logging(config.log_level)
    if args.command == "migrate":
        return asyncio.run(_migrate(config))
    if args.command == "export":
        return asyncio.run(_export(config, args.format, args.out, args.with_photos))
    if args.command == "backup":
        return asyncio.run(_backup(config, args.out))
    if args.command == "restore":
        return asyncio.run(_restore(config, args.file))
    return _run(config)


def _run(config: Config) -> int:
    from bot.app import build_application, polling_kwargs

    application = build_application(config)
    # Both run_* install SIGINT/SIGTERM handlers that stop taking updates, finish the queued ones, let in-flight
    # sends finish (post_stop) and close the database (post_shutdown) before returning.
    if config.webhook_url is not None:
        from bot.webhook import webhook_kwargs

        logger.info("Starting the bot with a webhook at %s against %s", config.webhook_url, config.telegram_api_url)
        application.run_webhook(**webhook_kwargs(config))  # type: ignore[arg-type]
        return 0
    logger.info("Starting the bot against %s", config.telegram_api_url)
    # run_polling deletes a webhook left by an earlier webhook run before its first getUpdates.
    application.run_polling(**polling_kwargs())  # type: ignore[arg-type]
    return 0


async def _open(config: Config):  # type: ignore[no-untyped-def]
    from bot.wilayah import load_kecamatan
    from storage import wilayah
    from storage.db import Database
    from storage.migrate import apply_pending

    db = Database(config.database_path)
    await db.open()
    applied = await apply_pending(db)
    await wilayah.sync(db, load_kecamatan())
    return db, applied


async def _migrate(config: Config) -> int:
    db, applied = await _open(config)
    await db.close()
    names = ", ".join(f"{m.version:04d}_{m.name}" for m in applied) or "none"
    print(f"Migrations applied: {names}")
    return 0


async def _export(config: Config, fmt: str, out: Path | None, with_photos: bool = False) -> int:
    from bot.export import FORMATS
    from storage.export import all_tables

    db, _ = await _open(config)
    try:
        tables = await all_tables(db)
    finally:
        await db.close()
    if fmt == "xlsx":
        return await _export_xlsx(config, tables, out, with_photos)
    data = FORMATS[fmt](tables)
    if out is None and fmt == "json":
        sys.stdout.buffer.write(data)
        return 0
    target = out or Path("export.zip")
    target.write_bytes(data)
    print(f"Written {target}")
    return 0


async def _export_xlsx(
    config: Config, tables: dict[str, list[dict[str, Any]]], out: Path | None, with_photos: bool
) -> int:
    from bot import xlsx_export
    from bot.clock import SystemClock

    now = SystemClock().now()
    today = now.astimezone(config.timezone).date()
    name = xlsx_export.file_name(today)
    data = xlsx_export.to_xlsx(tables, tz=config.timezone, generated_at=now)
    if with_photos:
        data, missing = await xlsx_export.zip_with_photos(config, tables, name, data)
        if missing:
            print(f"{missing} photo(s) could not be fetched; listed in {xlsx_export.MISSING_LIST}", file=sys.stderr)
        name = xlsx_export.file_name(today, "zip")
    target = out or Path(name)
    target.write_bytes(data)
    print(f"Written {target}")
    return 0


async def _check() -> int:
    from bot.health import run_checks

    results = await run_checks()
    for result in results:
        print(result.line())
    return 0 if all(r.ok for r in results) else 1


async def _backup(config: Config, out: Path | None) -> int:
    from bot.backup import BackupError, backup_database
    from bot.clock import SystemClock

    try:
        target = await backup_database(config, out, SystemClock().now())
    except BackupError as exc:
        print(f"Pencadangan gagal: {exc}", file=sys.stderr)
        return 1
    print(target)
    return 0


async def _restore(config: Config, file: Path) -> int:
    from bot.backup import RestoreRefused, restore
    from bot.clock import SystemClock

    try:
        restored = await restore(config, file, SystemClock().now())
    except RestoreRefused as exc:
        print(f"Pemulihan ditolak: {exc} Database tidak diubah.", file=sys.stderr)
        return 2
    print("\n".join(restored.lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
