"""The private messages Dinsos admins get about a registration, and keeping every admin's copy up to date.

Requests and notices go through the outbox: forty groups typing /daftar at once, a 429 or a 5xx only delay them.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import ParseMode

from bot import texts
from bot.context import BotApplication, BotContext
from bot.outbox_sender import PayloadKind
from bot.sending import edit_text, send_private
from storage import outbox, registrations
from storage.outbox import OutboxRow
from storage.registrations import Registration, Status

logger = logging.getLogger(__name__)

DECIDE_PATTERN = r"^reg:(ok|no):(\d{1,12})$"
# Outbox kinds: a registration request with its buttons (ref: the registration), and a notice about a group
# (ref: the registration it is about).
REQUEST_KIND = "registration_request"
NOTICE_KIND = "admin_notice"
_ENDED = {
    Status.ACTIVE: texts.STATUS_APPROVED,
    Status.REJECTED: texts.STATUS_REJECTED,
    Status.WITHDRAWN: texts.STATUS_WITHDRAWN,
}


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


def _request(reg: Registration, admin_id: int, text: str) -> outbox.Owed:
    payload = {"text": text, "parse_mode": ParseMode.HTML, "reply_markup": decision_keyboard(reg.id).to_dict()}
    return outbox.Owed(REQUEST_KIND, reg.id, reg.kecamatan_code, admin_id, payload, f"admin:{admin_id}")


async def announce(
    context: BotContext, reg: Registration, *, replaces: Registration | None, moves_from: str | None
) -> None:
    """Queue the request for every admin who has not got it; an admin the bot cannot reach sees it at /start."""
    already = {admin_id for admin_id, _ in await registrations.notices(context.db, reg.id)}
    text = request_text(reg, replaces=replaces, moves_from=moves_from)
    owed = [_request(reg, admin_id, text) for admin_id in sorted(context.config.admin_ids - already)]
    await outbox.owe(context.db, owed, context.now())
    context.sender.wake()


async def show_unseen(context: BotContext, admin_id: int) -> None:
    """An admin who just opened the bot gets the requests that could not reach them before."""
    waiting = await registrations.unnoticed_pending(context.db, admin_id)
    if not waiting:
        return
    await send_private(context, admin_id, texts.admin_pending_on_start(len(waiting)))
    owed = []
    for reg in waiting:
        replaces = await registrations.active_for_kecamatan(context.db, reg.kecamatan_code)
        if replaces is not None and replaces.chat_id == reg.chat_id:
            replaces = None
        owed.append(_request(reg, admin_id, request_text(reg, replaces=replaces)))
    await outbox.owe(context.db, owed, context.now(), again=True)
    context.sender.wake()


class RequestKind(PayloadKind):
    """A request delivered: remember its message, so the decision can replace its buttons on every copy."""

    def __init__(self, application: BotApplication) -> None:
        self.application = application

    async def delivered(self, row: OutboxRow, message: Message | None) -> None:
        if message is None:
            return
        context = BotContext(self.application)
        await registrations.add_notice(context.db, row.ref_id, row.chat_id, message.message_id)
        reg = await registrations.get(context.db, row.ref_id)
        if reg is not None and reg.status is not Status.PENDING:
            # Decided while this copy waited its turn: it arrives already showing how it ended.
            status = _ENDED.get(reg.status, texts.DECISION_ALREADY_MADE)
            gone = texts.admin_request_gone(request_text(reg), status)
            await edit_text(context, row.chat_id, message.message_id, gone)


async def close(context: BotContext, reg: Registration, status_line: str) -> None:
    """Replace every admin's buttons for this registration with how it ended."""
    text = texts.admin_request_gone(request_text(reg), status_line)
    for admin_id, message_id in await registrations.notices(context.db, reg.id):
        await edit_text(context, admin_id, message_id, text)


async def tell_admins(context: BotContext, reg: Registration, text: str) -> None:
    """A notice about this registration's group for every admin, queued (one per registration and admin)."""
    payload = {"text": text, "parse_mode": ParseMode.HTML}
    owed = [
        outbox.Owed(NOTICE_KIND, reg.id, reg.kecamatan_code, admin_id, payload, f"admin:{admin_id}")
        for admin_id in sorted(context.config.admin_ids)
    ]
    await outbox.owe(context.db, owed, context.now())
    context.sender.wake()
