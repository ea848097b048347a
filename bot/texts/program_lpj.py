"""The Laporan Pertanggungjawaban (LPJ) program kerja: what the document says, and /ekspor lpj's messages."""

from __future__ import annotations

from bot.texts import esc
from bot.texts.region import example_kecamatan, region_name

# --- the document (bot/program_kerja/lpj.py) -----------------------------------------------------------------

TITLE = "LAPORAN PERTANGGUNGJAWABAN"


def title_year(year: int) -> str:
    return f"PROGRAM KERJA TAHUN {year}"


def board(kecamatan: str) -> str:
    return f"KARANG TARUNA KECAMATAN {kecamatan.upper()}"


def region_line() -> str:
    """The cover's line under the board: "KABUPATEN CIREBON", "KOTA BANDUNG"."""
    return region_name().upper()


NO_PLAN = "Belum ada program kerja yang disusun untuk tahun ini."


def plan_version(version: int) -> str:
    return "Program kerja versi 1" if version == 1 else f"Program kerja versi {version} (perubahan ke-{version - 1})"


def plan_submitted(who: str, when: str) -> str:
    return f"Diajukan oleh {who}, {when}"


def plan_approved(who: str, when: str) -> str:
    return f"Diterima Dinas Sosial: {who}, {when}"


def plan_not_approved(status: str) -> str:
    return f"BELUM DITERIMA DINAS SOSIAL (status: {status}). Laporan ini memakai versi terakhir program kerja."


def generated(when: str) -> str:
    return f"Dibuat {when}"


def footer(year: int, kecamatan: str) -> str:
    return f"LPJ Program Kerja {year} · Karang Taruna Kecamatan {kecamatan} · halaman "


FOOTER_OF = " dari "

SECTION_PLAN = "I. Program Kerja dan Realisasinya"
SECTION_ACTIVITIES = "II. Pelaksanaan Kegiatan per Program"
SECTION_TOTALS = "III. Rekapitulasi"
SECTION_OUTSIDE = "IV. Kegiatan di Luar Program Kerja"
SECTION_SIGNATURES = "Pengesahan"

PLAN_INTRO = (
    "Status: Terlaksana bila setiap bulan rencana ada laporan kegiatannya, Sebagian bila baru sebagian bulan, "
    "Belum terlaksana bila belum ada. Bulan terlambat: bulan rencana yang sudah lewat tanpa laporan kegiatan."
)
PLAN_HEADERS = (
    "No", "Program/kegiatan", "Bidang", "Bulan", "Lokasi", "Target peserta / penerima", "Anggaran",
    "Sumber dana", "Status", "Realisasi peserta / penerima", "Dana terpakai", "Bulan terlambat",
)  # fmt: skip
NONE = "–"
NO_PROGRAMS = "Tidak ada program dalam program kerja."


def program_heading(number: int, name: str) -> str:
    return f"{number}. {name}"


def program_summary(bidang: str, months: str, status: str, count: int) -> str:
    return f"{bidang} · rencana {months} · {status} · {count} kegiatan"


NO_ACTIVITY = "Belum ada laporan kegiatan untuk program ini."


def activity_heading(number: int, name: str, report_number: int) -> str:
    return f"Kegiatan {number}: {name} (laporan #{report_number})"


ACTIVITY_LABELS = ("Tanggal", "Tempat", "Peserta", "Penerima manfaat", "Dana", "Hasil")
PHOTO_MISSING = "Foto tidak dapat diunduh."
NO_PHOTO = "Tidak ada foto dokumentasi."


def more_photos(count: int) -> str:
    return f"{count} foto lain tersimpan di Telegram."


TOTAL_ROW = "Jumlah"
TOTALS_HEADERS = ("Uraian", "Jumlah")
TOTALS_LABELS = {
    "programs": "Program direncanakan",
    "done": "Program terlaksana",
    "partly": "Program terlaksana sebagian",
    "not_yet": "Program belum terlaksana",
    "late": "Program dengan bulan terlambat",
    "activities": "Kegiatan dalam program kerja",
    "outside": "Kegiatan di luar program kerja",
    "dana": "Dana terpakai dari anggaran",
    "peserta": "Peserta dari target",
    "penerima": "Penerima manfaat dari target",
    "dana_outside": "Dana kegiatan di luar program kerja",
}


def share(used: str, planned: str, percent: int | None) -> str:
    return f"{used} dari {planned}" + (f" ({percent}%)" if percent is not None else "")


OUTSIDE_HEADERS = ("No.", "Tanggal", "Kegiatan", "Bidang", "Tempat", "Peserta", "Penerima manfaat", "Dana")
NO_OUTSIDE = "Semua kegiatan tahun ini termasuk program kerja."


def signed_at(place: str, day: str) -> str:
    return f"{place}, {day}"


SIGNERS = ("Ketua", "Sekretaris")
SIGN_LINE = "(.................................)"
BOARD_SHORT = "Karang Taruna Kecamatan"


# --- /ekspor lpj (handlers/export.py) ---------------------------------------------------------------------------


def usage() -> str:
    return (
        "Gunakan <code>/ekspor lpj &lt;kecamatan&gt; &lt;tahun&gt;</code>, misalnya "
        f"<code>/ekspor lpj {esc(example_kecamatan())} 2027</code>. Tanpa tahun: tahun ini."
    )


def unknown_kecamatan(typed: str, suggestions: list[str]) -> str:
    hint = f" Mungkin maksud Anda: {', '.join(esc(s) for s in suggestions)}?" if suggestions else ""
    return f"⚠️ Kecamatan <b>{esc(typed[:60])}</b> tidak ditemukan di {esc(region_name())}.{hint}\n\n{usage()}"


def bad_year(typed: str, latest: int) -> str:
    return (
        f"⚠️ Tahun <b>{esc(typed[:20])}</b> tidak dikenal. Tulis tahun dengan empat angka, paling lambat {latest}.\n\n"
        f"{usage()}"
    )


def missing_kecamatan() -> str:
    return f"⚠️ Sebutkan kecamatannya. {usage()}"


def nothing(kecamatan: str, year: int) -> str:
    return (
        f"Kecamatan {esc(kecamatan)} belum punya program kerja maupun laporan kegiatan tahun {year}, "
        "jadi belum ada LPJ yang bisa dibuat."
    )


def caption(kecamatan: str, year: int, plan: str, programs: int, done: int, partly: int, late: int, activities: int,
            outside: int, photos_missing: int) -> str:  # fmt: skip
    missing = f"\n{photos_missing} foto tidak dapat diunduh dari Telegram." if photos_missing else ""
    return (
        f"📄 <b>LPJ Program Kerja {year}</b> – Kecamatan {esc(kecamatan)}\n"
        f"{esc(plan)}. {programs} program: {done} terlaksana, {partly} sebagian, {late} dengan bulan terlambat. "
        f"{activities} kegiatan dalam program kerja, {outside} di luar program kerja.{missing}"
    )


def plan_state(version: int | None, approved: bool) -> str:
    if version is None:
        return "Belum ada program kerja"
    return f"{plan_version(version)}, {'diterima' if approved else 'belum diterima'} Dinas Sosial"
