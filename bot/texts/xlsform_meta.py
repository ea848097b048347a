"""What the XLSForm engine says about the types of issue 18's metadata slice: date-and-time questions."""

from __future__ import annotations

DATETIME_HOW = "Tulis tanggal dan jam, misalnya 28/11/2026 14.30 (WIB)."
DATETIME_INVALID = "Format tanggal dan jam tidak dikenali. Tulis misalnya 28/11/2026 14.30."
DATETIME_NO_TIME = "Jamnya belum ada. Tulis tanggal dan jam, misalnya 28/11/2026 14.30."


def datetime_shown(day: str, hour_minute: str) -> str:
    return f"{day} pukul {hour_minute}"
