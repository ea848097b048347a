"""What every part of program kerja says: the fields' names, the statuses, and the refusals of a program."""

from __future__ import annotations

from bot.texts import esc
from bot.texts.region import villages

FIELD_LABELS = {
    "nama": "Nama program/kegiatan",
    "bidang": "Bidang",
    "tujuan": "Tujuan",
    "sasaran_ppks": "Sasaran PPKS",
    "sasaran_lain": "Sasaran lain",
    "bulan": "Bulan pelaksanaan",
    "lokasi": "Lokasi",
    "target_peserta": "Target peserta",
    "target_penerima": "Target penerima manfaat",
    "anggaran": "Anggaran (Rp)",
    "sumber_dana": "Sumber dana",
    "penanggung_jawab": "Penanggung jawab",
    "indikator": "Indikator keberhasilan",
}

# What each field asks for, where a person fills it in (the template's explanation sheet, the page's hints).
FIELD_HINTS = {
    "nama": "Nama program atau kegiatan, 3-200 karakter.",
    "bidang": "Salah satu dari 10 bidang laporan kegiatan.",
    "tujuan": "Apa yang ingin dicapai.",
    "sasaran_ppks": "PPKS yang dilayani (boleh lebih dari satu, dipisah koma); boleh kosong bila ada sasaran lain.",
    "sasaran_lain": "Sasaran di luar PPKS, misalnya pemuda atau masyarakat umum.",
    "bulan": "Satu bulan atau lebih, dipisah koma: Jan, Mar, Jul (atau 1, 3, 7); 'Semua' untuk setiap bulan.",
    "lokasi": "Nama desa/kelurahan di kecamatan ini, atau 'Tingkat kecamatan'.",
    "target_peserta": "Jumlah orang yang ikut, angka 0 atau lebih.",
    "target_penerima": "Jumlah penerima manfaat, angka 0 atau lebih.",
    "anggaran": "Rupiah tanpa titik atau dengan titik: 1500000 atau 1.500.000.",
    "sumber_dana": "Swadaya, APBDes, APBD, APBN, CSR, Donatur, atau Lainnya.",
    "penanggung_jawab": "Nama atau jabatan pengurus yang bertanggung jawab.",
    "indikator": "Tanda program berhasil, misalnya '30 remaja terampil menyablon'.",
}

STATUS_LABELS = {
    "belum": "Belum disusun",
    "draf": "Draf",
    "diajukan": "Diajukan, menunggu Dinsos",
    "diterima": "Diterima",
    "perlu_perbaikan": "Perlu perbaikan",
    "diganti": "Diganti perubahan",
}

REALIZATION_LABELS = {
    "belum": "Belum terlaksana",
    "sebagian": "Sebagian",
    "terlaksana": "Terlaksana",
}
LATE = "Terlambat"
OUTSIDE_PLAN = "Di luar program kerja"
LOKASI_KECAMATAN = "Tingkat kecamatan"

EMPTY = "Wajib diisi."
EMPTY_BULAN = "Isi minimal satu bulan pelaksanaan."
EMPTY_SASARAN = "Isi sasaran: pilih PPKS atau tulis sasaran lain."
WRONG_BIDANG = "Bidang tidak dikenal; pilih salah satu dari 10 bidang laporan."
WRONG_SUMBER = "Sumber dana tidak dikenal; pilih Swadaya, APBDes, APBD, APBN, CSR, Donatur, atau Lainnya."
WRONG_NUMBER = "Mohon tulis dengan angka."


def text_length(low: int, high: int) -> str:
    return f"Panjang isian {low} sampai {high} karakter." if low else f"Paling banyak {high} karakter."


def wrong_ppks(item: str) -> str:
    return f"PPKS '{item[:40]}' tidak dikenal; pakai nama atau kode dari daftar 26 PPKS (misalnya PPKS-01)."


def wrong_bulan(item: str) -> str:
    return f"Bulan '{item[:40]}' tidak dikenal; tulis Jan-Des atau angka 1-12."


def wrong_lokasi(item: str, kecamatan: str) -> str:
    return villages(
        f"'{item[:60]}' bukan desa/kelurahan di Kecamatan {kecamatan}; tulis nama desanya atau 'Tingkat kecamatan'."
    )


def number_range(most: int) -> str:
    return f"Angka 0 sampai {most:,}.".replace(",", ".")


# --- submitting and deciding (bot/program_kerja/review.py) ---------------------------------------------------

BUTTON_ACCEPT = "✅ Diterima"
BUTTON_FIX = "✏️ Perlu perbaikan"


def plan_title(year: int, kecamatan: str, version: int) -> str:
    revision = f" (perubahan ke-{version - 1})" if version > 1 else ""
    return f"Program kerja {year} Kecamatan {esc(kecamatan)}{revision}"


def plan_submitted_admin(title: str, submitter: str, count: int, anggaran: str, lines: list[str]) -> str:
    shown = "\n".join(f"{i}. {line}" for i, line in enumerate(lines[:25], start=1))
    more = f"\n… dan {len(lines) - 25} program lagi." if len(lines) > 25 else ""
    return (
        f"📋 <b>{title}</b> diajukan oleh {esc(submitter)}: {count} program, anggaran {anggaran}.\n\n"
        f"{shown}{more}\n\nTinjau di sini, lewat /tinjau, atau di dasbor."
    )


def plan_submitted_group(title: str, submitter: str) -> str:
    return f"📤 {title} sudah diajukan ke Dinas Sosial oleh {esc(submitter)}. Kami kabari bila sudah ditinjau."


def plan_accepted(title: str) -> str:
    return f"✅ {title} <b>diterima</b> Dinas Sosial. Setiap laporan kegiatan kini bisa dikaitkan dengan programnya."


def plan_needs_fix(title: str, note: str) -> str:
    return (
        f"✏️ Dinas Sosial meminta perbaikan {title}:\n<i>{esc(note)}</i>\n"
        "Perbaiki lewat /programkerja di chat pribadi dengan bot, lalu ajukan lagi."
    )


def plan_decided(status: str, admin: str, when: str, note: str | None) -> str:
    if status == "diterima":
        return f"✅ Diterima oleh {esc(admin)}, {esc(when)}"
    return f"✏️ Perlu perbaikan, diminta oleh {esc(admin)}, {esc(when)}:\n<i>{esc(note or '')}</i>"
