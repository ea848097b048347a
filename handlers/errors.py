"""The one error handler: log with the traceback first, apologise to the person, and alert Dinsos (rate-limited).

Neither the log line nor the alert carries what people wrote: the update's ids and kind and the handler that
failed are enough to find the bug, and a member's message has no place in the admins' chat. `remember` (run
first for every update) makes each log line of an update name its chat and, for a registered group, kecamatan.
"""

from __future__ import annotations

import logging
import sqlite3
from weakref import WeakKeyDictionary

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application

from bot import log_context, texts
from bot.access import GROUP_TYPES
from bot.alerts import AlertLimiter
from bot.config import Config
from bot.context import BotContext
from bot.dates import long_wib
from storage import outbox, registrations

logger = logging.getLogger(__name__)

ALERT_KIND = "error_alert"  # outbox rows of the alerts for Dinsos (plain text)

# One limiter per application (tests build several in one process), living as long as its application.
_limiters: WeakKeyDictionary[Application, AlertLimiter] = WeakKeyDictionary()  # type: ignore[type-arg]


async def on_error(update: object, context: BotContext) -> None:
    error_type = type(context.error).__name__
    where = failed_in(update, context)
    logger.error("Unhandled %s in %s (%s)", error_type, where, describe(update, context), exc_info=context.error)
    if isinstance(update, Update):
        await _apologise(update, context)
    await _alert(update, context, error_type, where)


async def remember(update: object, context: BotContext) -> None:
    """First for every update: log lines while it is handled name its chat, and a registered group's kecamatan."""
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    chat = update.effective_chat
    kecamatan = None
    if chat.type in GROUP_TYPES:
        active = await registrations.active_for_chat(context.db, chat.id)
        kecamatan = active.kecamatan_code if active is not None else None
    log_context.set_where(chat.id, kecamatan)


def failed_in(update: object, context: BotContext) -> str:
    """The handler that raised: the outermost frame in handlers/ is the registered callback itself."""
    error = context.error
    tb = error.__traceback__ if error is not None else None
    while tb is not None:
        module = tb.tb_frame.f_globals.get("__name__", "")
        if module.startswith("handlers.") and module != __name__:
            return f"{module}.{tb.tb_frame.f_code.co_qualname}"
        tb = tb.tb_next
    if context.job is not None:
        return f"job {context.job.name}"
    return update_kind(update, context)


def update_kind(update: object, context: BotContext) -> str:
    """'message', 'callback_query', 'my_chat_member', ... or 'job' for a scheduled job."""
    if isinstance(update, Update):
        return next((str(kind) for kind in Update.ALL_TYPES if getattr(update, kind, None) is not None), "update")
    return "job" if context.job is not None else "-"


def describe(update: object, context: BotContext) -> str:
    """Ids and kind, never content: 'update 7001, message, chat -4001, user 2002, kecamatan 32.09.15'."""
    if not isinstance(update, Update):
        return update_kind(update, context)
    parts = [f"update {update.update_id}", update_kind(update, context)]
    if update.effective_chat is not None:
        parts.append(f"chat {update.effective_chat.id}")
    if update.effective_user is not None:
        parts.append(f"user {update.effective_user.id}")
    kecamatan = log_context.current().kecamatan
    if kecamatan is not None:
        parts.append(f"kecamatan {kecamatan}")
    return ", ".join(parts)


async def _apologise(update: Update, context: BotContext) -> None:
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(texts.error_apology(), show_alert=True)
        elif update.effective_message is not None and update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, texts.error_apology())
    except TelegramError as exc:
        # The apology is a courtesy; failing to deliver it must not raise inside the error handler.
        logger.warning("Could not deliver the error apology: %s", exc.message)


async def _alert(update: object, context: BotContext, error_type: str, where: str) -> None:
    """Tell Dinsos, at most once per kind of error (type and handler) per window; the next alert counts the rest."""
    limiter = _limiters.get(context.application)
    if limiter is None:
        limiter = _limiters[context.application] = AlertLimiter(context.bot_data.clock)
    held_back = limiter.admit((error_type, where))
    if held_back is None:
        logger.info("Alert for %s in %s held back: one was sent less than %s ago", error_type, where, limiter.window)
        return
    chat = update.effective_chat if isinstance(update, Update) else None
    text = texts.error_alert(
        error_type, where, update_kind(update, context), chat.id if chat is not None else None,
        long_wib(context.now(), context.config.timezone), held_back,
    )  # fmt: skip
    chats = alert_chats(context.config)
    try:
        # Through the outbox, like every notice: a 429 or a 5xx delays the alert, a crash does not lose it.
        await outbox.owe_numbered(context.db, ALERT_KIND, [(c, {"text": text}) for c in chats], context.now())
        context.sender.wake()
    except (sqlite3.Error, RuntimeError) as exc:
        # The error may be the database itself (or the sender not running yet): then straight to Telegram.
        logger.warning("Alert not queued (%s); sending it directly", exc)
        await _send_directly(context, chats, text)


async def _send_directly(context: BotContext, chats: list[int], text: str) -> None:
    for chat_id in chats:
        try:
            await context.bot.send_message(chat_id, text)
        except TelegramError as exc:
            logger.warning("Could not deliver the error alert to %s: %s", chat_id, exc.message)


def alert_chats(config: Config) -> list[int]:
    """ERROR_CHAT_ID when set, otherwise every Dinsos admin."""
    if config.error_chat_id is not None:
        return [config.error_chat_id]
    return sorted(config.admin_ids)
