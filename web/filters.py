"""Jinja filters: stored UTC moments as WIB, Indonesian dates and numbers."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from jinja2 import Environment

from bot.clock import parse_iso
from bot.dates import MONTHS, week_label
from bot.forms.parse import format_rupiah
from bot.program_kerja.model import bulan_label
from bot.texts.region import all_kecamatan, region_short
from bot.wilayah import kecamatan_by_code


def install(env: Environment, tz: ZoneInfo) -> None:
    def wib(stamp: str | None) -> str:
        """'23 Nov 2026 09.00'."""
        if not stamp:
            return "–"
        local = parse_iso(stamp).astimezone(tz)
        return f"{local.day} {MONTHS[local.month - 1][:3]} {local.year} {local:%H.%M}"

    def day(stamp: str | None) -> str:
        if not stamp:
            return "–"
        local = parse_iso(stamp).astimezone(tz)
        return f"{local.day} {MONTHS[local.month - 1][:3]} {local.year}"

    def week(monday: str | None) -> str:
        return week_label(date.fromisoformat(monday)) if monday else "–"

    def percent(part: int, whole: int) -> str:
        return f"{round(100 * part / whole)} %" if whole else "–"

    def thousands(number: int) -> str:
        return f"{number:,}".replace(",", ".")

    def isodate(value: date | None) -> str:
        """A calendar date (an activity's, a deadline): '20 Nov 2026'."""
        return f"{value.day} {MONTHS[value.month - 1][:3]} {value.year}" if value else "–"

    def kecamatan_name(code: str | None) -> str:
        kecamatan = kecamatan_by_code(code) if code else None
        return kecamatan.name if kecamatan else (code or "")

    env.filters.update(wib=wib, day=day, week=week, thousands=thousands, rupiah=format_rupiah, bulan=bulan_label,
                       date=isodate)  # fmt: skip
    # The configured region (WILAYAH_KODE): the header's "Kab. Cirebon", the summary's "40 kecamatan".
    env.globals.update(percent=percent, kecamatan_name=kecamatan_name, region_short=region_short,
                       all_kecamatan=all_kecamatan)  # fmt: skip
