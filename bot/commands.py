"""The bot's commands: who sees each one in the Telegram menu and in /bantuan."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from telegram import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import ExtBot

from bot import texts
from bot.startup import delays, retry_after_seconds

logger = logging.getLogger(__name__)


class Audience(StrEnum):
    PRIVATE = "private"  # anyone in a private chat with the bot
    GROUP = "group"  # members of a kecamatan group
    ADMIN = "admin"  # Dinsos admins, in their private chat


@dataclass(frozen=True)
class Command:
    name: str
    audiences: frozenset[Audience]

    @property
    def description(self) -> str:
        return texts.command_description(self.name)


def _cmd(name: str, *audiences: Audience) -> Command:
    return Command(name, frozenset(audiences))


COMMANDS: tuple[Command, ...] = (
    _cmd("start", Audience.PRIVATE, Audience.ADMIN),
    _cmd("bantuan", Audience.PRIVATE, Audience.GROUP, Audience.ADMIN),
    _cmd("daftar", Audience.GROUP),
    _cmd("laporan", Audience.PRIVATE, Audience.GROUP),
    _cmd("evaluasi", Audience.PRIVATE, Audience.GROUP),
    _cmd("laporan_saya", Audience.PRIVATE),
    _cmd("kecamatan", Audience.ADMIN),
    _cmd("pengumuman", Audience.ADMIN),
    _cmd("status_pengumuman", Audience.ADMIN),
    _cmd("tinjau", Audience.ADMIN),
    _cmd("batal", Audience.PRIVATE, Audience.ADMIN),
    _cmd("pengingat", Audience.ADMIN),
    _cmd("libur", Audience.ADMIN),
    _cmd("izin", Audience.ADMIN),
    _cmd("rekap", Audience.ADMIN),
    _cmd("ekspor", Audience.ADMIN),
    _cmd("status_bot", Audience.ADMIN),
    # XLSForm forms (issue 11)
    _cmd("formulir", Audience.GROUP, Audience.ADMIN),
    _cmd("dasbor", Audience.ADMIN),
    # Program kerja (issue 17): pengurus compose it in private, members read it in the group, Dinsos oversees it
    _cmd("programkerja", Audience.PRIVATE, Audience.GROUP, Audience.ADMIN),
)


def for_audience(audience: Audience) -> list[Command]:
    return [c for c in COMMANDS if audience in c.audiences]


def help_text(audience: Audience, *, intro: str | None = None, leave_out: tuple[str, ...] = ()) -> str:
    """The /bantuan text: an introduction, then every command this audience has (less those done already)."""
    lines = [f"/{c.name} – {c.description}" for c in for_audience(audience) if c.name not in leave_out]
    return (intro or texts.help_intro(audience.value)) + "\n\n" + "\n".join(lines)


def _bot_commands(audience: Audience) -> list[BotCommand]:
    return [BotCommand(c.name, c.description) for c in for_audience(audience)]


async def publish_menus(bot: ExtBot[None]) -> None:
    """Set the command menu for private chats and for groups."""
    await bot.set_my_commands(_bot_commands(Audience.PRIVATE), scope=BotCommandScopeDefault())
    await bot.set_my_commands(_bot_commands(Audience.GROUP), scope=BotCommandScopeAllGroupChats())


async def publish_admin_menu(bot: ExtBot[None], admin_id: int) -> bool:
    """Give one admin the admin menu; False when Telegram does not know that private chat yet."""
    try:
        await bot.set_my_commands(_bot_commands(Audience.ADMIN), scope=BotCommandScopeChat(admin_id))
    except (BadRequest, Forbidden) as exc:
        # The admin has not opened the bot yet; their /start publishes it.
        logger.info("Admin menu for %s not set yet: %s", admin_id, exc.message)
        return False
    except NetworkError as exc:
        # A 5xx or a timeout: the menu is a convenience, and the admin's next /start sets it again.
        logger.warning("Admin menu for %s not set now: %s", admin_id, exc.message)
        return False
    return True


MENU_RETRY_FIRST = 1.0  # seconds; doubling up to MENU_RETRY_MAX
MENU_RETRY_MAX = 300.0


async def publish_all(bot: ExtBot[None], admin_ids: Iterable[int]) -> None:
    await publish_menus(bot)
    for admin_id in sorted(admin_ids):
        await publish_admin_menu(bot, admin_id)


async def keep_publishing(
    bot: ExtBot[None],
    admin_ids: Iterable[int],
    *,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    first: float = MENU_RETRY_FIRST,
) -> bool:
    """Background task of every start: set the menus, retrying a 5xx, a timeout or a 429 until they are set.

    Menus are a convenience; a Telegram that refuses them for a while must never keep the bot from answering.
    The per-admin menus are set once here (a failure is logged); each admin's /start sets theirs again.
    Returns False when Telegram refused them for good (a BadRequest: our own mistake, logged).
    """
    for attempt, wait in enumerate(delays(first, MENU_RETRY_MAX), start=1):
        try:
            await publish_all(bot, admin_ids)
        except RetryAfter as exc:
            wait = max(wait, retry_after_seconds(exc.retry_after))
            cause = exc.message
        except NetworkError as exc:  # 5xx, timeouts and lost connections (TimedOut is one)
            cause = exc.message
        except TelegramError as exc:
            logger.error("Command menus refused by Telegram: %s", exc.message)
            return False
        else:
            if attempt > 1:
                logger.info(texts.MENUS_PUBLISHED_LATE)
            return True
        logger.warning(texts.menus_retry(cause, wait))
        await sleep(wait)
    raise AssertionError("unreachable: delays() never ends")
