"""Program kerja on the bot's schedule: the weekly reminder to groups that have not submitted the year's plan
(until the deadline), its lines in the admins' weekly digest (who has not submitted; in the first digest of a
month, the programs that turned late in the month that ended), and "Program bulan ini" on the first working day
of each month.

Both ride on the reminder tick (handlers/reminders.py, every minute on the injected clock). Each message is owed
through the outbox under a key that names its week or month, so a second tick, a restart or a catch-up never
doubles it; the monthly run is also claimed once (storage/plan_schedule.py).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from telegram.constants import ParseMode

from bot.context import BotContext
from bot.dates import MONTHS, long_date
from bot.forms.parse import format_rupiah
from bot.program_kerja import realization
from bot.program_kerja.model import lokasi_label, planning_year
from bot.program_kerja.standing import standings
from bot.reminder_schedule import plain
from bot.texts import program_dinsos as t
from bot.wilayah import kecamatan_by_code
from storage import outbox, plan_schedule, program_kerja, registrations, reminders
from storage.reminders import Group

logger = logging.getLogger(__name__)

REMINDER_KIND = "plan_reminder"  # ref_id: the plan's year; recipient '<kecamatan>:<week>': one a week
NUDGE_KIND = "plan_nudge"  # ref_id: YYYYMM; recipient: the kecamatan
DEFAULT_NUDGE_AT = time(9, 0)  # when REMINDER_CRON is too unusual to name one hour


@dataclass(frozen=True)
class YearDue:
    """A planning year with a deadline: who has not submitted, and whether the deadline has passed."""

    year: int
    deadline: date
    passed: bool
    without_plan: frozenset[str]


@dataclass(frozen=True)
class Weekly:
    """What one weekly reminder run adds for program kerja."""

    week: str
    remind: bool  # a first reminder run (not a follow-up, not Kirim sekarang): the plan reminder rides on it
    years: tuple[YearDue, ...] = ()
    late: tuple[str, ...] = ()  # digest lines: the programs that turned late in the month that ended

    def reminders(self, active: Sequence[Group]) -> list[outbox.Owed]:
        """One polite reminder per group without a plan, per year whose deadline has not passed."""
        if not self.remind:
            return []
        return [
            outbox.Owed(REMINDER_KIND, due.year, g.kecamatan_code, g.chat_id,
                        {"text": t.plan_reminder(g.kecamatan_name, due.year, long_date(due.deadline)),
                         "parse_mode": ParseMode.HTML},
                        f"{g.kecamatan_code}:{self.week}")
            for due in self.years if not due.passed
            for g in active if g.kecamatan_code in due.without_plan
        ]  # fmt: skip

    def digest_lines(self, active: Sequence[Group]) -> list[str]:
        lines = [
            t.digest_without_plan(due.year, long_date(due.deadline), due.passed,
                                  [g.kecamatan_name for g in active if g.kecamatan_code in due.without_plan])
            for due in self.years
        ]  # fmt: skip
        return lines + list(self.late)


async def weekly(context: BotContext, *, kind: str, week: str) -> Weekly:
    """Read before the reminder run is recorded: the years with a deadline, and the late programs if this is the
    month's first digest."""
    now, tz = context.now(), context.config.timezone
    today = now.astimezone(tz).date()
    years = []
    for year in sorted({today.year, planning_year(today)}):
        deadline = await program_kerja.deadline(context.db, year)
        if deadline is None:
            continue
        rows = await standings(context.db, year, today)
        missing = frozenset(r.code for r in rows if not r.submitted)
        years.append(YearDue(year, deadline, today > deadline, missing))
    late: list[str] = []
    if kind != "manual":
        month_start = datetime(today.year, today.month, 1, tzinfo=tz)
        if not await reminders.digests_since(context.db, month_start):
            late = await _late_lines(context, today)
    return Weekly(week, kind == "first", tuple(years), tuple(late))


async def _late_lines(context: BotContext, today: date) -> list[str]:
    """The programs planned in the month that ended without a laporan in it, per kecamatan."""
    ended = today.replace(day=1) - timedelta(days=1)
    rows = await standings(context.db, ended.year, today)
    late = [(r, realization.turned_late(r.realized, ended.month)) for r in rows]
    late = [(r, found) for r, found in late if found]
    if not late:
        return []
    lines = [t.digest_late_header(f"{MONTHS[ended.month - 1]} {ended.year}", sum(len(found) for _, found in late))]
    lines += [t.digest_late_line(r.name, [p.program.nama for p in found]) for r, found in late]
    return lines


# --- "Program bulan ini" ----------------------------------------------------------------------------------------


def first_working_day(year: int, month: int, holidays: set[date]) -> date:
    """The month's first Monday-to-Friday that is not a holiday (/libur)."""
    day = date(year, month, 1)
    while day.weekday() >= 5 or day in holidays:
        day += timedelta(days=1)
    return day


def nudge_time(cron: str) -> time:
    """The reminder hour: REMINDER_CRON's clock time, or 09.00 when it does not name one."""
    when = plain(cron)
    return time(when.hour, when.minute) if when is not None else DEFAULT_NUDGE_AT


async def monthly_nudge(context: BotContext) -> int | None:
    """On the month's first working day, from the reminder hour on: each registered group whose approved plan has
    programs planned this month gets them, once. Returns how many groups were nudged, None if nothing ran."""
    now, tz = context.now(), context.config.timezone
    local = now.astimezone(tz)
    today = local.date()
    if local.time() < nudge_time(context.config.reminder_cron):
        return None
    key = f"nudge:{today:%Y-%m}"
    if await plan_schedule.has_run(context.db, key):
        return None
    holidays = {h.day for h in await reminders.holidays(context.db, since=today.replace(day=1))}
    if today != first_working_day(today.year, today.month, holidays):
        return None
    owed = await _nudges(context, today)
    if not await plan_schedule.claim(context.db, key, now, owed):
        return None
    context.sender.wake()
    logger.info("Program bulan ini %s: %d group(s)", key, len(owed))
    return len(owed)


async def _nudges(context: BotContext, today: date) -> list[outbox.Owed]:
    in_force = await program_kerja.in_force_programs(context.db, today.year)
    month = f"{MONTHS[today.month - 1]} {today.year}"
    owed = []
    for group in await registrations.all_registrations(context.db):
        if group.status is not registrations.Status.ACTIVE:
            continue
        planned = realization.planned_in(in_force.get(group.kecamatan_code, []), today.month)
        if not planned:
            continue
        kecamatan = kecamatan_by_code(group.kecamatan_code)
        lines = [t.nudge_line(p.nama, lokasi_label(p.lokasi, kecamatan), format_rupiah(p.anggaran)) for p in planned]
        text = t.monthly_nudge(group.kecamatan_name, month, lines)
        owed.append(outbox.Owed(NUDGE_KIND, int(f"{today:%Y%m}"), group.kecamatan_code, group.chat_id,
                                {"text": text, "parse_mode": ParseMode.HTML}))  # fmt: skip
    return owed


# --- /rekap ---------------------------------------------------------------------------------------------------


async def recap_lines(context: BotContext, year: int, codes: set[str]) -> list[str]:
    """/rekap: one line per kecamatan with a plan for `year` (state, realized/planned, late), and the registered
    ones without any folded into one line. Nothing before any kecamatan has begun a plan for the year."""
    today = context.now().astimezone(context.config.timezone).date()
    rows = await standings(context.db, year, today)
    begun = [r for r in rows if r.latest is not None]
    if not begun:
        return []
    lines = [t.recap_header(year)]
    for row in begun:
        state = t.state_label(row.latest.status if row.latest else None, row.in_force is not None)
        lines.append(t.recap_line(row.name, state, row.totals.done, row.totals.programs, row.totals.late))
    without = [r.name for r in rows if r.latest is None and r.code in codes]
    if without:
        lines.append(t.recap_without_plan(without))
    return lines
