"""/rekap [minggu|bulan] (Dinsos admins, private chat): how each of the 40 kecamatan is doing, as text and chart.

Per kecamatan: this week's evaluation (sudah / diizinkan / belum / belum terdaftar), laporan in the period (this
WIB calendar month by default, this week Senin–Minggu with `minggu`), the last report or evaluation, and how
many of the period's announcements the group marked read. "This week" and "this month" come from the injected
clock in the configured time zone.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.constants import ParseMode

from bot import texts
from bot.access import dinsos_admin_command
from bot.context import BotContext
from bot.dates import MONTHS
from bot.formatting import split_lines
from handlers.form_entry import week_label, week_start
from storage import recap
from storage.recap import EvaluationStatus, KecamatanRecap

WEEK = "minggu"
MONTH = "bulan"
CHART_FILENAME = "rekap.png"

# The chart's colours; the message uses the matching square emoji (texts.RECAP_STATUS_ICON).
STATUS_COLOURS = {
    EvaluationStatus.SUBMITTED: "#2e7d32",
    EvaluationStatus.EXCUSED: "#1f77b4",
    EvaluationStatus.MISSING: "#d62728",
    EvaluationStatus.UNREGISTERED: "#9e9e9e",
}


@dataclass(frozen=True)
class Period:
    kind: str  # WEEK or MONTH
    since: datetime  # inclusive
    until: datetime  # exclusive
    label: str  # "November 2026", or the week as form_entry.week_label() writes it


def period_of(kind: str, now: datetime, tz: ZoneInfo) -> Period:
    """The WIB week (Senin 00.00 to the next Senin) or calendar month that contains `now`."""
    local = now.astimezone(tz)
    if kind == WEEK:
        monday = local.date() - timedelta(days=local.weekday())
        since = datetime(monday.year, monday.month, monday.day, tzinfo=tz)
        return Period(WEEK, since, since + timedelta(days=7), week_label(monday.isoformat()))
    since = datetime(local.year, local.month, 1, tzinfo=tz)
    until = datetime(local.year + local.month // 12, local.month % 12 + 1, 1, tzinfo=tz)
    return Period(MONTH, since, until, f"{MONTHS[local.month - 1]} {local.year}")


@dinsos_admin_command
async def rekap(update: Update, context: BotContext) -> None:
    """/rekap: the recap message (split to fit), then the chart rendered off the event loop."""
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and chat is not None
    args = [a.lower() for a in context.args or []]
    if len(args) > 1 or (args and args[0] not in (WEEK, MONTH)):
        await message.reply_text(texts.RECAP_USAGE)
        return
    now, tz = context.now(), context.config.timezone
    period = period_of(args[0] if args else MONTH, now, tz)
    week = week_start(now, context)
    rows = await recap.kecamatan_recap(context.db, week=week, since=period.since, until=period.until)
    for chunk in split_lines(recap_lines(rows, period, week_label(week), tz)):
        await message.reply_text(chunk, parse_mode=ParseMode.HTML)
    png = await asyncio.to_thread(recap_chart, rows, period, week_label(week))
    caption = texts.recap_chart_caption(period.label, weekly=period.kind == WEEK)
    await message.reply_photo(png, caption=caption, parse_mode=ParseMode.HTML, filename=CHART_FILENAME)


def recap_lines(rows: list[KecamatanRecap], period: Period, week: str, tz: ZoneInfo) -> list[str]:
    """The header of totals, then one line per kecamatan."""
    counts = {status.value: sum(r.evaluation is status for r in rows) for status in EvaluationStatus}
    lines = texts.recap_header(
        period=period.label,
        weekly=period.kind == WEEK,
        week=week,
        counts=counts,
        total=len(rows),
        reports=sum(r.reports for r in rows),
        acknowledged=sum(r.acknowledged for r in rows),
        delivered=sum(r.delivered for r in rows),
    )
    for row in rows:
        last = _day_and_time(row.last_activity, tz) if row.last_activity else None
        lines.append(
            texts.recap_line(row.name, row.evaluation.value, row.reports, row.acknowledged, row.delivered, last)
        )
    return lines


def _day_and_time(moment: datetime, tz: ZoneInfo) -> str:
    """'23 Nov 2026 09.00' (WIB): the year matters here, activity may be long ago."""
    local = moment.astimezone(tz)
    return f"{local.day} {MONTHS[local.month - 1][:3]} {local.year} {local:%H.%M}"


def recap_chart(rows: list[KecamatanRecap], period: Period, week: str) -> bytes:
    """Laporan per kecamatan as a PNG, bars coloured by this week's evaluation (blocking: run it in a thread)."""
    # matplotlib costs about 40 MiB of memory: loaded on the first /rekap, not at every start (bench/forms).
    from bot.chart import Bar, Category, horizontal_bars_png

    categories = {
        status: Category(texts.RECAP_STATUS_LABEL[status.value], STATUS_COLOURS[status]) for status in EvaluationStatus
    }
    return horizontal_bars_png(
        [Bar(r.name, r.reports, categories[r.evaluation]) for r in rows],
        title=texts.recap_chart_title(period.label, weekly=period.kind == WEEK),
        xlabel=texts.RECAP_CHART_XLABEL,
        legend=list(categories.values()),
        legend_title=texts.recap_chart_legend_title(week),
    )
