"""Weekly evaluation reminders to the groups that have not reported, the digest for Dinsos, /pengingat,
/libur and /izin.

A job ticks every minute and asks the schedule what is due now (bot/reminder_schedule.py). Each run is a row
in reminder_run with a unique slot key, written together with its outbox messages: a second tick, a restart or
a double tap on "Kirim sekarang" finds the row and sends nothing again.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode

from bot import texts
from bot.access import dinsos_admin_command
from bot.context import BotContext
from bot.dates import DAYS, long_date, long_wib, week_range
from bot.formatting import split_lines
from bot.forms.parse import NEXT, Invalid, parse_date
from bot.reminder_schedule import Schedule, crontab_trigger, plain
from bot.sending import edit_markup
from bot.wilayah import load_kecamatan, match_kecamatan
from handlers import program_kerja_schedule, xlsform_reminders
from handlers.form_entry import payload_for, week_start
from storage import outbox, reminders
from storage.reminders import DIGEST_KIND, REMINDER_KIND, Run, WeekStatus

logger = logging.getLogger(__name__)

TICK_JOB = "reminders:tick"
TICK_EVERY = timedelta(minutes=1)
# APScheduler settings for the tick, on purpose: coalesce=True folds ticks missed while the loop was busy (or the
# machine asleep) into one, since one tick already does all that is due; misfire_grace_time=60 lets a late tick
# still run rather than be dropped; max_instances=1 keeps two ticks from overlapping. Whether a reminder is still
# worth sending is decided by REMINDER_GRACE_HOURS and the ledger, not by the scheduler.
TICK_JOB_KWARGS = {"coalesce": True, "misfire_grace_time": 60, "max_instances": 1}
SEND_NOW_PATTERN = r"^rem:now$"


def schedule(context: BotContext) -> Schedule:
    config = context.config
    return Schedule(
        crontab_trigger(config.reminder_cron, config.timezone),
        config.timezone,
        timedelta(hours=config.reminder_followup_hours),
        timedelta(hours=config.reminder_grace_hours),
    )


async def _holidays(context: BotContext) -> set[date]:
    today = context.now().astimezone(context.config.timezone).date()
    return {h.day for h in await reminders.holidays(context.db, since=today - timedelta(days=60))}


async def tick(context: BotContext) -> None:
    """Job: run every first reminder and follow-up that is due now and has not run yet."""
    now = context.now()
    for kind, slot, due in schedule(context).due_now(now, await _holidays(context)):
        week = week_start(slot.nominal, context)
        # The published XLSForms go with both runs of the slot, and their counts into the same digest.
        forms = await xlsform_reminders.due_at_slot(context, slot.nominal, followup=kind == "followup")
        done = await run(context, kind=kind, slot_key=f"{kind}:{slot.key}", week=week, due_at=due, forms=forms)
        if done is not None:
            logger.info("Reminder %s for week %s: %d group(s), %d form(s)", kind, week, len(done.status.missing),
                        len(done.forms))  # fmt: skip
    # "Program bulan ini" on the month's first working day: the same tick, so a restart catches it up at once.
    await program_kerja_schedule.monthly_nudge(context)


async def run(
    context: BotContext, *, kind: str, slot_key: str, week: str, due_at: datetime,
    forms: list[reminders.FormDue] | None = None,
) -> Run | None:  # fmt: skip
    """Queue the reminders (missing groups only) and the admins' digest; None if this slot already ran."""
    if await reminders.slot_ran(context.db, slot_key):
        return None  # the usual answer for a minute of the grace period; record_run checks again in its write
    now = context.now()
    followup = kind == "followup"
    # Program kerja: the reminder to submit the year's plan, and its lines in the digest (read before the run).
    plans = await program_kerja_schedule.weekly(context, kind=kind, week=week)

    def owed(run_id: int, status: WeekStatus, progress: tuple[reminders.FormProgress, ...]) -> list[outbox.Owed]:
        messages = [
            outbox.Owed(
                REMINDER_KIND, run_id, g.kecamatan_code, g.chat_id, _reminder_payload(context, g, week, kind, now)
            )
            for g in status.missing
        ]
        messages += xlsform_reminders.reminder_messages(context, progress, followup=followup)
        messages += plans.reminders(status.active)
        lines = [_digest(status, kind), *xlsform_reminders.digest_lines(progress, context.config.timezone)]
        lines += plans.digest_lines(status.active)
        code = status.active[0].kecamatan_code if status.active else load_kecamatan()[0].code
        # Many forms for 40 kecamatan can outgrow one message: the digest then comes in parts, in order.
        for part, chunk in enumerate(split_lines(lines), start=1):
            digest = {"text": chunk, "parse_mode": ParseMode.HTML}
            for admin_id in sorted(context.config.admin_ids):
                recipient = f"admin:{admin_id}" + (f":{part}" if part > 1 else "")
                messages.append(outbox.Owed(DIGEST_KIND, run_id, code, admin_id, digest, recipient))
        return messages

    done = await reminders.record_run(
        context.db, slot_key=slot_key, kind=kind, week=week, due_at=due_at, now=now, owed=owed, forms=forms or ()
    )
    if done is not None:
        context.sender.wake()
    return done


def deadline_words(week: str) -> str:
    """'Minggu, 6 Desember 2026 pukul 23.59 WIB': the end of the reporting week."""
    return f"{long_date(date.fromisoformat(week) + timedelta(days=6))} pukul 23.59 WIB"


def _reminder_payload(context: BotContext, group: reminders.Group, week: str, kind: str, now: datetime) -> dict:
    monday = date.fromisoformat(week)
    deadline = datetime.combine(monday + timedelta(days=6), time(23, 59), tzinfo=context.config.timezone)
    text = texts.reminder_text(
        group.kecamatan_name, week_range(monday), deadline_words(week),
        followup=kind == "followup", overdue=now > deadline,
    )  # fmt: skip
    link = f"https://t.me/{context.bot.username}?start={payload_for('evaluasi', group.kecamatan_code, week)}"
    markup = InlineKeyboardMarkup([[InlineKeyboardButton(texts.BUTTON_FILL_EVALUATION, url=link)]])
    return {"text": text, "parse_mode": ParseMode.HTML, "reply_markup": markup.to_dict()}


def _names(status: WeekStatus, codes: frozenset[str] | set[str]) -> list[str]:
    return [g.kecamatan_name for g in status.active if g.kecamatan_code in codes]


def _digest(status: WeekStatus, kind: str) -> str:
    return texts.reminder_digest(
        week_range(date.fromisoformat(status.week)),
        deadline=deadline_words(status.week),
        followup=kind == "followup",
        done=len(status.expected) - len(status.missing),
        expected=len(status.expected),
        missing=[g.kecamatan_name for g in status.missing],
        excused=_names(status, status.excused),
        missing_twice=_names(status, status.missing_twice),
        unregistered=status.unregistered,
    )


def schedule_words(cron: str) -> str:
    """REMINDER_CRON as a sentence ('Setiap Jumat pukul 09.00 WIB'), or as written when it is unusual."""
    when = plain(cron)
    if when is None:
        return texts.schedule_as_written(cron)
    days = None if when.weekdays is None else [DAYS[d] for d in when.weekdays]
    return texts.schedule_words(days, f"{when.hour:02d}.{when.minute:02d}")


@dinsos_admin_command
async def pengingat(update: Update, context: BotContext) -> None:
    """/pengingat: the schedule, the next run in WIB, this week's status, and Kirim sekarang."""
    message = update.effective_message
    assert message is not None
    now = context.now()
    holidays = await _holidays(context)
    next_due = schedule(context).next_due(now, holidays)
    status = await reminders.week_status(context.db, week_start(now, context))
    today = now.astimezone(context.config.timezone).date()
    upcoming = [long_date(d) for d in sorted(holidays) if d >= today]
    text = texts.reminder_overview(
        schedule_words(context.config.reminder_cron), long_wib(next_due, context.config.timezone) if next_due else None,
        context.config.reminder_followup_hours, week_range(date.fromisoformat(status.week)),
        len(status.expected) - len(status.missing), len(status.expected), [g.kecamatan_name for g in status.missing],
        _names(status, status.excused), upcoming,
    )  # fmt: skip
    markup = InlineKeyboardMarkup([[InlineKeyboardButton(texts.BUTTON_SEND_NOW, callback_data="rem:now")]])
    await message.reply_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)


async def send_now(update: Update, context: BotContext) -> None:
    """Kirim sekarang: one manual run per button (the message identifies it), to the groups still missing."""
    query = update.callback_query
    assert query is not None
    if not context.is_dinsos_admin(query.from_user.id) or query.message is None:
        await query.answer(texts.ADMIN_ONLY, show_alert=True)
        return
    key = f"manual:{query.message.chat.id}:{query.message.message_id}"
    now = context.now()
    done = await run(context, kind="manual", slot_key=key, week=week_start(now, context), due_at=now)
    if done is None:
        await query.answer(texts.REMINDER_ALREADY_SENT, show_alert=True)
        return
    await query.answer(texts.reminder_sent_now(len(done.status.missing)), show_alert=True)
    await edit_markup(query, None)


@dinsos_admin_command
async def libur(update: Update, context: BotContext) -> None:
    """/libur [hapus] <tanggal> [alasan], or /libur to list the coming holidays."""
    message = update.effective_message
    assert message is not None
    today = context.now().astimezone(context.config.timezone).date()
    words = list(context.args or [])
    if not words:
        listed = [
            long_date(h.day) + (f" – {h.reason}" if h.reason else "")
            for h in await reminders.holidays(context.db, since=today)
        ]
        await message.reply_text(
            texts.holidays_list(listed) if listed else texts.HOLIDAYS_NONE, parse_mode=ParseMode.HTML
        )
        return
    remove = words[0].lower() == "hapus"
    if remove:
        words = words[1:]
    day, reason = _date_and_rest(words, today)
    if day is None:
        await message.reply_text(texts.HOLIDAY_USAGE, parse_mode=ParseMode.HTML)
        return
    if remove:
        removed = await reminders.remove_holiday(context.db, day)
        await message.reply_text(texts.holiday_removed(long_date(day), removed))
        return
    assert update.effective_user is not None
    new = await reminders.add_holiday(
        context.db, day, reason=reason[:200], admin_id=update.effective_user.id, now=context.now()
    )
    await message.reply_text(texts.holiday_added(long_date(day), reason[:200], new), parse_mode=ParseMode.HTML)


def _date_and_rest(words: list[str], today: date) -> tuple[date | None, str]:
    """The date written in 1 to 3 words (25/12/2026, 25 Des, 25 Desember 2026), and the reason after it.

    A holiday is planned ahead: a date without a year is the next such day."""
    for count in (3, 2, 1):
        try:
            return parse_date(" ".join(words[:count]), today, without_year=NEXT), " ".join(words[count:])
        except Invalid:
            continue
    return None, ""


@dinsos_admin_command
async def izin(update: Update, context: BotContext) -> None:
    """/izin <kecamatan> [alasan]: excused from this week's evaluation; /izin lists this week's."""
    message, user = update.effective_message, update.effective_user
    assert message is not None
    week = week_start(context.now(), context)
    label = week_range(date.fromisoformat(week))
    text = " ".join(context.args or []).strip()
    if not text:
        rows = [
            f"{name}" + (f" – {reason}" if reason else "")
            for _, name, reason in await reminders.excuses(context.db, week)
        ]
        await message.reply_text(texts.excuses_list(label, rows), parse_mode=ParseMode.HTML)
        return
    kecamatan, reason = _kecamatan_and_rest(text)
    if kecamatan is None:
        await message.reply_text(texts.excuse_usage(), parse_mode=ParseMode.HTML)
        return
    new = await reminders.excuse(
        context.db, kecamatan.code, week, reason=reason[:200], admin_id=user.id, now=context.now()
    )
    await message.reply_text(texts.excuse_added(kecamatan.name, label, new), parse_mode=ParseMode.HTML)


def _kecamatan_and_rest(text: str):  # type: ignore[no-untyped-def]
    """The longest leading words that name a kecamatan ('Susukan Lebak sakit' → Susukan Lebak), and the rest."""
    words = text.split()
    for count in range(min(len(words), 4), 0, -1):
        kecamatan = match_kecamatan(" ".join(words[:count]))
        if kecamatan is not None:
            return kecamatan, " ".join(words[count:])
    return None, ""
