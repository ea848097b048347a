"""The bot's commands: who sees each one in the Telegram menu and in /bantuan."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from telegram import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import BadRequest, Forbidden
from telegram.ext import ExtBot

from bot import texts

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
        return texts.COMMAND_DESCRIPTIONS[self.name]


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
    _cmd("batal", Audience.PRIVATE, Audience.ADMIN),
    _cmd("pengingat", Audience.ADMIN),
    _cmd("libur", Audience.ADMIN),
    _cmd("izin", Audience.ADMIN),
    _cmd("rekap", Audience.ADMIN),
    _cmd("ekspor", Audience.ADMIN),
    _cmd("status_bot", Audience.ADMIN),
    _cmd("dasbor", Audience.ADMIN),
)


def for_audience(audience: Audience) -> list[Command]:
    return [c for c in COMMANDS if audience in c.audiences]


def help_text(audience: Audience) -> str:
    """The /bantuan text: an introduction, then every command this audience has."""
    lines = [f"/{c.name} – {c.description}" for c in for_audience(audience)]
    return texts.HELP_INTRO[audience.value] + "\n\n" + "\n".join(lines)


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
    return True
