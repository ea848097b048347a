"""Published XLSForms in the weekly reminder runs (handlers/reminders.tick) and in /rekap.

At each reminder slot, the first reminder and its follow-up alike, every published form reminds the groups it
was published to that have not sent it in its current period: since publication until the end of its deadline
day for a one-off form, the week (Senin–Minggu) or calendar month of the slot for a recurring one; never once
that period is over, and a closed form not at all. Dinsos's digest of the run counts each form under the
evaluation's. The run and each form's ledger row (xform_reminder, 'xform:<id>:<slot>' for the first reminder,
'xform:<id>:followup:<slot>' for the follow-up) are written with their messages in one transaction
(storage.reminders.record_run), so a second tick, a restart or a catch-up never reminds twice.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode

from bot import texts
from bot.clock import parse_iso
from bot.context import BotContext
from bot.dates import day_date, long_date
from handlers import xlsform_fill
from storage import outbox, reminders, xlsforms
from storage.reminders import FormDue, FormProgress
from storage.xlsforms import Publication

REMINDER_KIND = "xform_reminder"
# Digests were once one message per form; rows of that kind queued before an upgrade still go out.
DIGEST_KIND = "xform_digest"
# A one-off form published without a deadline (none is today) stays open.
_OPEN_END = date(9999, 12, 30)


def form_period(publication: Publication, moment: datetime, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[since, until) of the form's period that contains `moment` (for a one-off form: its only period)."""
    local = moment.astimezone(tz).date()
    if publication.schedule == "once":
        last = date.fromisoformat(publication.deadline) if publication.deadline else _OPEN_END
        return parse_iso(publication.published_at), _midnight(last + timedelta(days=1), tz)
    if publication.schedule == "weekly":
        first = local - timedelta(days=local.weekday())
        return _midnight(first, tz), _midnight(first + timedelta(days=7), tz)
    first = local.replace(day=1)
    return _midnight(first, tz), _midnight(date(first.year + first.month // 12, first.month % 12 + 1, 1), tz)


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=tz)


def last_day(due: FormDue, tz: ZoneInfo) -> date:
    """The period's last day: the deadline, the Minggu of the week, the last of the month."""
    return (due.until.astimezone(tz) - timedelta(days=1)).date()


async def _due(context: BotContext, moment: datetime, slot_key: str | None) -> list[FormDue]:
    tz, found = context.config.timezone, []
    for form, publication in await xlsforms.published(context.db):
        since, until = form_period(publication, moment, tz)
        targets = await xlsforms.targets(context.db, publication)
        key = "" if slot_key is None else f"xform:{form.id}:{slot_key}"
        found.append(FormDue(form, publication, since, until, None if targets is None else frozenset(targets), key))
    return found


async def due_at_slot(context: BotContext, nominal: datetime, *, followup: bool) -> list[FormDue]:
    """The forms a reminder run at this slot reminds of: those whose period (the slot's) has not ended yet."""
    now = context.now()
    key = f"followup:{nominal.isoformat()}" if followup else nominal.isoformat()
    return [due for due in await _due(context, nominal, key) if now < due.until]


async def current(context: BotContext) -> list[FormProgress]:
    """Every published form in its current period (a one-off form also after its deadline), for /rekap."""
    return await reminders.form_progress(context.db, await _due(context, context.now(), None))


def reminder_messages(context: BotContext, forms: tuple[FormProgress, ...], *, followup: bool) -> list[outbox.Owed]:
    """One reminder per form to each group it is for that has not sent it, with the button that opens it."""
    tz, owed = context.config.timezone, []
    for progress in forms:
        due = progress.due
        deadline = long_date(last_day(due, tz))
        for group in progress.missing:
            start = xlsform_fill.payload_for(due.form.id, group.kecamatan_code)
            link = f"https://t.me/{context.bot.username}?start={start}"
            markup = InlineKeyboardMarkup([[InlineKeyboardButton(texts.BUTTON_FILL_IN_PRIVATE, url=link)]])
            text = texts.xlsform_reminder(group.kecamatan_name, due.form.title, deadline, followup=followup)
            payload = {"text": text, "parse_mode": ParseMode.HTML, "reply_markup": markup.to_dict()}
            owed.append(outbox.Owed(REMINDER_KIND, progress.run_id, group.kecamatan_code, group.chat_id, payload))
    return owed


def digest_lines(forms: tuple[FormProgress, ...], tz: ZoneInfo) -> list[str]:
    """The forms' block of the run's digest: per form, how many of its kecamatan sent it and who was reminded."""
    if not forms:
        return []
    lines = [texts.XLSFORM_DIGEST_HEADER]
    for progress in forms:
        lines += texts.xlsform_digest(
            progress.due.form.title, long_date(last_day(progress.due, tz)), progress.done, len(progress.expected),
            [g.kecamatan_name for g in progress.missing],
        )  # fmt: skip
    return lines


def recap_lines(forms: list[FormProgress], now: datetime, tz: ZoneInfo) -> list[str]:
    """The forms' block of /rekap: one line per form in its current period."""
    if not forms:
        return []
    lines = [texts.xlsform_recap_header(len(forms))]
    for progress in forms:
        due = progress.due
        schedule = due.publication.schedule
        lines.append(
            texts.xlsform_recap_line(
                due.form.title, schedule, day_date(last_day(due, tz)), over=now >= due.until,
                submissions=progress.submissions, done=progress.done, expected=len(progress.expected),
                missing=[g.kecamatan_name for g in progress.missing],
            )
        )  # fmt: skip
    return lines
