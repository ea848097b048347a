"""The one error handler: log with the traceback first, then apologise to the person instead of going silent."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot import texts
from bot.context import BotContext

logger = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    logger.error("Unhandled error while handling an update", exc_info=context.error)
    if not isinstance(update, Update):
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(texts.ERROR_APOLOGY, show_alert=True)
        elif update.effective_message is not None and update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, texts.ERROR_APOLOGY)
    except TelegramError as exc:
        # The apology is a courtesy; failing to deliver it must not raise inside the error handler.
        logger.warning("Could not deliver the error apology: %s", exc.message)
