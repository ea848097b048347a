"""The bot's own membership: welcomed into a group, removed from one, a group upgraded, a person blocking it."""

from __future__ import annotations

import logging

from telegram import ChatMember, ChatMemberUpdated, Update

from bot import texts
from bot.access import is_group
from bot.context import BotContext
from bot.sending import follow_migration, send_to_group
from handlers import admin_notices
from storage import chats, people, registrations
from storage.registrations import Status

logger = logging.getLogger(__name__)

PRESENT = (ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER, ChatMember.RESTRICTED)
GONE = (ChatMember.LEFT, ChatMember.BANNED)


async def my_chat_member(update: Update, context: BotContext) -> None:
    """Telegram tells us the bot's own status changed in a chat."""
    change = update.my_chat_member
    assert change is not None
    if is_group(change.chat):
        await _group_membership(change, context)
    elif change.chat.type == change.chat.PRIVATE:
        await _private_membership(change, context)


async def _group_membership(change: ChatMemberUpdated, context: BotContext) -> None:
    chat, old, new = change.chat, change.old_chat_member.status, change.new_chat_member.status
    await chats.record(
        context.db, chat_id=chat.id, type=chat.type, title=chat.title or "", bot_status=new, now=context.now()
    )
    if new in PRESENT and old in GONE:
        logger.info("Added to group %s (%s)", chat.id, chat.title)
        await send_to_group(context, chat.id, texts.welcome_group())
    elif new in GONE and old in PRESENT:
        await bot_gone(context, chat.id)


async def bot_gone(context: BotContext, chat_id: int) -> None:
    """The bot is out of a group (removed, or a send answered 403): its claims end and the admins hear of it."""
    ended = await registrations.deactivate_chat(context.db, chat_id, reason="bot dikeluarkan", now=context.now())
    logger.info("Out of group %s; %d registration(s) ended", chat_id, len(ended))
    for reg in ended:
        if reg.status is Status.PENDING:
            await admin_notices.close(context, reg, texts.STATUS_WITHDRAWN)
        await admin_notices.tell_admins(
            context, reg, texts.admin_group_left(reg.chat_title, reg.kecamatan_name, reg.status is Status.ACTIVE)
        )


async def _private_membership(change: ChatMemberUpdated, context: BotContext) -> None:
    user = change.new_chat_member.user if change.chat.id == change.new_chat_member.user.id else change.from_user
    if change.new_chat_member.status in GONE:
        await people.record_blocked(context.db, user_id=change.chat.id, now=context.now())
    else:
        await people.record_private_contact(
            context.db,
            user_id=change.chat.id,
            first_name=user.first_name,
            username=user.username,
            now=context.now(),
        )


async def migrated(update: Update, context: BotContext) -> None:
    """Both service messages of an upgrade (old group's migrate_to, new supergroup's migrate_from) land here."""
    message = update.effective_message
    assert message is not None
    if message.migrate_to_chat_id:
        old, new = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat.id
    else:
        return
    await follow_migration(context, old, new, message.chat.title or "")


async def renamed(update: Update, context: BotContext) -> None:
    """Keep the group title Dinsos sees current."""
    message = update.effective_message
    assert message is not None and message.new_chat_title is not None
    await chats.rename(context.db, message.chat.id, message.new_chat_title, now=context.now())
    await registrations.rename_chat(context.db, message.chat.id, message.new_chat_title)
