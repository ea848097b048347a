"""Dinsos reviews what the groups send: Diterima, or Perlu perbaikan with a comment that goes to the group and the
submitter with a way to correct it (a new version, the earlier one kept).

Two ways in, one decision (bot/review_decision.decide): the buttons on each admin's copy, and /tinjau, the queue
of what still waits, oldest first, one at a time with Diterima / Perlu perbaikan / Lewati. Each admin chooses
in /tinjau whether copies arrive one by one or as one summary a day. Submitted program kerja wait in the same
queue (their buttons are handled in handlers/program_kerja_review.py).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode

from bot import texts
from bot.access import dinsos_admin_command, display_name
from bot.context import BotContext
from bot.dates import long_date
from bot.program_kerja import review as plan_review
from bot.review_decision import decide, review_keyboard
from bot.sending import edit_markup, edit_text
from bot.wilayah import kecamatan_by_code, load_kecamatan
from bot.xlsform import builtin
from handlers.form_submission import admin_copy_text
from storage import forms, outbox, program_kerja, reviews
from storage.forms import Report
from storage.program_kerja import Plan

logger = logging.getLogger(__name__)

# rv: the buttons on a copy; tj: the same decisions on the /tinjau message, which then shows the next one.
REVIEW_PATTERN = r"^(rv|tj):(ok|fix|x|skip):(\d{1,12}):(\d{1,4})$"
COPIES_PATTERN = r"^tj:copies:(each|daily)$"
PLAN_QUEUE_PREFIX = "pkq"  # a program kerja's turn in /tinjau: pkq:ok|fix|skip:<plan>
DAILY_KIND = "review_daily"  # the summary for admins who chose it
DAILY_JOB = "reviews:daily"
DAILY_AT = time(16, 0)


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    if not context.is_dinsos_admin(query.from_user.id):
        await query.answer(texts.ADMIN_ONLY, show_alert=True)
        return
    match = re.match(REVIEW_PATTERN, query.data or "")
    assert match is not None
    where, action, report_id, version = match[1], match[2], int(match[3]), int(match[4])
    report = await forms.get_report(context.db, report_id)
    if report is None:
        await query.answer(texts.BUTTON_EXPIRED, show_alert=True)
    elif action == "skip":
        await query.answer()
        await show_queue(context, query.from_user.id, after=report_key(report), in_place_of=_message_id(update))
    elif report.version != version or action == "x" or report.review_status is not None:
        outdated = report.version != version
        await query.answer(texts.REVIEW_OUTDATED if outdated else texts.REVIEW_ALREADY, show_alert=True)
        if where == "tj" and not outdated:
            # Another admin decided it meanwhile: the queue moves on instead of showing it again.
            await show_queue(context, query.from_user.id, after=report_key(report), in_place_of=_message_id(update))
    elif action == "ok":
        await _accept(update, context, report, from_queue=where == "tj")
    else:
        await reviews.ask_comment(context.db, query.from_user.id, report.id, context.now(), report.version)
        await query.answer()
        title = await _title(context, report)
        await context.bot.send_message(
            query.from_user.id, texts.review_ask_comment(title, report.number), parse_mode=ParseMode.HTML
        )


def _message_id(update: Update) -> int | None:
    query = update.callback_query
    return query.message.message_id if query is not None and query.message is not None else None


async def _title(context: BotContext, report: Report) -> str:
    return (await builtin.current(context.db, report.form)).title


async def _accept(update: Update, context: BotContext, report: Report, *, from_queue: bool) -> None:
    query = update.callback_query
    assert query is not None
    recorded = await decide(
        context.application, report.id, report.version, status=reviews.ACCEPTED, admin_id=query.from_user.id,
        admin_name=display_name(query.from_user),
    )  # fmt: skip
    if not recorded:
        await query.answer(texts.REVIEW_ALREADY, show_alert=True)
        return
    await query.answer(texts.BUTTON_REVIEW_OK)
    if from_queue:
        await show_queue(context, query.from_user.id, after=report_key(report), in_place_of=_message_id(update))


async def comment(update: Update, context: BotContext, report_id: int, version: int | None = None) -> None:
    """The admin's text after Perlu perbaikan on `version`: the decision, sent to the group and the submitter."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    text = (message.text or "").strip()
    if not text:
        await message.reply_text(texts.REVIEW_COMMENT_EMPTY)
        return
    report = await forms.get_report(context.db, report_id)
    if report is None:
        await reviews.drop_comment(context.db, user.id)
        await message.reply_text(texts.BUTTON_EXPIRED)
        return
    asked_on = version or report.version
    recorded = await decide(
        context.application, report.id, asked_on, status=reviews.NEEDS_FIX, admin_id=user.id,
        admin_name=display_name(user), comment=text,
    )  # fmt: skip
    if not recorded:
        await reviews.drop_comment(context.db, user.id)
        await message.reply_text(texts.REVIEW_OUTDATED if report.version != asked_on else texts.REVIEW_ALREADY)
        return
    await message.reply_text(texts.review_comment_sent(await _title(context, report), report.number))


# --- /tinjau -------------------------------------------------------------------------------------------------


@dinsos_admin_command
async def tinjau(update: Update, context: BotContext) -> None:
    """/tinjau: the oldest report or evaluation still waiting for a decision, with the admin's copies setting."""
    user = update.effective_user
    assert user is not None
    await show_queue(context, user.id, after=None, in_place_of=None)


QueueKey = tuple[str, int, int]  # (waiting since, 0 report / 1 plan, id): the queue's order


def report_key(report: Report) -> QueueKey:
    return (report.updated_at, 0, report.id)


def plan_key(plan: Plan) -> QueueKey:
    return (plan.submitted_at or plan.updated_at, 1, plan.id)


@dataclass(frozen=True)
class _Waiting:
    key: QueueKey
    report: Report | None = None
    plan: Plan | None = None


async def _waiting(context: BotContext) -> list[_Waiting]:
    """Reports and submitted program kerja still waiting for a decision, the longest waiting first."""
    items = [_Waiting(report_key(r), report=r) for r in await forms.waiting_for_review(context.db)]
    items += [_Waiting(plan_key(p), plan=p) for p in await program_kerja.submitted(context.db)]
    return sorted(items, key=lambda item: item.key)


async def show_queue(context: BotContext, admin_id: int, *, after: QueueKey | None, in_place_of: int | None) -> None:
    """The next waiting item after `after` (or the oldest), shown in place of the queue message if given."""
    waiting = await _waiting(context)
    later = [w for w in waiting if after is None or w.key > after]
    mode = await reviews.copies_mode(context.db, admin_id)
    setting = _copies_button(mode)
    if not later:
        text = texts.REVIEW_QUEUE_END if waiting and after is not None else texts.REVIEW_QUEUE_EMPTY
        text += "\n\n" + texts.review_copies_setting(mode == reviews.DAILY)
        markup = InlineKeyboardMarkup([[setting]])
    else:
        item = later[0]
        header = texts.review_queue_header(waiting.index(item) + 1, len(waiting))
        copy, keyboard = await _queue_item(context, item)
        text = f"{header}\n\n{copy}"
        markup = InlineKeyboardMarkup([*keyboard.inline_keyboard, [setting]])
    if in_place_of is not None:
        await edit_text(context, admin_id, in_place_of, text[:4096], reply_markup=markup)
    else:
        await context.bot.send_message(admin_id, text[:4096], parse_mode=ParseMode.HTML, reply_markup=markup)


async def _queue_item(context: BotContext, item: _Waiting) -> tuple[str, InlineKeyboardMarkup]:
    """The item's copy as the admins received it, with Diterima / Perlu perbaikan / Lewati."""
    if item.report is not None:
        report = item.report
        kecamatan = kecamatan_by_code(report.kecamatan_code)
        programs = await program_kerja.program_names(context.db, report.kecamatan_code)
        form = await builtin.current(context.db, report.form)
        name = kecamatan.name if kecamatan else report.kecamatan_code
        copy = admin_copy_text(form, report, name, context.config.timezone, programs)
        return copy, review_keyboard(report.id, report.version, "tj")
    plan = item.plan
    assert plan is not None
    copy = await plan_review.admin_text(context.db, plan, plan.submitted_by or "")
    [row] = plan_review.decision_keyboard(plan.id, PLAN_QUEUE_PREFIX).inline_keyboard
    skip = InlineKeyboardButton(texts.BUTTON_REVIEW_SKIP, callback_data=f"{PLAN_QUEUE_PREFIX}:skip:{plan.id}")
    return copy, InlineKeyboardMarkup([[*row, skip]])


def _copies_button(mode: str) -> InlineKeyboardButton:
    """The button offers the other way of receiving copies."""
    if mode == reviews.DAILY:
        return InlineKeyboardButton(texts.BUTTON_COPIES_EACH, callback_data="tj:copies:each")
    return InlineKeyboardButton(texts.BUTTON_COPIES_DAILY, callback_data="tj:copies:daily")


async def set_copies(update: Update, context: BotContext) -> None:
    """Copies one by one, or one daily summary: stored per admin, said in an alert."""
    query = update.callback_query
    assert query is not None
    if not context.is_dinsos_admin(query.from_user.id):
        await query.answer(texts.ADMIN_ONLY, show_alert=True)
        return
    match = re.match(COPIES_PATTERN, query.data or "")
    assert match is not None
    mode = reviews.DAILY if match[1] == "daily" else reviews.EACH
    await reviews.set_copies_mode(context.db, query.from_user.id, mode, context.now())
    await query.answer(texts.review_copies_setting(mode == reviews.DAILY), show_alert=True)
    markup = query.message.reply_markup if query.message is not None else None
    if markup is not None:
        rows = [list(row) for row in markup.inline_keyboard[:-1]] + [[_copies_button(mode)]]
        await edit_markup(query, InlineKeyboardMarkup(rows))


async def daily_summary(context: BotContext) -> None:
    """Job, 16.00 WIB: today's summary for each admin who chose it."""
    await _summarise(context, context.now().astimezone(context.config.timezone).date())


async def catch_up_daily(context: BotContext) -> None:
    """At start: the newest 16.00 WIB summary the bot was down for, if still within REMINDER_GRACE_HOURS.

    Only the newest: an older day's summary says nothing the newest does not (what waits is in both).
    """
    now, tz = context.now(), context.config.timezone
    local = now.astimezone(tz)
    day = local.date() if local.time() >= DAILY_AT else local.date() - timedelta(days=1)
    due = datetime.combine(day, DAILY_AT, tzinfo=tz)
    if now - due <= timedelta(hours=context.config.reminder_grace_hours):
        await _summarise(context, day)


async def _summarise(context: BotContext, day: date) -> None:
    """One summary of `day` for each admin who chose it, once (the day is claimed in storage with its messages)."""
    admins = await reviews.daily_admins(context.db)
    admins &= set(context.config.admin_ids)
    if not admins:
        return
    now, tz = context.now(), context.config.timezone
    since = datetime.combine(day, time(0, 0), tzinfo=tz)
    received = await forms.submitted_between(context.db, since, since + timedelta(days=1))
    waiting = len(await forms.waiting_for_review(context.db))
    owed = []
    if received or waiting:  # nothing came and nothing waits: no message to read (the day still counts as run)
        text = texts.review_daily_summary(long_date(day), received, waiting)
        # The outbox names a kecamatan for every row; a summary belongs to none, so it carries the region's first
        # one, as the reminder digest does.
        owed = [
            outbox.Owed(DAILY_KIND, int(day.strftime("%Y%m%d")), load_kecamatan()[0].code, admin_id,
                        {"text": text, "parse_mode": ParseMode.HTML}, f"admin:{admin_id}")
            for admin_id in sorted(admins)
        ]  # fmt: skip
    if await reviews.claim_daily_summary(context.db, day.isoformat(), now, owed):
        context.sender.wake()
