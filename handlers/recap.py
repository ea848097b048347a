"""/rekap [minggu|bulan|<bulan>] (Dinsos admins, private chat): how the 40 kecamatan are doing, as text and chart.

Per kecamatan: this week's evaluation (sudah / diizinkan / belum / belum terdaftar), laporan in the period (this
WIB calendar month by default, this week Senin–Minggu with `minggu`, or a month such as `oktober`), the last
report or evaluation, and how many of the period's announcements the group marked read. The kecamatan come
grouped by what needs attention (no evaluation first); those without a group share one line. "This week" and
"this month" come from the injected clock in the configured time zone. Above them, in a recap of this week or
month, each published XLSForm in its own current period: how many sent it and which of its kecamatan have not.
Below them, one line per kecamatan about its program kerja for the period's year (state, realized/planned, late).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.constants import ParseMode

from bot import texts
from bot.access import dinsos_admin_command
from bot.context import BotContext
from bot.dates import MONTHS, day_date, long_wib, week_range
from bot.formatting import split_lines
from bot.forms.parse import parse_month
from handlers import program_kerja_schedule, xlsform_reminders
from handlers.form_entry import week_start
from storage import recap
from storage.recap import EvaluationStatus, KecamatanRecap

WEEK = "minggu"
MONTH = "bulan"
CHART_FILENAME = "rekap.png"

# The chart's marker colours; the message uses the matching square emoji (texts.RECAP_STATUS_ICON).
STATUS_COLOURS = {
    EvaluationStatus.SUBMITTED: "#2e7d32",
    EvaluationStatus.EXCUSED: "#1f77b4",
    EvaluationStatus.MISSING: "#d62728",
    EvaluationStatus.UNREGISTERED: "#9e9e9e",
}
# The chart's marker shapes: a cross for missing, a diamond for excused, a square for done.
STATUS_MARKERS = {EvaluationStatus.SUBMITTED: "s", EvaluationStatus.EXCUSED: "D", EvaluationStatus.MISSING: "X"}
# Needs attention first: missing, then excused, then done.
ATTENTION = (EvaluationStatus.MISSING, EvaluationStatus.EXCUSED, EvaluationStatus.SUBMITTED)


@dataclass(frozen=True)
class Period:
    kind: str  # WEEK or MONTH
    since: datetime  # inclusive
    until: datetime  # exclusive
    label: str  # "November 2026", or the week as '23–29 November 2026'


def period_of(kind: str, now: datetime, tz: ZoneInfo) -> Period:
    """The WIB week (Senin 00.00 to the next Senin) or calendar month that contains `now`."""
    local = now.astimezone(tz)
    if kind == WEEK:
        monday = local.date() - timedelta(days=local.weekday())
        since = datetime(monday.year, monday.month, monday.day, tzinfo=tz)
        return Period(WEEK, since, since + timedelta(days=7), week_range(monday))
    return month_period(local.year, local.month, tz)


def month_period(year: int, month: int, tz: ZoneInfo) -> Period:
    since = datetime(year, month, 1, tzinfo=tz)
    until = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
    return Period(MONTH, since, until, f"{MONTHS[month - 1]} {year}")


def _period_from(args: list[str], now: datetime, tz: ZoneInfo) -> Period | None:
    """'' or 'bulan' (this month), 'minggu' (this week), or a month: 'oktober', 'okt 2026', '2026-10'."""
    text = " ".join(args).lower()
    if text in ("", MONTH, "bulan ini"):
        return period_of(MONTH, now, tz)
    if text in (WEEK, "minggu ini"):
        return period_of(WEEK, now, tz)
    month = parse_month(text, now.astimezone(tz).date())
    return month_period(*month, tz) if month else None


@dinsos_admin_command
async def rekap(update: Update, context: BotContext) -> None:
    """/rekap: the recap message (split to fit), then the chart rendered off the event loop."""
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and chat is not None
    now, tz = context.now(), context.config.timezone
    period = _period_from(list(context.args or []), now, tz)
    if period is None:
        await message.reply_text(texts.RECAP_USAGE, parse_mode=ParseMode.HTML)
        return
    week = week_start(now, context)
    rows = await recap.kecamatan_recap(context.db, week=week, since=period.since, until=period.until)
    label = week_range(date.fromisoformat(week))
    # The published XLSForms, each in its own current period: shown with a recap of now, not of a past month.
    forms = []
    if period.since <= now < period.until:
        forms = xlsform_reminders.recap_lines(await xlsform_reminders.current(context), now, tz)
    lines = recap_lines(rows, period, label, tz, forms)
    lines += await program_kerja_schedule.recap_lines(
        context, period.since.astimezone(tz).year, {r.code for r in rows if r.registered}
    )
    for chunk in split_lines(lines):
        await message.reply_text(chunk, parse_mode=ParseMode.HTML)
    png = await asyncio.to_thread(recap_chart, rows, period)
    shown = [r for r in rows if r.evaluation is not EvaluationStatus.UNREGISTERED]
    caption = texts.recap_chart_caption(
        period.label, weekly=period.kind == WEEK, made=long_wib(now, tz), reports=sum(r.reports for r in rows),
        shown=len(shown), done=_done(rows), expected=sum(r.expected for r in rows),
        unregistered=len(rows) - len(shown),
    )  # fmt: skip
    await message.reply_photo(png, caption=caption, parse_mode=ParseMode.HTML, filename=CHART_FILENAME)


def _done(rows: list[KecamatanRecap]) -> int:
    return sum(r.expected and r.evaluation is EvaluationStatus.SUBMITTED for r in rows)


def recap_lines(
    rows: list[KecamatanRecap], period: Period, week: str, tz: ZoneInfo, forms: list[str] | None = None
) -> list[str]:
    """The totals, the published XLSForms' lines (`forms`), then the kecamatan grouped by what needs attention,
    the unregistered folded into one line."""
    counts = {
        status.value: sum(r.evaluation is status for r in rows)
        for status in (*ATTENTION, EvaluationStatus.UNREGISTERED)
    }
    lines = texts.recap_header(
        period=period.label, weekly=period.kind == WEEK, week=week, done=_done(rows),
        expected=sum(r.expected for r in rows), counts=counts, reports=sum(r.reports for r in rows),
        acknowledged=sum(r.acknowledged for r in rows), delivered=sum(r.delivered for r in rows),
    )  # fmt: skip
    lines += forms or []
    for status in ATTENTION:
        group = sorted((r for r in rows if r.evaluation is status), key=_attention)
        if not group:
            continue
        lines.append(texts.recap_section(status.value, len(group)))
        for row in group:
            last = _day_and_time(row.last_activity, tz) if row.last_activity else None
            lines.append(texts.recap_line(row.name, row.reports, row.acknowledged, row.delivered, last))
    unregistered = [r.name for r in rows if r.evaluation is EvaluationStatus.UNREGISTERED]
    if unregistered:
        lines.append(texts.recap_unregistered(unregistered))
    return lines


def _attention(row: KecamatanRecap) -> tuple:  # type: ignore[type-arg]
    """Longest silent first (never active before anything), then fewest reports, then by name."""
    last = row.last_activity.timestamp() if row.last_activity else float("-inf")
    return (last, row.reports, row.name)


def _day_and_time(moment: datetime, tz: ZoneInfo) -> str:
    """'Sen, 23 Nov 2026 09.00 WIB': the year matters here, activity may be long ago."""
    local = moment.astimezone(tz)
    return f"{day_date(local.date())} {local:%H.%M} WIB"


def recap_chart(rows: list[KecamatanRecap], period: Period) -> bytes:
    """Laporan per registered kecamatan as a PNG, most first; a marker beside each shows this week's evaluation
    (blocking: run it in a thread)."""
    # matplotlib costs about 40 MiB of memory: loaded on the first /rekap, not at every start (bench/forms).
    from bot.chart import Bar, Category, horizontal_bars_png

    categories = {
        status: Category(texts.RECAP_STATUS_LABEL[status.value], STATUS_COLOURS[status], STATUS_MARKERS[status])
        for status in ATTENTION
    }
    shown = sorted((r for r in rows if r.evaluation in categories), key=lambda r: (-r.reports, r.name))
    return horizontal_bars_png(
        [Bar(r.name, r.reports, categories[r.evaluation]) for r in shown],
        title=texts.recap_chart_title(period.label, weekly=period.kind == WEEK),
        xlabel=texts.RECAP_CHART_XLABEL,
        legend=list(categories.values()),
        legend_title=texts.RECAP_CHART_LEGEND_TITLE,
    )
