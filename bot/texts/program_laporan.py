"""What the laporan kegiatan says about its program kerja question (the question itself is in
the laporan's workbook, bot/data/xlsforms/laporan.xlsx, with the form's other questions)."""

from __future__ import annotations

from bot.texts import esc

# A press on a program that a revision of the plan removed while the question was on screen (an alert: ≤ 200).
PROGRAM_GONE_PRESS = "Program itu sudah tidak ada di program kerja kecamatan. Silakan pilih lagi dari tombol yang baru."
# Kirim with a chosen program that a revision of the plan removed since.
PROGRAM_GONE = (
    "Program kerja yang dipilih tidak ada di rencana kecamatan untuk tanggal kegiatan ini (mungkin rencananya baru "
    "diubah). Mohon pilih lagi programnya."
)

# The summary's answer while the chosen program is no longer offered.
PROGRAM_NOT_OFFERED = "(tidak ada lagi di program kerja, mohon pilih lagi)"


def program_month_first(month: str) -> str:
    """Under the question, when the activity's month has planned programs: they are the first buttons."""
    return f"<i>Program yang direncanakan bulan {esc(month)} ada di urutan teratas. Boleh juga ketik namanya.</i>"


PROGRAM_TYPE_OR_PRESS = "<i>Pilih tombol, atau ketik nama programnya.</i>"


def my_report_program(name: str) -> str:
    """/laporan_saya: the program a laporan counts towards, under its line."""
    return f"   ↳ Program kerja: {esc(name)}"
