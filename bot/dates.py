"""Dates and times as Dinsos writes them: WIB, Indonesian day and month names, "pukul 09.00"."""

from __future__ import annotations

from datetime import datetime
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
    """'25 Nov 09.00'."""
    local = moment.astimezone(tz)
    return f"{local.day} {MONTHS[local.month - 1][:3]} {local:%H.%M}"
