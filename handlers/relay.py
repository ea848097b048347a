"""Replies travel between groups and Dinsos through the bot, so nobody has to share a phone number.

Under privacy mode a group reply to one of the bot's own messages reaches the bot: a reply to an announcement
(or to an earlier Dinsos answer) is relayed to every Dinsos admin; an admin's reply to that relayed message goes
back to the group as a reply to the member's message. A question a member writes to the bot in private travels
the same way once they press "Kirim ke Dinsos", and the answer comes back to their private chat.
Every leg goes through the outbox (handlers/relay_delivery.py): Telegram's errors delay a relay, never lose it.
"""

from __future__ import annotations

import logging
import re

from telegram import Update
from telegram.constants import ParseMode

from bot import texts
from bot.access import display_name
from bot.context import BotContext
from bot.sending import edit_markup
from bot.wilayah import kecamatan_by_code
from handlers.form_entry import memberships
from handlers.relay_delivery import ANSWER_KIND, TO_ADMIN_KIND
from storage import announcements, outbox

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
    await _owe_to_admins(context, message.chat.id, message.message_id, header, code, announcement_id)
    await message.reply_text(texts.RELAY_FORWARDED)
    return True


async def _owe_to_admins(
    context: BotContext, chat_id: int, message_id: int, header: str, code: str, announcement_id: int | None
) -> bool:
    """Owe every admin the header and then a copy of the message; False when it was relayed before."""
    payload = {"text": header, "parse_mode": ParseMode.HTML, "announcement_id": announcement_id}
    messages = [(admin_id, f"admin:{admin_id}", payload) for admin_id in sorted(context.config.admin_ids)]
    owed = await outbox.owe_relay(
        context.db, TO_ADMIN_KIND, kecamatan_code=code, source=(chat_id, message_id), messages=messages,
        now=context.now(),
    )  # fmt: skip
    context.sender.wake()
    return owed


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
        await query.answer(texts.question_not_member(), show_alert=True)
        return
    header = texts.question_to_admin(", ".join(g.kecamatan_name for g in groups), display_name(user))
    if not await _owe_to_admins(context, chat.id, message_id, header, groups[0].kecamatan_code, None):
        await query.answer(texts.QUESTION_ALREADY_SENT, show_alert=True)
        return
    await query.answer()
    await edit_markup(query, None)
    await context.bot.send_message(chat.id, texts.QUESTION_SENT)


async def admin_reply(update: Update, context: BotContext) -> bool:
    """Owe an admin's reply to a relayed message back to its group (or person); False when it was not such a reply."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.reply_to_message is None:
        return False
    if not context.is_dinsos_admin(user.id):
        return False
    relay = await announcements.relay_for(context.db, user.id, message.reply_to_message.message_id)
    if relay is None:
        return False
    # The header replies to the member's message; if it cannot arrive, the admin is told (relay_delivery).
    payload = {
        "text": texts.RELAY_FROM_DINSOS, "parse_mode": ParseMode.HTML, "reply_to": relay.group_message_id,
        "announcement_id": relay.announcement_id, "admin_id": user.id,
    }  # fmt: skip
    await outbox.owe_relay(
        context.db, ANSWER_KIND, kecamatan_code=relay.kecamatan_code, source=(message.chat.id, message.message_id),
        messages=[(relay.chat_id, f"chat:{relay.chat_id}", payload)], now=context.now(),
    )  # fmt: skip
    context.sender.wake()
    await message.reply_text(texts.RELAY_ADMIN_SENT)
    return True
