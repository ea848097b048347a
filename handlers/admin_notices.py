"""The private messages Dinsos admins get about a registration, and keeping every admin's copy up to date."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from bot.context import BotContext
from bot.sending import edit_text, send_private
from storage import registrations
from storage.registrations import Registration

logger = logging.getLogger(__name__)

DECIDE_PATTERN = r"^reg:(ok|no):(\d{1,12})$"


def decision_keyboard(registration_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(texts.BUTTON_APPROVE, callback_data=f"reg:ok:{registration_id}"),
                InlineKeyboardButton(texts.BUTTON_REJECT, callback_data=f"reg:no:{registration_id}"),
            ]
        ]
    )


def request_text(reg: Registration, *, replaces: Registration | None = None, moves_from: str | None = None) -> str:
    return texts.admin_request(
        title=reg.chat_title,
        requester=reg.requested_by_name,
        kecamatan=reg.kecamatan_name,
        replaces_title=replaces.chat_title if replaces else None,
        moves_from=moves_from,
    )


async def announce(
    context: BotContext, reg: Registration, *, replaces: Registration | None, moves_from: str | None
) -> None:
    """Send the request to every admin who has not got it; an admin the bot cannot reach sees it at /start."""
    already = {admin_id for admin_id, _ in await registrations.notices(context.db, reg.id)}
    text = request_text(reg, replaces=replaces, moves_from=moves_from)
    for admin_id in sorted(context.config.admin_ids - already):
        await send_request(context, admin_id, reg, text)


async def send_request(context: BotContext, admin_id: int, reg: Registration, text: str | None = None) -> bool:
    sent = await send_private(context, admin_id, text or request_text(reg), reply_markup=decision_keyboard(reg.id))
    if sent is None:
        return False
    await registrations.add_notice(context.db, reg.id, admin_id, sent.message_id)
    return True


async def show_unseen(context: BotContext, admin_id: int) -> None:
    """An admin who just opened the bot gets the requests that could not reach them before."""
    waiting = await registrations.unnoticed_pending(context.db, admin_id)
    if not waiting:
        return
    await send_private(context, admin_id, texts.admin_pending_on_start(len(waiting)))
    for reg in waiting:
        replaces = await registrations.active_for_kecamatan(context.db, reg.kecamatan_code)
        if replaces is not None and replaces.chat_id == reg.chat_id:
            replaces = None
        await send_request(context, admin_id, reg, request_text(reg, replaces=replaces))


async def close(context: BotContext, reg: Registration, status_line: str) -> None:
    """Replace every admin's buttons for this registration with how it ended."""
    text = texts.admin_request_gone(request_text(reg), status_line)
    for admin_id, message_id in await registrations.notices(context.db, reg.id):
        await edit_text(context, admin_id, message_id, text)


async def tell_admins(context: BotContext, text: str) -> None:
    for admin_id in sorted(context.config.admin_ids):
        await send_private(context, admin_id, text)
