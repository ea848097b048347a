"""Dates and times as Dinsos writes them: WIB, Indonesian day and month names, "pukul 09.00"."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


def long_wib(moment: datetime, tz: ZoneInfo) -> str:
    """'Senin, 25 November 2024 pukul 09.00 WIB'."""
    local = moment.astimezone(tz)
    return f"{DAYS[local.weekday()]}, {local.day} {MONTHS[local.month - 1]} {local.year} pukul {local:%H.%M} WIB"


def short_wib(moment: datetime, tz: ZoneInfo) -> str:
    """'25 Nov 09.00 WIB': every time a person reads says its zone."""
    local = moment.astimezone(tz)
    return f"{local.day} {MONTHS[local.month - 1][:3]} {local:%H.%M} WIB"


def week_label(monday: date) -> str:
    """'Senin, 18 – Minggu, 24 November 2024' (months and years shown where the week crosses them)."""
    return _week(monday, "Senin, ", " – Minggu, ")


def _week(monday: date, before: str, between: str) -> str:
    """Monday to Sunday, naming the month and year of the Monday only where the Sunday's differ."""
    sunday = monday + timedelta(days=6)
    start = f"{before}{monday.day}"
    if monday.month != sunday.month:
        start += f" {MONTHS[monday.month - 1]}"
    if monday.year != sunday.year:
        start += f" {monday.year}"
    return f"{start}{between}{sunday.day} {MONTHS[sunday.month - 1]} {sunday.year}"


def long_date(day: date) -> str:
    """'Minggu, 24 November 2024'."""
    return f"{DAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1]} {day.year}"


def week_range(monday: date) -> str:
    """'30 November–6 Desember 2026', '23–29 November 2026': the week as a letter names it, without day names."""
    return _week(monday, "", "–")


def day_date(day: date) -> str:
    """'Sen, 30 Nov 2026': a date in a summary line, with its day name."""
    return f"{DAYS[day.weekday()][:3]}, {day.day} {MONTHS[day.month - 1][:3]} {day.year}"
