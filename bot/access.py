"""Who may do what: Dinsos admins come from config; a group's admins are asked of Telegram each time."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable

from telegram import Chat, ChatMember, Message, Update, User
from telegram.error import BadRequest, Forbidden

from bot import texts
from bot.context import BotContext

logger = logging.getLogger(__name__)

GROUP_TYPES = (Chat.GROUP, Chat.SUPERGROUP)
ADMIN_STATUSES = (ChatMember.OWNER, ChatMember.ADMINISTRATOR)


def is_group(chat: Chat | None) -> bool:
    return chat is not None and chat.type in GROUP_TYPES


def sent_as_the_group(message: Message | None) -> bool:
    """An anonymous group admin writes as the group itself (sender_chat is the chat)."""
    return message is not None and message.sender_chat is not None and message.sender_chat.id == message.chat.id


async def is_group_admin(context: BotContext, chat_id: int, user: User | None) -> bool:
    """Ask Telegram now: a promotion or demotion a minute ago must count."""
    if user is None:
        return False
    try:
        member = await context.bot.get_chat_member(chat_id, user.id)
    except (BadRequest, Forbidden) as exc:
        logger.warning("getChatMember(%s, %s) failed: %s", chat_id, user.id, exc.message)
        return False
    return member.status in ADMIN_STATUSES


def display_name(user: User) -> str:
    name = user.full_name
    return f"{name} (@{user.username})" if user.username else name


async def is_member(context: BotContext, chat_id: int, user_id: int) -> bool:
    """Is the person in the group right now (Telegram's word, not our memory)?"""
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except (BadRequest, Forbidden) as exc:
        logger.info("Membership of %s in %s unknown: %s", user_id, chat_id, exc.message)
        return False
    if member.status == ChatMember.RESTRICTED:
        return bool(getattr(member, "is_member", False))
    return member.status in (ChatMember.OWNER, ChatMember.ADMINISTRATOR, ChatMember.MEMBER)


def dinsos_admin_command(handler: Callable[[Update, BotContext], Awaitable[None]]):  # type: ignore[no-untyped-def]
    """Run a command only for a Dinsos admin in their private chat; anyone else is told it is for admins.

    Private only, because what admins see (registrations, reports, who has not reported) is not for a group.
    """

    @functools.wraps(handler)
    async def guarded(update: Update, context: BotContext) -> None:
        message, user = update.effective_message, update.effective_user
        if message is None:
            return
        if user is None or not context.is_dinsos_admin(user.id) or message.chat.type != message.chat.PRIVATE:
            await message.reply_text(texts.ADMIN_ONLY)
            return
        await handler(update, context)

    return guarded
