"""What /programkerja says in Telegram: the group's list, the pengurus's menu, and the conversation for one program."""

from __future__ import annotations

from bot.texts import esc

FORM_TITLE = "Program kerja"
NONE_LABEL = "Tidak ada"

# The questions of one program, in model.FIELDS order (bot/program_kerja/chat_form.py).
PROMPTS = {
    "nama": "Apa nama program atau kegiatannya?",
    "bidang": "Program ini termasuk bidang apa?",
    "tujuan": "Apa tujuan program ini?",
    "sasaran_ppks": "PPKS apa saja yang menjadi sasaran? Tandai semua yang sesuai, lalu Selesai.",
    "sasaran_lain": "Sasaran lain di luar PPKS?",
    "bulan": "Di bulan apa saja program ini dilaksanakan? Tandai bulannya, lalu Selesai.",
    "lokasi": "Di mana lokasinya? Pilih desa/kelurahan, atau tingkat kecamatan.",
    "target_peserta": "Berapa target peserta?",
    "target_penerima": "Berapa target penerima manfaat?",
    "anggaran": "Berapa anggarannya (rupiah)?",
    "sumber_dana": "Dari mana sumber dananya?",
    "penanggung_jawab": "Siapa penanggung jawabnya?",
    "indikator": "Apa indikator keberhasilannya?",
}
HINTS = {
    "nama": "Contoh: Pelatihan sablon remaja",
    "bidang": "",
    "tujuan": "Contoh: Remaja putus sekolah punya keterampilan usaha",
    "sasaran_ppks": "Tekan Tidak ada bila programnya tidak untuk PPKS.",
    "sasaran_lain": "Contoh: pemuda, masyarakat umum. Wajib diisi bila tidak ada sasaran PPKS.",
    "bulan": "Bisa juga diketik: Jan, Mar, Jul (atau Semua).",
    "lokasi": "Bisa juga diketik nama desanya.",
    "target_peserta": "Contoh: 30 (angka 0 atau lebih)",
    "target_penerima": "Contoh: 20 (angka 0 atau lebih)",
    "anggaran": "Contoh: 1500000, 1.500.000 atau 1,5 juta",
    "sumber_dana": "",
    "penanggung_jawab": "Contoh: Ketua bidang diklat",
    "indikator": "Contoh: 30 remaja mampu menyablon kaos",
}

NONE_WITH_OTHERS = "'Tidak ada' tidak bisa dipilih bersama PPKS lain."
PICK_AT_LEAST_ONE = "Tandai minimal satu, lalu tekan Selesai."
PPKS_PICK_OR_NONE = "Tandai minimal satu PPKS, atau tekan Tidak ada."
TEXT_EXPECTED = "Mohon jawab dengan teks (atau tombol pada pertanyaan di atas); stiker, foto dan berkas tidak dipakai."
USE_SUMMARY_BUTTONS = "Semua pertanyaan sudah terjawab. Tekan Simpan, Ubah jawaban, atau Batal pada ringkasan di atas."
STALE_BUTTON = "Tombol ini untuk pertanyaan sebelumnya. Mohon jawab pertanyaan terakhir."
NOT_YOURS = "Tombol ini untuk orang lain."
DRAFT_GONE = "Pengisian program ini sudah selesai atau dibatalkan. Ketik /programkerja untuk membuka program kerja."
EDIT_WHICH = "Jawaban mana yang ingin diubah?"
CANCEL_CONFIRM = "Batalkan pengisian program ini? Jawaban yang sudah diisi akan hilang; program kerja tidak berubah."
CANCELLED = "Pengisian program dibatalkan; program kerja tidak berubah. Ketik /programkerja untuk membuka menunya."
CONTINUE = "Baik, silakan lanjutkan."

BUTTON_SAVE = "💾 Simpan"
BUTTON_EDIT_ANSWERS = "✏️ Ubah jawaban"
BUTTON_CANCEL = "Batal"
BUTTON_CANCEL_YES = "Ya, batalkan"
BUTTON_CANCEL_NO = "Tidak, lanjut mengisi"
BUTTON_ALL_MONTHS = "Semua bulan"


def header(year: int, kecamatan: str, changing: bool) -> str:
    what = "Ubah program" if changing else "Tambah program"
    return f"📋 <b>Program kerja {year} · Kecamatan {esc(kecamatan)}</b> — {what}"


def question(head: str, number: int, total: int, prompt: str, hint: str, current: str, optional: bool) -> str:
    text = f"{head}\n\n<b>({number}/{total})</b> {esc(prompt)}"
    if optional:
        text += " <i>(boleh dilewati)</i>"
    if hint:
        text += f"\n<i>{esc(hint)}</i>"
    if current:
        text += f"\nJawaban sekarang: <b>{esc(current)}</b>"
    return text


def started(year: int, kecamatan: str, total: int) -> str:
    return (
        f"➕ Menambah program ke Program kerja {year} Kecamatan {esc(kecamatan)}: {total} pertanyaan. "
        "Setiap jawaban langsung tersimpan; ketik /batal untuk membatalkan."
    )


def still_filling(nama: str) -> str:
    what = f"program «{esc(nama)}»" if nama else "sebuah program"
    return f"Anda sedang mengisi {what}. Lanjutkan di bawah ini, atau ketik /batal untuk membatalkan."


def refused(reason: str) -> str:
    return f"⚠️ {esc(reason)}"


def summary(head: str, lines: list[tuple[str, str]]) -> str:
    body = "\n".join(f"<b>{esc(label)}:</b> {esc(value)}" for label, value in lines)
    return f"{head}\n\nPeriksa kembali:\n{body}\n\nTekan <b>Simpan</b> bila sudah benar."


def problem(column: str, message: str) -> str:
    return f"⚠️ <b>{esc(column)}</b>: {esc(message)}"


def saved(nama: str, changing: bool) -> str:
    return f"✅ Program «{esc(nama)}» {'diubah' if changing else 'ditambahkan'} dan tersimpan di draf program kerja."


def expired(hours: float) -> str:
    return (
        f"Pengisian program dihentikan karena tidak dilanjutkan selama {hours:g} jam. "
        "Ketik /programkerja untuk mulai lagi."
    )


# --- who may compose, and the group's list -----------------------------------------------------------------

NOT_PENGURUS = (
    "Program kerja kecamatan disusun oleh pengurus Karang Taruna, yaitu admin grup Telegram kecamatan yang sudah "
    "terdaftar. Bila Anda pengurus, mohon minta pembuat grup menjadikan Anda admin, lalu ketik /programkerja di "
    "grup kecamatan Anda."
)
CHOOSE_KECAMATAN = "Anda pengurus beberapa kecamatan. Program kerja kecamatan mana yang ingin dibuka?"
GROUP_NOT_REGISTERED = "Grup ini belum terdaftar. Admin grup dapat mendaftarkannya dengan /daftar."
BUTTON_OPEN_PRIVATE = "Susun di chat pribadi"


def not_pengurus_of(kecamatan: str) -> str:
    return (
        f"Maaf, program kerja Kecamatan {kecamatan} hanya dapat diubah oleh admin grup Karang Taruna kecamatan "
        "tersebut yang terdaftar."
    )


def program_line(number: int, nama: str, months: str, anggaran: str) -> str:
    short = nama if len(nama) <= 60 else nama[:59] + "…"
    return f"{number}. <b>{esc(short)}</b> · {esc(months)} · {esc(anggaran)}"


def program_list(lines: list[str], total: str, limit: int = 3000) -> str:
    """The numbered programs, cut short (with how many are left out) to keep a message under Telegram's limit."""
    if not lines:
        return "<i>Belum ada program.</i>"
    shown: list[str] = []
    used = 0
    for line in lines:
        if used + len(line) > limit:
            break
        shown.append(line)
        used += len(line) + 1
    more = f"\n… dan {len(lines) - len(shown)} program lagi." if len(shown) < len(lines) else ""
    return "\n".join(shown) + more + f"\n\nJumlah: {len(lines)} program, anggaran {esc(total)}."


def group_plan(year: int, kecamatan: str, status: str, version: int | None, listing: str, newer: str | None,
               pengurus: bool) -> str:  # fmt: skip
    version_text = f" (versi {version})" if version else ""
    text = f"📋 <b>Program kerja {year} Kecamatan {esc(kecamatan)}</b>\nStatus: <b>{esc(status)}</b>{version_text}"
    if newer:
        text += f"\n{esc(newer)}"
    text += f"\n\n{listing}"
    if pengurus:
        text += "\n\nPengurus dapat menyusun dan mengubahnya di chat pribadi dengan bot (tombol di bawah)."
    return text


def newer_version(version: int, status: str) -> str:
    return f"Perubahan versi {version}: {status}."


GROUP_NO_PLAN_YET = "<i>Belum ada program kerja untuk tahun ini.</i>"


# --- the pengurus's menu -----------------------------------------------------------------------------------

BUTTON_ADD = "➕ Tambah program"
BUTTON_CHANGE = "✏️ Ubah program"
BUTTON_REMOVE = "🗑️ Hapus program"
BUTTON_SUBMIT = "📤 Ajukan ke Dinsos"
BUTTON_REVISE = "📝 Ajukan perubahan"
BUTTON_TEMPLATE = "📥 Unduh template Excel"
BUTTON_LAPTOP = "💻 Buka di laptop"
BUTTON_MENU = "⬅️ Kembali ke menu"
BUTTON_REMOVE_YES = "Ya, hapus"
BUTTON_SUBMIT_YES = "Ya, ajukan"
WAITING = (
    "⏳ Program kerja ini sedang ditinjau Dinas Sosial; selama itu tidak bisa diubah. Kami kabari bila sudah ditinjau."
)
CANNOT_SUBMIT_EMPTY = "Belum ada program. Tambahkan minimal satu program sebelum mengajukan ke Dinsos."
ALREADY_WAITING = "Program kerja ini sudah diajukan dan sedang menunggu tinjauan Dinsos."
NOTHING_TO_SUBMIT = "Tidak ada perubahan untuk diajukan: program kerja ini sudah diterima Dinsos."
PROGRAM_GONE = "Program itu sudah tidak ada di program kerja. Silakan lihat menunya lagi."
PICK_TO_CHANGE = "Program mana yang ingin diubah?"
PICK_TO_REMOVE = "Program mana yang ingin dihapus?"
SUBMITTED = "📤 Program kerja sudah diajukan ke Dinas Sosial. Kami kabari bila sudah ditinjau."


def too_many(most: int) -> str:
    return f"Program kerja sudah berisi {most} program, jumlah terbanyak. Hapus atau gabungkan program dulu."


def year_button(year: int) -> str:
    return f"📅 Program kerja {year}"


def confirm_remove(nama: str) -> str:
    return f"Hapus program «{esc(nama)}» dari draf program kerja?"


def removed(nama: str) -> str:
    return f"🗑️ Program «{esc(nama)}» dihapus."


def confirm_submit(count: int, anggaran: str) -> str:
    return (
        f"Ajukan program kerja ini ({count} program, anggaran {esc(anggaran)}) ke Dinas Sosial? Selama ditinjau, "
        "program kerja tidak bisa diubah."
    )


def menu(title: str, status: str, version: int | None, *, note: str | None, waiting: bool, in_force: int | None,
         deadline: str | None, listing: str, link_minutes: int | None) -> str:  # fmt: skip
    version_text = f" (versi {version})" if version else ""
    lines = [f"📋 <b>{title}</b>", f"Status: <b>{esc(status)}</b>{version_text}"]
    if in_force is not None:
        lines.append(f"Yang berlaku sekarang: versi {in_force} (diterima).")
    if note:
        lines.append(f"✏️ Catatan Dinsos: <i>{esc(note)}</i>")
    if waiting:
        lines.append(WAITING)
    if deadline:
        lines.append(f"Tenggat pengajuan: {esc(deadline)}.")
    text = "\n".join(lines) + f"\n\n{listing}"
    if link_minutes is not None:
        text += f"\n\nTombol <b>Buka di laptop</b> berlaku {link_minutes} menit dan hanya sekali pakai."
    return text
