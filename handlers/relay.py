"""Replies travel between groups and Dinsos through the bot, so nobody has to share a phone number.

Under privacy mode a group reply to one of the bot's own messages reaches the bot: a reply to an announcement
(or to an earlier Dinsos answer) is relayed to every Dinsos admin; an admin's reply to that relayed message goes
back to the group as a reply to the member's message. A question a member writes to the bot in private travels
the same way once they press "Kirim ke Dinsos", and the answer comes back to their private chat.
"""

from __future__ import annotations

import logging
import re

from telegram import Message, ReplyParameters, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden

from bot import texts
from bot.access import display_name
from bot.context import BotContext
from bot.sending import send_private, to_group
from bot.wilayah import kecamatan_by_code
from handlers.form_entry import memberships
from storage import announcements
from storage.announcements import Relay

logger = logging.getLogger(__name__)


async def group_reply(update: Update, context: BotContext) -> bool:
    """Relay a group member's reply to a bot anchor message; False when the reply was not to an anchor."""
    message = update.effective_message
    if message is None or message.reply_to_message is None:
        return False
    anchor = await announcements.anchor(context.db, message.chat.id, message.reply_to_message.message_id)
    if anchor is None:
        return False
    code, announcement_id = anchor
    kecamatan = kecamatan_by_code(code)
    sender = display_name(message.from_user) if message.from_user else message.chat.title or ""
    header = texts.relay_to_admin(kecamatan.name if kecamatan else code, sender, announcement_id)
    for admin_id in sorted(context.config.admin_ids):
        await _relay_to_admin(context, admin_id, message, header, code, announcement_id)
    await message.reply_text(texts.RELAY_FORWARDED)
    return True


async def _relay_to_admin(
    context: BotContext, admin_id: int, message: Message, header: str, code: str, announcement_id: int | None
) -> None:
    await _copy_to_admin(context, admin_id, message.chat.id, message.message_id, header, code, announcement_id)


async def _copy_to_admin(
    context: BotContext, admin_id: int, chat_id: int, message_id: int, header: str, code: str,
    announcement_id: int | None,
) -> None:  # fmt: skip
    """The header and a copy of the message in the admin's chat, each remembered as leading back to it."""
    head = await send_private(context, admin_id, header)
    if head is None:
        return
    try:
        copy = await context.bot.copy_message(admin_id, chat_id, message_id)
    except (BadRequest, Forbidden) as exc:
        logger.warning("Could not copy message %s of %s to admin %s: %s", message_id, chat_id, admin_id, exc.message)
        copy = None
    for admin_message_id in [head.message_id] + ([copy.message_id] if copy else []):
        await announcements.add_relay(
            context.db, admin_id=admin_id, admin_message_id=admin_message_id, chat_id=chat_id,
            group_message_id=message_id, kecamatan_code=code, announcement_id=announcement_id,
        )  # fmt: skip


QUESTION_PATTERN = r"^pq:(\d{1,12})$"


async def private_question(update: Update, context: BotContext) -> None:
    """Kirim ke Dinsos under the bot's reply to a private message: that message goes to every admin, once."""
    query = update.callback_query
    assert query is not None
    match = re.match(QUESTION_PATTERN, query.data or "")
    assert match is not None
    user, chat = query.from_user, query.message.chat if query.message else None
    if chat is None or chat.id != user.id:
        await query.answer(texts.BUTTON_EXPIRED, show_alert=True)
        return
    message_id = int(match[1])
    if await announcements.was_relayed(context.db, chat.id, message_id):
        await query.answer(texts.QUESTION_ALREADY_SENT, show_alert=True)
        return
    groups = await memberships(context, user.id)
    if not groups:
        await query.answer(texts.QUESTION_NOT_MEMBER, show_alert=True)
        return
    code = groups[0].kecamatan_code
    header = texts.question_to_admin(", ".join(g.kecamatan_name for g in groups), display_name(user))
    for admin_id in sorted(context.config.admin_ids):
        await _copy_to_admin(context, admin_id, chat.id, message_id, header, code, None)
    await query.answer()
    await query.edit_message_reply_markup(None)
    await context.bot.send_message(chat.id, texts.QUESTION_SENT)


async def admin_reply(update: Update, context: BotContext) -> bool:
    """Send an admin's reply to a relayed message back to its group; False when it was not such a reply."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.reply_to_message is None:
        return False
    if not context.is_dinsos_admin(user.id):
        return False
    relay = await announcements.relay_for(context.db, user.id, message.reply_to_message.message_id)
    if relay is None:
        return False
    sent = await _answer_group(context, relay, message)
    await message.reply_text(texts.RELAY_ADMIN_SENT if sent else texts.RELAY_ADMIN_FAILED)
    return True


async def _answer_group(context: BotContext, relay: Relay, message: Message) -> bool:
    reply_to = ReplyParameters(relay.group_message_id, allow_sending_without_reply=True)

    async def deliver(chat_id: int) -> tuple[int, list[int]]:
        head = await context.bot.send_message(
            chat_id, texts.RELAY_FROM_DINSOS, parse_mode=ParseMode.HTML, reply_parameters=reply_to
        )
        body = await context.bot.copy_message(chat_id, message.chat.id, message.message_id)
        return chat_id, [head.message_id, body.message_id]

    try:
        sent = await to_group(context, relay.chat_id, deliver)
    except BadRequest as exc:
        logger.warning("Could not deliver a Dinsos answer to %s: %s", relay.chat_id, exc.message)
        return False
    if sent is None:
        return False
    chat_id, message_ids = sent
    # The group may answer the answer: those replies are relayed too.
    for message_id in message_ids:
        await announcements.add_anchor(
            context.db, chat_id=chat_id, message_id=message_id, kecamatan_code=relay.kecamatan_code,
            announcement_id=relay.announcement_id,
        )  # fmt: skip
    return True
