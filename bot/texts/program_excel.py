"""What the Excel side of program kerja says: the template workbook, its reading back, the chat around it, and the
export's program kerja sheets."""

from __future__ import annotations

from bot.texts import esc
from bot.texts import program_kerja as pk

# --- the template workbook ------------------------------------------------------------------------------------


def template_title(kecamatan: str, year: int) -> str:
    return f"Program Kerja Karang Taruna Kecamatan {kecamatan} Tahun {year}"


TEMPLATE_NOTE = (
    "Isi satu baris untuk setiap program (paling banyak 60). Penjelasan tiap kolom ada di lembar Petunjuk. "
    "Setelah selesai, simpan lalu kirim file ini ke bot lewat chat pribadi."
)
MONTHS_GROUP = "Bulan pelaksanaan (isi 'ya' pada bulannya)"
NUMBER_HEADER = "No."
UID_HEADER = "ID program (jangan diubah)"
YES = "ya"
LIST_HEADERS = ("Bidang", "Sumber dana", "Lokasi", "PPKS")

# The template asks some fields differently from the page (the months are twelve columns, PPKS a dropdown that
# also takes typing), so its explanation of them differs; the rest is texts.program_kerja.FIELD_HINTS.
HINTS = pk.FIELD_HINTS | {
    "bidang": "Pilih dari daftar (10 bidang laporan kegiatan; lihat daftar di bawah).",
    "sasaran_ppks": (
        "PPKS yang dilayani. Pilih satu dari daftar, atau ketik beberapa dipisah koma: nama atau kodenya "
        "(misalnya: PPKS-01, PPKS-08). Boleh kosong bila Sasaran lain diisi."
    ),
    "bulan": "Tulis 'ya' (atau pilih dari daftar) di kolom Jan sampai Des pada bulan program dilaksanakan; "
    "bulan lain dikosongkan. Minimal satu bulan.",
    "lokasi": "Pilih dari daftar: desa/kelurahan di kecamatan ini, atau 'Tingkat kecamatan'.",
    "sumber_dana": "Pilih dari daftar: Swadaya, APBDes, APBD, APBN, CSR, Donatur, atau Lainnya.",
}
HELP_SHEET_TITLE = "Petunjuk pengisian template program kerja"
HELP_STEPS = (
    "1. Isi lembar 'Program kerja': satu baris untuk satu program. Baris kosong dilewati.",
    "2. Kolom berwarna biru wajib diisi; Sasaran PPKS dan Sasaran lain: minimal salah satu.",
    "3. Jangan mengubah judul kolom dan jangan menghapus lembar tersembunyi: bot mengenali template dari situ.",
    "4. Kirim file yang sudah diisi ke bot lewat chat pribadi. Bot memeriksa setiap baris, lalu menampilkan "
    "pratinjau; program kerja baru tersimpan setelah Anda memilih Simpan.",
    "5. Bila ada yang salah, bot menyebut baris dan kolomnya. Perbaiki, lalu kirim lagi.",
)
HELP_COLUMN = "Kolom"
HELP_EXPLANATION = "Penjelasan"
HELP_BIDANG = "Daftar 10 bidang"
HELP_PPKS = "Daftar 26 PPKS (Pemerlu Pelayanan Kesejahteraan Sosial)"
HELP_CODE = "Kode"
HELP_NAME = "Nama"
HELP_NUMBER = "No."
PICK_FROM_LIST = "Pilih dari daftar"
PICK_ERROR = "Isian ini tidak ada di daftar. Pilih dari daftar yang tersedia."
NUMBER_WARNING = "Tulis angka 0 atau lebih, tanpa 'Rp'."
MONTH_PROMPT = "Tulis 'ya' bila program dilaksanakan bulan ini; kosongkan bila tidak."


def month_column(short: str) -> str:
    """How a problem names one month's column: 'Bulan pelaksanaan (Mar)'."""
    return f"{pk.FIELD_LABELS['bulan']} ({short})"


def wrong_month_mark(value: str) -> str:
    return f"'{value[:30]}' tidak dikenal; tulis 'ya' bila program dilaksanakan bulan ini, atau kosongkan."


# --- reading a filled template back: the whole file refused ------------------------------------------------------

NOT_A_TEMPLATE = "File ini bukan template program kerja dari bot. Unduh templatenya lewat /programkerja."
DAMAGED = "File ini tidak dapat dibuka sebagai file Excel (.xlsx). Mohon simpan ulang sebagai .xlsx lalu kirim lagi."
NEWER_TEMPLATE = (
    "Template ini dibuat oleh versi bot yang lebih baru. Mohon unduh ulang templatenya lewat /programkerja."
)
EMPTY_TEMPLATE = "Template ini belum berisi program. Isi minimal satu baris, lalu kirim lagi."


def too_big(size: str, most: str) -> str:
    return f"File ini terlalu besar ({size}); template program kerja paling besar {most}. Mohon pakai template asli."


def missing_column(header: str) -> str:
    return f"Kolom '{header}' tidak ditemukan. Mohon pakai template dari bot tanpa mengubah judul kolom."


def too_many_rows(count: int, most: int) -> str:
    return f"Template berisi {count} baris program; paling banyak {most}. Mohon kurangi, lalu kirim lagi."


def another_kecamatan(theirs: str, ours: str) -> str:
    return (
        f"Template ini untuk Kecamatan {theirs}, bukan Kecamatan {ours}. "
        f"Unduh template Kecamatan {ours} lewat /programkerja."
    )


# --- the chat -------------------------------------------------------------------------------------------------


def template_caption(kecamatan: str, year: int, count: int, under_review: bool) -> str:
    filled = f" Sudah berisi {count} program yang tersimpan." if count else ""
    review = (
        "\n\n⏳ Program kerja ini sedang ditinjau Dinas Sosial; template yang diisi baru bisa disimpan setelah "
        "diputuskan."
        if under_review
        else ""
    )
    return (
        f"📄 Template program kerja {year} Kecamatan {esc(kecamatan)}.{filled}\n"
        "Isi di Excel (penjelasan tiap kolom ada di lembar Petunjuk), simpan, lalu kirim file ini kembali ke sini."
        f"{review}"
    )


def not_pengurus(kecamatan: str) -> str:
    return (
        f"Mohon maaf, hanya pengurus (admin grup Karang Taruna) Kecamatan {kecamatan} yang dapat mengisi program "
        "kerjanya. Program kerja tidak berubah."
    )


NOT_PENGURUS_ALERT = "Mohon maaf, hanya pengurus (admin grup) kecamatan ini yang dapat mengunduh templatenya."
START_PRIVATE_ALERT = "Mohon buka chat pribadi dengan bot dan tekan Start dulu, lalu tekan tombol ini lagi."
TOO_BIG_TO_READ = "File ini terlalu besar untuk dibaca bot. Mohon pakai template program kerja asli."


def problems(file_name: str, lines: list[str], more: int) -> str:
    extra = f"\n… dan {more} masalah lain." if more else ""
    shown = "\n".join(lines)
    return (
        f"⚠️ Template <b>{esc(file_name)}</b> belum bisa disimpan; program kerja tidak berubah. Mohon perbaiki:\n\n"
        f"{shown}{extra}\n\nSetelah diperbaiki, kirim file itu lagi."
    )


def problem_line(row: int, column: str, message: str) -> str:
    return f"• Baris {row}, kolom <b>{esc(column)}</b>: {esc(message)}"


def refused(message: str) -> str:
    return f"⚠️ {esc(message)} Program kerja tidak berubah."


def preview(title: str, count: int, total: str, lines: list[str], more: int, replacing: int,
            in_force: bool) -> str:  # fmt: skip
    shown = "\n".join(f"{n}. {line}" for n, line in enumerate(lines, start=1))
    extra = f"\n… dan {more} program lagi." if more else ""
    notes = []
    if replacing:
        notes.append(f"Isi template ini menggantikan {replacing} program yang tersimpan sekarang.")
    if in_force:
        notes.append("Program kerja yang sudah diterima tetap berlaku sampai perubahan ini diterima Dinas Sosial.")
    note = ("\n\n" + " ".join(notes)) if notes else ""
    return (
        f"📋 Pratinjau <b>{title}</b>: {count} program, total anggaran {total}.\n\n{shown}{extra}{note}\n\n"
        "Simpan sebagai draf (bisa diubah lagi), atau simpan dan ajukan ke Dinas Sosial?"
    )


def preview_line(nama: str, months: str, anggaran: str) -> str:
    return f"{esc(nama)} ({months}, {anggaran})"


BUTTON_SAVE = "💾 Simpan sebagai draf"
BUTTON_SUBMIT = "📤 Simpan dan ajukan ke Dinsos"
BUTTON_CANCEL = "✖️ Batal"


def saved(title: str, count: int) -> str:
    return (
        f"💾 {title} tersimpan sebagai draf: {count} program. Ajukan ke Dinas Sosial lewat /programkerja bila "
        "sudah siap."
    )


def submitted(title: str, count: int) -> str:
    return (
        f"📤 {title} tersimpan ({count} program) dan sudah diajukan ke Dinas Sosial. Kami kabari bila sudah ditinjau."
    )


CANCELLED = "Dibatalkan. Program kerja tidak berubah."
ALREADY_DONE = "Pratinjau ini sudah diproses sebelumnya; tidak ada yang diubah."
STALE = (
    "Pratinjau ini sudah tidak berlaku: program kerja berubah sejak file dikirim, atau ada file yang lebih baru. "
    "Tidak ada yang diubah. Mohon kirim ulang template yang sudah diisi."
)
UNDER_REVIEW = (
    "Program kerja ini sedang ditinjau Dinas Sosial, jadi belum bisa diubah. Tidak ada yang diubah; kirim lagi "
    "templatenya setelah Dinas Sosial memutuskan."
)
SAVED_NOT_SUBMITTED = (
    "Program kerja tersimpan sebagai draf, tetapi belum bisa diajukan. Mohon ajukan lewat /programkerja."
)


# --- the export's sheets --------------------------------------------------------------------------------------

EXPORT_PLAN_SUBJECT = "Program kerja Karang Taruna kecamatan (yang berlaku, atau versi terbaru)"
EXPORT_REALIZATION_SUBJECT = "Realisasi program kerja per program, dari laporan kegiatan yang terkait"


def export_plans_in(status: str) -> str:
    return f"Rencana berstatus {status.lower()}"


EXPORT_COUNTED_UNTIL = "Realisasi dihitung sampai"


EXPORT_PROGRAMS_DONE = "Program terlaksana"
EXPORT_PROGRAMS_LATE = "Program terlambat"
EXPORT_OUTSIDE = "Laporan kegiatan di luar program kerja"
