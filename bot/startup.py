"""Before the bot runs: the database migrated, then Telegram answering every call made before updates flow.

A server that boots before its network, or a Telegram incident, must not make `python -m bot` exit: systemd
would give up after five quick failures and the bot would stay down until someone logs in. So the start waits:
getMe, then deleteWebhook (polling) or setWebhook (WEBHOOK_URL), each tried with a capped backoff (1 s doubling
to 60 s) and one log line per try naming the call and the cause. python-telegram-bot then starts without making
those calls again (bot.ptb_retries). Only a token Telegram refuses (401/404) stops it: waiting cannot fix that.
SIGTERM or Ctrl+C while waiting exits at once with status 0, as a stop during normal running does.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable
from contextlib import suppress
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from telegram import Bot
from telegram.error import InvalidToken, RetryAfter, TelegramError, TimedOut
from telegram.request import HTTPXRequest

from bot import texts
from bot.config import Config
from bot.region_recode import recode
from bot.texts import region as region_texts
from bot.wilayah import Region, current
from bot.xlsform import builtin
from storage import wilayah
from storage.db import Database
from storage.migrate import Migration, apply_pending

logger = logging.getLogger(__name__)

FIRST_DELAY = 1.0
MAX_DELAY = 60.0
PROBE_TIMEOUT = 10.0  # seconds per call: a Telegram that takes longer is as good as down for a start


class TokenRefused(Exception):
    """Telegram does not know this token (401/404); the message says what to do."""


class RegionRefused(Exception):
    """WILAYAH_KODE names another region than the database serves; the message says what to do."""


async def claim_region(db: Database, region: Region) -> None:
    """The database serves `region` from now on, unless it already serves another: RegionRefused then."""
    code, name = await wilayah.claim_region(db, region.code, region.name)
    if code != region.code:
        raise RegionRefused(region_texts.region_refused(code, name, region))


def delays(first: float = FIRST_DELAY, cap: float = MAX_DELAY):  # type: ignore[no-untyped-def]
    """1, 2, 4, ... seconds, then `cap` for ever."""
    delay = first
    while True:
        yield delay
        delay = min(delay * 2, cap)


async def until_answered(
    call: Callable[[], Awaitable[object]], method: str, url: str, *,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep, call_timeout: float = PROBE_TIMEOUT,
) -> int:  # fmt: skip
    """Make one Bot API call until Telegram answers it; returns how many tries it took. TokenRefused on 401/404."""
    backoff = delays()
    attempt = 0
    while True:
        attempt += 1
        try:
            await call()
            return attempt
        except InvalidToken as exc:
            raise TokenRefused(texts.startup_token_refused(url)) from exc
        except TelegramError as exc:  # every other failure, a 400 too: each line names it; exiting lets systemd give up
            wait = next(backoff)
            if isinstance(exc, RetryAfter):
                wait = max(wait, retry_after_seconds(exc.retry_after))
            logger.warning(texts.startup_waiting(method, attempt, url, cause(exc, call_timeout), wait))
        await sleep(wait)


def cause(exc: TelegramError, timeout: float | None = None) -> str:
    """What an operator reads as the reason Telegram did not answer; `timeout`: how long the call waited."""
    if isinstance(exc, RetryAfter):
        return texts.startup_cause_flood(retry_after_seconds(exc.retry_after))
    if isinstance(exc, TimedOut):
        return texts.startup_cause_timeout(timeout)
    return exc.message


def retry_after_seconds(value: object) -> float:
    """RetryAfter.retry_after is an int or a timedelta, depending on PTB's settings."""
    total = getattr(value, "total_seconds", None)
    return float(total()) if callable(total) else float(value)  # type: ignore[arg-type]


def probe_bot(config: Config, timeout: float = PROBE_TIMEOUT) -> Bot:
    """A plain Bot for the calls before the start: no rate limiter (its 429 retries would hide the wait), short
    timeouts."""
    t = timeout
    request = HTTPXRequest(connect_timeout=t, read_timeout=t, write_timeout=t, pool_timeout=t)
    return Bot(config.bot_token, base_url=config.base_url, base_file_url=config.base_file_url, request=request)


async def up_to_date(
    db: Database, now: datetime, region: Region | None = None, renames: Path | None = None
) -> list[Migration]:
    """The database as this release has it: migrated, serving `region` (the one in use by default; RegionRefused
    when it serves another), its kecamatan list, codes (a new Kepmendagri edition's renames, read from `renames`,
    the packaged perubahan_kode.tsv by default) and built-in forms in sync with the code's; returns the
    migrations applied. The bot's start and every CLI command that opens the database run it, so
    `python -m bot migrate` reads the built-in workbooks once and the bot then starts without pyxform."""
    applied = await apply_pending(db)
    region = region or current()
    await claim_region(db, region)
    await wilayah.sync(db, region.kecamatan)  # first: a rename's new kecamatan and villages are then there
    await recode(db, region, now, renames)
    await builtin.register(db, now)
    return applied


async def open_database(config: Config) -> tuple[Database, list[Migration]]:
    """The database opened and up to date (for the CLI); and the migrations applied."""
    db = Database(config.database_path)
    await db.open()
    try:
        return db, await up_to_date(db, datetime.now(UTC), config.region, config.wilayah_perubahan)
    except RegionRefused:
        await db.close()
        raise


def updates_route(bot: Bot, config: Config) -> tuple[str, Callable[[], Awaitable[object]]]:
    """The call that tells Telegram how updates reach the bot: the webhook set (WEBHOOK_URL), or removed for
    polling, since a webhook left by an earlier run makes every getUpdates fail. Pending updates are kept: they
    are what people sent while the bot was down."""
    if config.webhook_url is None:
        return "deleteWebhook", partial(bot.delete_webhook, drop_pending_updates=False)
    from bot.webhook import registration  # bot.webhook imports bot.app, which imports this module

    return "setWebhook", partial(bot.set_webhook, **registration(config))


async def prepare(
    config: Config, *, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep, call_timeout: float = PROBE_TIMEOUT
) -> bool:
    """Migrations first (they need no network), then wait for Telegram to answer getMe and the updates route;
    False when stopped while waiting. The rest of `up_to_date` is left to the application's start, which runs it
    on its own connection."""
    db = Database(config.database_path)
    await db.open()
    try:
        await apply_pending(db)  # storage.migrate logs each migration it applies
        await claim_region(db, config.region)  # before any wait: a wrong WILAYAH_KODE stops the start at once
    finally:
        await db.close()
    task = asyncio.current_task()
    assert task is not None
    loop = asyncio.get_running_loop()
    stops = (signal.SIGINT, signal.SIGTERM)
    for sig in stops:
        loop.add_signal_handler(sig, task.cancel)
    url = config.telegram_api_url
    bot = probe_bot(config, call_timeout)
    try:
        async with bot.request:  # the HTTP client, closed again however the wait ends
            calls = [("getMe", bot.get_me), updates_route(bot, config)]
            tries = [await until_answered(c, name, url, sleep=sleep, call_timeout=call_timeout) for name, c in calls]
    except asyncio.CancelledError:
        logger.info(texts.STARTUP_STOPPED_WHILE_WAITING)
        return False
    finally:
        for sig in stops:
            with suppress(ValueError, RuntimeError):
                loop.remove_signal_handler(sig)
    if sum(tries) > len(tries):
        logger.info(texts.startup_reached(url, sum(tries)))
    return True
