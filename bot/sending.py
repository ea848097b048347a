"""Sending to groups and to people, with the Telegram errors we can act on handled by type at the call site."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from telegram import CallbackQuery, InlineKeyboardMarkup, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden

from bot.context import BotContext
from storage import chats, outbox, registrations

logger = logging.getLogger(__name__)

T = TypeVar("T")


async def follow_migration(context: BotContext, old_chat_id: int, new_chat_id: int, title: str | None = None) -> None:
    """A group became a supergroup: move its registration, owed messages and records to the new id (idempotent)."""
    if title is None:
        chat = await chats.get(context.db, old_chat_id)
        title = chat.title if chat else ""
    moved = await registrations.follow_migration(context.db, old_chat_id, new_chat_id)
    await outbox.follow_migration(context.db, old_chat_id, new_chat_id)
    await chats.record_migration(
        context.db, old_chat_id=old_chat_id, new_chat_id=new_chat_id, title=title, now=context.now()
    )
    logger.info("Chat %s migrated to %s (%s registrations moved)", old_chat_id, new_chat_id, moved)


async def to_group(context: BotContext, chat_id: int, send: Callable[[int], Awaitable[T]]) -> T | None:
    """Run `send(chat_id)`, following an upgrade to supergroup once; None when the bot is no longer there."""
    try:
        return await send(chat_id)
    except ChatMigrated as exc:
        await follow_migration(context, chat_id, exc.new_chat_id)
        return await send(exc.new_chat_id)
    except Forbidden as exc:
        logger.warning("Cannot send to group %s: %s", chat_id, exc.message)
        return None


async def send_to_group(context: BotContext, chat_id: int, text: str, **kwargs: Any) -> Message | None:
    """Send a text to a group (HTML), following an upgrade to supergroup; None when the bot is not there."""
    kwargs.setdefault("parse_mode", ParseMode.HTML)
    return await to_group(context, chat_id, lambda target: context.bot.send_message(target, text, **kwargs))


async def send_private(context: BotContext, user_id: int, text: str, **kwargs: Any) -> Message | None:
    """Send to a person; None (logged) when they never started the bot or blocked it."""
    kwargs.setdefault("parse_mode", ParseMode.HTML)
    try:
        return await context.bot.send_message(user_id, text, **kwargs)
    except Forbidden as exc:
        logger.warning("Cannot write to user %s in private: %s", user_id, exc.message)
        return None
    except BadRequest as exc:
        # "chat not found": a user id Telegram has never seen with this bot (a mistyped ADMIN_IDS entry).
        logger.warning("Cannot write to user %s in private: %s", user_id, exc.message)
        return None


async def edit_text(context: BotContext, chat_id: int, message_id: int, text: str, **kwargs: Any) -> None:
    """Edit a message the bot sent earlier; an unchanged or vanished message is not an error for us."""
    kwargs.setdefault("parse_mode", ParseMode.HTML)
    try:
        await context.bot.edit_message_text(text, chat_id=chat_id, message_id=message_id, **kwargs)
    except BadRequest as exc:
        logger.info("Could not edit message %s in %s: %s", message_id, chat_id, exc.message)
    except Forbidden as exc:
        logger.info("Could not edit message %s in %s: %s", message_id, chat_id, exc.message)


def _not_modified(exc: BadRequest) -> bool:
    return "message is not modified" in exc.message.lower()


async def edit_markup(query: CallbackQuery, markup: InlineKeyboardMarkup | None) -> None:
    """Change (None: remove) the pressed message's buttons; a stale press, buttons already so, is not an error.

    Telegram answers a no-op edit with "message is not modified"; letting it reach the error handler would show
    the person an apology instead of what the button did.
    """
    try:
        await query.edit_message_reply_markup(markup)
    except BadRequest as exc:
        if not _not_modified(exc):
            raise
        logger.info("Buttons of a pressed message already as wanted: %s", exc.message)


async def edit_pressed(query: CallbackQuery, text: str, **kwargs: Any) -> None:
    """Replace the pressed message's text (and buttons); the same content again (a stale press) is not an error."""
    try:
        await query.edit_message_text(text, **kwargs)
    except BadRequest as exc:
        if not _not_modified(exc):
            raise
        logger.info("Pressed message already shows this: %s", exc.message)


async def show_in_place(
    context: BotContext, chat_id: int, text: str, markup: InlineKeyboardMarkup | None, in_place_of: int | None
) -> None:
    """Edit message `in_place_of` (a pressed question) into this text, or send it when there is none to edit."""
    if in_place_of is not None:
        try:
            await context.bot.edit_message_text(
                text, chat_id=chat_id, message_id=in_place_of, parse_mode=ParseMode.HTML, reply_markup=markup
            )
            return
        except BadRequest as exc:
            if _not_modified(exc):  # it shows this already (the same press handled again after a restart)
                return
            # Too old to edit, or deleted by the person: a new message serves as well.
            logger.info("Question %s not edited in place: %s", in_place_of, exc.message)
    await context.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup)
