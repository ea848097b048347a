"""Command line: `python -m bot [run|migrate|export|backup|restore|check|wilayah]`.

It parses arguments and calls in; nothing else lives here.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from bot import texts, wilayah
from bot.config import Config, ConfigError, configure_logging
from bot.texts import region as region_texts

if TYPE_CHECKING:  # openpyxl and pyxform are loaded by `export --format xlsx` only
    from bot.forms.fields import Form
    from bot.xlsform.export import Exported

logger = logging.getLogger("bot")


class _Parser(argparse.ArgumentParser):
    """argparse with Indonesian framing: its help section titles, usage prefix and error line."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(formatter_class=_Formatter, add_help=False, **kwargs)
        self._optionals.title = texts.CLI_OPTIONS_TITLE
        self._positionals.title = texts.CLI_COMMANDS_TITLE
        self.add_argument("-h", "--help", action="help", help=texts.CLI_HELP["help"])

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, texts.cli_error(self.prog, texts.cli_argparse_message(message)) + "\n")


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, texts.CLI_USAGE_PREFIX if prefix is None else prefix)


def _parser() -> argparse.ArgumentParser:
    h = texts.CLI_HELP
    parser = _Parser(prog="python -m bot", description=texts.CLI_DESCRIPTION)
    commands = parser.add_subparsers(dest="command", metavar="PERINTAH", parser_class=_Parser)
    commands.add_parser("run", help=h["run"])
    commands.add_parser("migrate", help=h["migrate"])
    export = commands.add_parser("export", help=h["export"])
    export.add_argument("--format", choices=["json", "csv", "xlsx"], default="json", help=h["format"])
    export.add_argument("--out", type=Path, metavar="FILE", help=h["export_out"])
    export.add_argument("--with-photos", action="store_true", help=h["with_photos"])
    backup = commands.add_parser("backup", help=h["backup"])
    backup.add_argument("--out", type=Path, metavar="FILE", help=h["backup_out"])
    restore = commands.add_parser("restore", help=h["restore"])
    restore.add_argument("file", type=Path, metavar="FILE", help=h["restore_file"])
    commands.add_parser("check", help=h["check"])
    places = commands.add_parser("wilayah", help=region_texts.CLI_WILAYAH)
    actions = places.add_subparsers(dest="action", metavar="AKSI", parser_class=_Parser, required=True)
    find = actions.add_parser("cari", help=region_texts.CLI_WILAYAH_CARI)
    find.add_argument("nama", nargs="+", metavar="NAMA", help=region_texts.CLI_WILAYAH_NAMA)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "export" and args.with_photos and args.format != "xlsx":
        parser.error(texts.CLI_WITH_PHOTOS_NEEDS_XLSX)
    if args.command == "check":
        # Before the configuration is loaded: a broken setting is one of the things `check` reports.
        return asyncio.run(_check())
    if args.command == "wilayah":  # needs no configuration: it is how one finds WILAYAH_KODE
        return _find_regencies(" ".join(args.nama))
    try:
        config = Config.from_env()
    except ConfigError as exc:
        print(texts.cli_config_error(str(exc)), file=sys.stderr)
        return 2
    configure_logging(config.log_level)
    wilayah.use(config.wilayah_kode, config.dinas_nama)
    if args.command in ("export", "backup") and not config.database_path.is_file():
        # Opening would create an empty database and report success on it: say where we looked instead.
        print(texts.database_not_found(config.database_path.absolute(), Path.cwd()), file=sys.stderr)
        return 1
    from bot.startup import RegionRefused

    try:
        if args.command == "migrate":
            return asyncio.run(_migrate(config))
        if args.command == "export":
            return asyncio.run(_export(config, args.format, args.out, args.with_photos))
    except RegionRefused as exc:
        print(texts.cli_config_error(str(exc)), file=sys.stderr)
        return 2
    if args.command == "backup":
        return asyncio.run(_backup(config, args.out))
    if args.command == "restore":
        return asyncio.run(_restore(config, args.file))
    return _run(config)


def _run(config: Config) -> int:
    from bot.app import build_application, polling_kwargs
    from bot.startup import RegionRefused, TokenRefused, prepare

    try:
        # Its own event loop, closed before PTB makes the bot's: nothing of the wait is left for PTB's.
        if not asyncio.run(prepare(config)):
            return 0  # SIGTERM or Ctrl+C while waiting for Telegram
    except (TokenRefused, RegionRefused) as exc:
        logger.error("%s", exc)
        return 2
    application = build_application(config)
    # Both run_* install SIGINT/SIGTERM handlers that stop taking updates, finish the queued ones, let in-flight
    # sends finish (post_stop) and close the database (post_shutdown) before returning.
    if config.webhook_url is not None:
        from bot.webhook import webhook_kwargs

        logger.info(texts.cli_started_webhook(config.webhook_url, config.telegram_api_url))
        application.run_webhook(**webhook_kwargs(config))  # type: ignore[arg-type]
    else:
        logger.info(texts.cli_started(config.telegram_api_url))
        # prepare has removed a webhook left by an earlier webhook run (deleteWebhook); PTB does not repeat it.
        application.run_polling(**polling_kwargs())  # type: ignore[arg-type]
    logger.info(texts.CLI_STOPPED)
    return 0


async def _open(config: Config):  # type: ignore[no-untyped-def]
    from bot.startup import open_database

    return await open_database(config)


async def _migrate(config: Config) -> int:
    db, applied = await _open(config)
    await db.close()
    print(texts.cli_migrations_applied([f"{m.version:04d}_{m.name}" for m in applied]))
    return 0


async def _export(config: Config, fmt: str, out: Path | None, with_photos: bool = False) -> int:
    from bot.export import FORMATS
    from storage.export import all_tables

    db, _ = await _open(config)
    try:
        tables = await all_tables(db)
        if fmt == "xlsx":
            from bot.xlsform import builtin
            from bot.xlsform.export import exported_forms

            forms = await exported_forms(db)  # read while the database is open
            built_in = await builtin.currents(db)
    finally:
        await db.close()
    if fmt == "xlsx":
        return await _export_xlsx(config, tables, forms, built_in, out, with_photos)
    data = FORMATS[fmt](tables)
    if out is None and fmt == "json":
        sys.stdout.buffer.write(data)
        return 0
    _write(out or Path("export.zip"), data)
    return 0


def _write(target: Path, data: bytes) -> None:
    """Write the export, creating its folder as `backup` does."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    print(texts.cli_written(target))


async def _export_xlsx(
    config: Config, tables: dict[str, list[dict[str, Any]]], forms: list[Exported], built_in: dict[str, Form],
    out: Path | None, with_photos: bool,
) -> int:  # fmt: skip
    """The workbook /ekspor sends (XLSForm sheets included), or the ZIP with it and every photo."""
    from bot import xlsx_export
    from bot.clock import SystemClock
    from bot.xlsform.export import photos, workbook_sheets

    now, tz = SystemClock().now(), config.timezone
    today = now.astimezone(tz).date()
    name = xlsx_export.file_name(today)
    everything = xlsx_export.EVERYTHING
    extra = workbook_sheets(forms, tz=tz, period=everything)
    data = xlsx_export.to_xlsx(tables, tz=tz, generated_at=now, extra=extra, forms=built_in)
    if with_photos:
        form_photos = photos(forms, tz=tz, period=everything)
        data, missing = await xlsx_export.zip_with_photos(config, tables, name, data, form_photos, built_in)
        if missing:
            print(texts.cli_photos_missing(missing, xlsx_export.MISSING_LIST), file=sys.stderr)
        name = xlsx_export.file_name(today, "zip")
    _write(out or Path(name), data)
    return 0


def _find_regencies(query: str) -> int:
    found = wilayah.find_regencies(query)
    print("\n".join(region_texts.regency_line(r) for r in found) or region_texts.regencies_not_found(query))
    return 0 if found else 1


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
        print(texts.cli_backup_failed(str(exc)), file=sys.stderr)
        return 1
    print(target)
    return 0


async def _restore(config: Config, file: Path) -> int:
    from bot.backup import RestoreRefused, restore
    from bot.clock import SystemClock

    try:
        restored = await restore(config, file, SystemClock().now())
    except RestoreRefused as exc:
        print(texts.cli_restore_refused(str(exc)), file=sys.stderr)
        return 2
    print("\n".join(restored.lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
