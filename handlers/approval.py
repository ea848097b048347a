"""Setujui / Tolak: a Dinsos admin decides a registration; the group, a replaced group and every admin are told."""

from __future__ import annotations

import logging
import re

from telegram import Update
from telegram.constants import ParseMode

from bot import texts
from bot.access import display_name
from bot.context import BotContext
from bot.sending import edit_text
from handlers import admin_notices
from handlers.admin_notices import DECIDE_PATTERN
from handlers.reminders import schedule_words
from storage import outbox, registrations
from storage.registrations import Decision, Requester, Status

logger = logging.getLogger(__name__)

NOTE_KIND = "registration_note"  # outbox: the decision told to the group (ref: the registration)

_ENDED = {
    Status.ACTIVE: texts.STATUS_APPROVED,
    Status.REJECTED: texts.STATUS_REJECTED,
    Status.WITHDRAWN: texts.STATUS_WITHDRAWN,
}


async def decide(update: Update, context: BotContext) -> None:
    """reg:ok:<id> / reg:no:<id> from an admin's private chat."""
    query = update.callback_query
    assert query is not None
    if not context.is_dinsos_admin(query.from_user.id):
        await query.answer(texts.ADMIN_ONLY, show_alert=True)
        return
    match = re.match(DECIDE_PATTERN, query.data or "")
    assert match is not None  # the handler's pattern guarantees it
    approve, registration_id = match[1] == "ok", int(match[2])
    admin = Requester(query.from_user.id, display_name(query.from_user))
    decision = await registrations.decide(context.db, registration_id, approve=approve, admin=admin, now=context.now())
    if decision is None:
        await query.answer(texts.DECISION_NOT_FOUND, show_alert=True)
        return
    if not decision.changed:
        await query.answer(texts.DECISION_ALREADY_MADE, show_alert=True)
        status = _ENDED.get(decision.registration.status, texts.DECISION_ALREADY_MADE)
        await admin_notices.close(context, decision.registration, status)
        return
    await query.answer(texts.DECISION_APPROVED_TOAST if approve else texts.DECISION_REJECTED_TOAST)
    await _tell_groups(context, decision, approve)
    verdict = texts.admin_decided(admin_notices.request_text(decision.registration), approved=approve, admin=admin.name)
    for admin_id, message_id in await registrations.notices(context.db, registration_id):
        await edit_text(context, admin_id, message_id, verdict)


async def _tell_groups(context: BotContext, decision: Decision, approve: bool) -> None:
    """The decision for the group (and a retired group's notice), queued: a 429 or a 5xx only delays them."""
    reg = decision.registration
    logger.info("Registration %s (%s, chat %s) %s", reg.id, reg.kecamatan_code, reg.chat_id, reg.status)
    moved_from = next((old for old in decision.retired if old.chat_id == reg.chat_id), None)
    if not approve:
        text = texts.group_rejected(reg.kecamatan_name)
    elif moved_from is not None:
        text = texts.group_moved(moved_from.kecamatan_name, reg.kecamatan_name)
    else:
        schedule = schedule_words(context.config.reminder_cron)
        text = texts.group_approved(reg.kecamatan_name, schedule)
    owed = [_note(reg.id, reg.kecamatan_code, reg.chat_id, text, "decided")]
    if approve:
        owed += [
            _note(old.id, old.kecamatan_code, old.chat_id, texts.group_retired(old.kecamatan_name), "retired")
            for old in decision.retired
            if old.chat_id != reg.chat_id
        ]
    await outbox.owe(context.db, owed, context.now())
    context.sender.wake()


def _note(registration_id: int, kecamatan_code: str, chat_id: int, text: str, what: str) -> outbox.Owed:
    """One note per registration and event (its decision, its retirement): a double tap cannot double it."""
    payload = {"text": text, "parse_mode": ParseMode.HTML}
    return outbox.Owed(NOTE_KIND, registration_id, kecamatan_code, chat_id, payload, f"{kecamatan_code}:{what}")
