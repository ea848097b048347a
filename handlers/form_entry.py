"""/laporan and /evaluasi: where a form starts, and for which kecamatan.

Privacy mode hides plain group text from the bot, so a form is always filled in the private chat: in a group
the command answers with a button that opens the private chat (a deep link carrying the kecamatan); in private
the kecamatan is the one group of which Telegram says the person is a member (or they choose).
"""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import date, datetime, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update, User
from telegram.constants import ParseMode

from bot import dates, texts
from bot.access import is_group, is_member
from bot.clock import parse_iso
from bot.context import BotContext
from bot.forms.fields import Form
from bot.sending import edit_markup
from bot.wilayah import Kecamatan, kecamatan_by_code
from bot.xlsform import builtin
from handlers import xlsform_fill
from storage import forms, registrations, xlsforms
from storage.registrations import Registration

logger = logging.getLogger(__name__)

# Deep-link payloads: 'laporan-320915' (Telegram allows A-Z, a-z, 0-9, _ and - in a start parameter).
PAYLOAD_PATTERN = re.compile(r"^(laporan|evaluasi)-(\d{6})(?:-(\d{8}))?$")
# A reminder's link names its week: a reminder moved past a holiday into the next week still opens the week
# it reminds about. Older weeks than this are not opened that way.
LINKED_WEEK_MAX_AGE = timedelta(days=14)
# From a group's "Perbaiki laporan" button after Dinsos asked for a correction.
CORRECTION_PAYLOAD = re.compile(r"^koreksi-(\d{1,12})$")
CHOOSE_PATTERN = r"^fk:(laporan|evaluasi):(\d{2}\.\d{2}\.\d{2})$"
UPDATE_PATTERN = r"^fu:(\d{1,12})$"
MEMBERSHIP_CHECKS_AT_ONCE = 8


def payload_for(key: str, kecamatan_code: str, week: str | None = None) -> str:
    """'laporan-320915', or 'evaluasi-320915-20261123' for a given week."""
    payload = f"{key}-{kecamatan_code.replace('.', '')}"
    return payload + (f"-{week.replace('-', '')}" if week else "")


def _linked_week(digits: str | None, context: BotContext) -> str | None:
    """The week a link names, if it is a Monday no later than this week and not too old."""
    if digits is None:
        return None
    try:
        monday = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None
    this_week = date.fromisoformat(week_start(context.now(), context))
    if monday.weekday() != 0 or monday > this_week or this_week - monday > LINKED_WEEK_MAX_AGE:
        return None
    return monday.isoformat()


def kecamatan_from_payload(digits: str) -> Kecamatan | None:
    return kecamatan_by_code(f"{digits[:2]}.{digits[2:4]}.{digits[4:]}")


def week_start(moment: datetime, context: BotContext) -> str:
    """Monday (WIB) of the reporting week Senin-Minggu that contains `moment`."""
    local = moment.astimezone(context.config.timezone).date()
    return (local - timedelta(days=local.weekday())).isoformat()


def week_label(week: str) -> str:
    """'Senin, 23 – Minggu, 29 November 2026' for the week starting on that Monday."""
    return dates.week_label(date.fromisoformat(week))


async def laporan(update: Update, context: BotContext) -> None:
    await _command(update, context, await builtin.current(context.db, "laporan"))


async def evaluasi(update: Update, context: BotContext) -> None:
    await _command(update, context, await builtin.current(context.db, "evaluasi"))


async def _command(update: Update, context: BotContext, form: Form) -> None:
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    assert message is not None and chat is not None
    if user is None:
        return
    if is_group(chat):
        await _from_group(update, context, form)
        return
    groups = await memberships(context, user.id)
    if not groups:
        await message.reply_text(texts.FORM_NOT_MEMBER)
    elif len(groups) == 1:
        await open_form(context, user, form, groups[0].kecamatan_code)
    else:
        rows = [
            [InlineKeyboardButton(g.kecamatan_name, callback_data=f"fk:{form.key}:{g.kecamatan_code}")] for g in groups
        ]
        await message.reply_text(texts.FORM_CHOOSE_KECAMATAN, reply_markup=InlineKeyboardMarkup(rows))


async def _from_group(update: Update, context: BotContext, form: Form) -> None:
    """In a group: a button that opens the private chat bound to this group's kecamatan."""
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and chat is not None
    registration = await registrations.active_for_chat(context.db, chat.id)
    if registration is None:
        await message.reply_text(texts.FORM_GROUP_NOT_REGISTERED)
        return
    link = f"https://t.me/{context.bot.username}?start={payload_for(form.key, registration.kecamatan_code)}"
    button = InlineKeyboardMarkup([[InlineKeyboardButton(texts.BUTTON_FILL_IN_PRIVATE, url=link)]])
    await message.reply_text(
        texts.form_open_private(form.title, registration.kecamatan_name), parse_mode=ParseMode.HTML,
        reply_markup=button,
    )  # fmt: skip


async def start_payload(update: Update, context: BotContext, payload: str) -> bool:
    """/start laporan-320915 from the group's button; False if the payload is not a form link."""
    user, message = update.effective_user, update.effective_message
    correction = CORRECTION_PAYLOAD.match(payload)
    if correction is not None and user is not None and message is not None:
        await correct_report(context, user, int(correction[1]))
        return True
    match = PAYLOAD_PATTERN.match(payload)
    if match is None or user is None or message is None:
        return False
    form, kecamatan = await builtin.current(context.db, match[1]), kecamatan_from_payload(match[2])
    group = await registrations.active_for_kecamatan(context.db, kecamatan.code) if kecamatan else None
    if group is None or not await is_member(context, group.chat_id, user.id):
        await message.reply_text(texts.FORM_NOT_MEMBER)
        return True
    await open_form(context, user, form, group.kecamatan_code, week=_linked_week(match[3], context))
    return True


async def chosen(update: Update, context: BotContext) -> None:
    """The kecamatan picked by a member of several groups; membership is checked again."""
    query = update.callback_query
    assert query is not None
    match = re.match(CHOOSE_PATTERN, query.data or "")
    assert match is not None
    group = await registrations.active_for_kecamatan(context.db, match[2])
    if group is None or not await is_member(context, group.chat_id, query.from_user.id):
        await query.answer(texts.FORM_NOT_MEMBER, show_alert=True)
        return
    await query.answer()
    await edit_markup(query, None)
    await open_form(context, query.from_user, await builtin.current(context.db, match[1]), group.kecamatan_code)


async def memberships(context: BotContext, user_id: int) -> list[Registration]:
    """The active kecamatan groups the person is in now, asked of Telegram a few at a time."""
    active = [s.active for s in await registrations.overview(context.db) if s.active is not None]
    gate = asyncio.Semaphore(MEMBERSHIP_CHECKS_AT_ONCE)

    async def check(reg: Registration) -> bool:
        async with gate:
            return await is_member(context, reg.chat_id, user_id)

    found = await asyncio.gather(*(check(reg) for reg in active))
    return [reg for reg, yes in zip(active, found, strict=True) if yes]


async def open_form(
    context: BotContext, user: User, form: Form, kecamatan_code: str, *, week: str | None = None
) -> None:
    """Resume an open draft, offer to update this week's evaluation, or start afresh (on the XLSForm engine,
    handlers/xlsform_fill.py: the form's built-in version, the kecamatan given to its hidden question)."""
    now = context.now()
    draft, _ = await xlsform_fill.live_draft(context, user.id)  # one that expired just now is told there
    if draft is not None and draft.took(context.update_id):
        await xlsform_fill.ask(context, user.id, draft)  # opened by this command before a restart cut it short
        return
    if draft is not None:
        await xlsform_fill.offer_resume(context, user.id, draft)
        return
    week = (week or week_start(now, context)) if form.weekly else None
    if week is not None:
        existing = await forms.weekly_report(context.db, form.key, kecamatan_code, week)
        if existing is not None:
            markup = InlineKeyboardMarkup(
                [[
                    InlineKeyboardButton(texts.BUTTON_UPDATE, callback_data=f"fu:{existing.id}"),
                ]]
            )  # fmt: skip
            label = dates.week_range(date.fromisoformat(week))
            await context.bot.send_message(
                user.id, texts.evaluation_exists(label, existing.submitted_by), reply_markup=markup
            )
            return
    await xlsform_fill.begin(context, user, await _version(context, form.key), kecamatan_code=kecamatan_code,
                             test=False, week=week)  # fmt: skip


async def _version(context: BotContext, key: str) -> xlsforms.XFormVersion:
    version = await xlsforms.builtin_version(context.db, key)
    assert version is not None  # registered at every start (bot/xlsform/builtin.register)
    return version


async def revise(context: BotContext, user: User, report: forms.Report) -> None:
    """A draft holding the report's current answers, opened at the summary: Ubah what needs changing, Kirim."""
    await xlsform_fill.begin(
        context, user, await _version(context, report.form), kecamatan_code=report.kecamatan_code, test=False,
        week=report.week, report_id=report.id, answers=report.answers,
    )  # fmt: skip


CORRECTION_WINDOW = timedelta(days=7)


async def correct_report(context: BotContext, user: User, report_id: int) -> str | None:
    """Open a report for correction; returns the refusal sentence instead when it may not be corrected.

    Members of the report's kecamatan group may correct it within 7 days, or at any time after Dinsos asked
    for a correction of its current version.
    """
    report = await forms.get_report(context.db, report_id)
    title = (await builtin.current(context.db, report.form)).title if report is not None else ""
    if report is None:
        refusal = texts.BUTTON_EXPIRED
    elif report.review_status != "perlu_perbaikan" and context.now() - parse_iso(report.created_at) > CORRECTION_WINDOW:
        refusal = texts.correction_too_late(title, report.number)
    else:
        group = await registrations.active_for_kecamatan(context.db, report.kecamatan_code)
        member = group is not None and await is_member(context, group.chat_id, user.id)
        refusal = None if member else texts.correction_not_member(title, report.number)
    if refusal is not None:
        await context.bot.send_message(user.id, refusal)
        return refusal
    assert report is not None
    await revise(context, user, report)
    return None


async def update_evaluation(update: Update, context: BotContext) -> None:
    """Perbarui: this week's evaluation becomes a draft again (the earlier version is kept)."""
    query = update.callback_query
    assert query is not None
    match = re.match(UPDATE_PATTERN, query.data or "")
    assert match is not None
    report = await forms.get_report(context.db, int(match[1]))
    group = await registrations.active_for_kecamatan(context.db, report.kecamatan_code) if report else None
    if report is None or group is None or not await is_member(context, group.chat_id, query.from_user.id):
        await query.answer(texts.FORM_NOT_MEMBER, show_alert=True)
        return
    await query.answer()
    await edit_markup(query, None)
    await revise(context, query.from_user, report)
