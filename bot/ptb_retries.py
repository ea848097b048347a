"""python-telegram-bot's own retries, fitted to the start-up's (bot.startup).

bot.startup has made the calls that come before updates flow (getMe, then deleteWebhook or setWebhook), each
waited for with our backoff and one log line per try. PTB would make two of them again at once. deleteWebhook or
setWebhook, in the Updater's bootstrap, is skipped here: there one 502 ends the start with status 1 (or, with
bootstrap_retries=-1, is retried on PTB's own backoff with nothing logged above DEBUG). Its getMe
(Application.initialize) cannot be skipped: a failure there, right after ours succeeded, is retried by PTB
(INITIALIZE_RETRIES), as every failed getUpdates is by its polling loop, 429s and timeouts silently. The bot here
logs each such failure in one line naming the cause.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from telegram import Update, User
from telegram.error import InvalidToken, TelegramError
from telegram.ext import ExtBot, Updater

from bot import texts
from bot.startup import cause

logger = logging.getLogger(__name__)

# For run_polling and run_webhook: with the Updater's bootstrap skipped, this retries only initialize's getMe.
INITIALIZE_RETRIES = -1  # for ever


class PreparedUpdater(Updater):
    """The Updater, minus the deleteWebhook/setWebhook that bot.startup.prepare has already made."""

    async def _bootstrap(self, *args: Any, **kwargs: Any) -> None:
        return None


class RetryLoggingBot(ExtBot[None]):
    """The application's bot: a failed getMe or getUpdates, which PTB retries by itself, is logged as ours."""

    async def get_me(self, *args: Any, **kwargs: Any) -> User:
        with _logged("getMe"):
            return await super().get_me(*args, **kwargs)

    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        with _logged("getUpdates"):
            return await super().get_updates(*args, **kwargs)


@contextmanager
def _logged(method: str) -> Iterator[None]:
    try:
        yield
    except InvalidToken:
        raise  # not retried: PTB stops with its own message
    except TelegramError as exc:
        logger.warning(texts.telegram_retried(method, cause(exc)))
        raise
