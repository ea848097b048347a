"""Files kept by Telegram, downloaded through the configured Bot API (TELEGRAM_API_URL): getFile, then the file."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import Bot
from telegram.error import TelegramError

logger = logging.getLogger(__name__)


async def download(bot: Bot, file_id: str) -> bytes:
    """The file's bytes; raises TelegramError when Telegram will not give it (too big, gone, unreachable)."""
    telegram_file = await bot.get_file(file_id)
    return bytes(await telegram_file.download_as_bytearray())


def photo_fetcher(bot: Bot) -> Callable[[str], Awaitable[bytes | None]]:
    """A file id -> its bytes, or None (logged) when Telegram will not give it: a document that shows photos
    says which one is missing instead of failing whole."""

    async def fetch(file_id: str) -> bytes | None:
        try:
            return await download(bot, file_id)
        except TelegramError as exc:
            logger.warning("Photo %s not fetched: %s", file_id, exc.message)
            return None

    return fetch
