"""/daftar in a group: a group admin claims a kecamatan (typed or picked) and Dinsos admins are asked to decide."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Chat, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode

from bot import texts
from bot.access import display_name, is_group, is_group_admin, sent_as_the_group
from bot.context import BotContext
from bot.sending import edit_pressed
from bot.wilayah import Kecamatan, kecamatan_by_code, load_kecamatan, match_kecamatan, suggest_kecamatan
from handlers import admin_notices
from storage import chats, registrations
from storage.registrations import Requester, RequestResult

logger = logging.getLogger(__name__)

PICK_PREFIX = "daftar:"
PICK_PATTERN = r"^daftar:"
PICKER_COLUMNS = 2


def picker_keyboard() -> InlineKeyboardMarkup:
    """All 40 kecamatan, two per row; callback data is 'daftar:32.09.NN' (15 bytes)."""
    buttons = [InlineKeyboardButton(k.name, callback_data=PICK_PREFIX + k.code) for k in load_kecamatan()]
    rows = [buttons[i : i + PICKER_COLUMNS] for i in range(0, len(buttons), PICKER_COLUMNS)]
    return InlineKeyboardMarkup(rows)


async def daftar(update: Update, context: BotContext) -> None:
    """/daftar [nama kecamatan]: checks the sender is a group admin, then files or offers the picker."""
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and chat is not None
    if not is_group(chat):
        await message.reply_text(texts.DAFTAR_ONLY_IN_GROUP, parse_mode=ParseMode.HTML)
        return
    anonymous = sent_as_the_group(message)
    if not anonymous and not await is_group_admin(context, chat.id, update.effective_user):
        await message.reply_text(texts.DAFTAR_ADMIN_ONLY)
        return
    await _remember_chat(context, chat)
    typed = " ".join(context.args or []).strip()
    if not typed:
        await message.reply_text(texts.DAFTAR_PICK, reply_markup=picker_keyboard())
        return
    kecamatan = match_kecamatan(typed)
    if kecamatan is None:
        names = [k.name for k in suggest_kecamatan(typed)]
        await message.reply_text(texts.daftar_unknown(typed[:100], names), parse_mode=ParseMode.HTML)
        return
    requester = _requester(update, chat, anonymous)
    reply = await _file_request(context, chat, kecamatan, requester)
    await message.reply_text(reply, parse_mode=ParseMode.HTML)


async def picked(update: Update, context: BotContext) -> None:
    """A press on the kecamatan picker: only the group's admins, only a real kecamatan code."""
    query = update.callback_query
    assert query is not None
    chat = query.message.chat if query.message else None
    kecamatan = kecamatan_by_code((query.data or "").removeprefix(PICK_PREFIX))
    if chat is None or not is_group(chat) or kecamatan is None:
        await query.answer(texts.PICKER_EXPIRED, show_alert=True)
        return
    if not await is_group_admin(context, chat.id, query.from_user):
        await query.answer(texts.PICKER_ADMIN_ONLY, show_alert=True)
        return
    await _remember_chat(context, chat)
    requester = Requester(query.from_user.id, display_name(query.from_user))
    reply = await _file_request(context, chat, kecamatan, requester)
    await query.answer()
    await _replace_picker(query, reply)


async def _replace_picker(query: CallbackQuery, text: str) -> None:
    """The picker turns into the outcome, so nobody taps a stale list."""
    if query.message is not None:
        await edit_pressed(query, text, parse_mode=ParseMode.HTML)


def _requester(update: Update, chat: Chat, anonymous: bool) -> Requester:
    if anonymous or update.effective_user is None:
        return Requester(chat.id, texts.anonymous_admin(chat.title or ""))
    return Requester(update.effective_user.id, display_name(update.effective_user))


async def _remember_chat(context: BotContext, chat: Chat) -> None:
    """A group that added the bot before this bot kept records is learned on its first /daftar."""
    if await chats.get(context.db, chat.id) is None:
        await chats.record(
            context.db,
            chat_id=chat.id,
            type=chat.type,
            title=chat.title or "",
            bot_status="member",
            now=context.now(),
        )


async def _file_request(context: BotContext, chat: Chat, kecamatan: Kecamatan, requester: Requester) -> str:
    """Store the claim, then tell the Dinsos admins who have not heard of it yet; returns the group's reply."""
    outcome = await registrations.request(
        context.db,
        kecamatan_code=kecamatan.code,
        chat_id=chat.id,
        chat_title=chat.title or "",
        requester=requester,
        now=context.now(),
    )
    reg = outcome.registration
    if outcome.result is RequestResult.ALREADY_ACTIVE:
        return texts.daftar_already_active(reg.kecamatan_name)
    if outcome.withdrawn is not None:
        await admin_notices.close(context, outcome.withdrawn, texts.STATUS_WITHDRAWN)
    moves_from = await registrations.active_for_chat(context.db, chat.id)
    await admin_notices.announce(
        context, reg, replaces=outcome.replaces, moves_from=moves_from.kecamatan_name if moves_from else None
    )
    if outcome.result is RequestResult.ALREADY_PENDING:
        return texts.daftar_already_pending(reg.kecamatan_name)
    logger.info("Chat %s asked for kecamatan %s (registration %s)", chat.id, kecamatan.code, reg.id)
    return texts.daftar_sent(reg.kecamatan_name)
