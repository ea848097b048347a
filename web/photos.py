"""Report photos for the dashboard: fetched from Telegram once with getFile, then served from a disk cache."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
from pathlib import Path

from telegram import Bot
from telegram.error import TelegramError

from bot.telegram_files import download

logger = logging.getLogger(__name__)


class PhotoCache:
    """One file per Telegram file id, named by its hash (file ids are long and not meant for paths)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._fetching: dict[str, asyncio.Lock] = {}

    def path(self, file_id: str) -> Path:
        return self.folder / f"{hashlib.sha256(file_id.encode()).hexdigest()}.jpg"

    async def get(self, bot: Bot, file_id: str) -> Path | None:
        """The cached photo, fetched first if needed; None when Telegram will not give it."""
        path = self.path(file_id)
        if path.is_file():
            return path
        # Two browsers opening the same report at once still cost one getFile.
        lock = self._fetching.setdefault(file_id, asyncio.Lock())
        async with lock:
            if path.is_file():
                return path
            try:
                data = await download(bot, file_id)
            except TelegramError as exc:
                logger.warning("Dashboard photo not fetched: %s", exc.message)
                return None
            finally:
                self._fetching.pop(file_id, None)
            await asyncio.to_thread(_write_atomically, path, data)
        return path


def _write_atomically(path: Path, data: bytes) -> None:
    """A half-written file must never be served as the photo: write beside it, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.part")
    partial.write_bytes(data)
    partial.replace(path)
