"""Laporan Pertanggungjawaban Program Kerja <tahun>: one kecamatan's year as a Word document (python-docx).
(Interface fixed by the core; the helper building the LPJ fills it in.)"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

from bot.wilayah import Kecamatan
from storage.db import Database

PhotoFetcher = Callable[[str], Awaitable[bytes | None]]  # a Telegram file id -> the photo's bytes, or None


async def build(db: Database, kecamatan_code: str, year: int, *, today: date,
                fetch_photo: PhotoFetcher | None = None) -> bytes:  # fmt: skip
    """The .docx: cover, the plan with realization per program, every linked activity (up to two photos each),
    totals, and the activities outside the plan."""
    raise NotImplementedError


def filename(kecamatan: Kecamatan, year: int) -> str:
    return f"LPJ-program-kerja-{year}-{kecamatan.name.lower().replace(' ', '-')}.docx"
