"""Every sentence the bot says, in Bahasa Indonesia: polite, short, one place to read and correct them.

Messages are sent with parse_mode HTML; anything a user typed (names, titles) goes through `esc()`.
"""

from __future__ import annotations

from html import escape


def esc(text: str) -> str:
    return escape(text, quote=False)


# --- Command menu and help ----------------------------------------------------------------------------------

COMMAND_DESCRIPTIONS = {
    "start": "Mulai dan lihat apa yang bisa dilakukan bot",
    "bantuan": "Petunjuk penggunaan bot",
    "daftar": "Daftarkan grup ini sebagai grup Karang Taruna kecamatan",
    "kecamatan": "Status pendaftaran 40 kecamatan",
}

HELP_INTRO = {
    "admin": (
        "<b>Bot Dinas Sosial Kabupaten Cirebon</b>\n"
        "Bapak/Ibu terdaftar sebagai <b>admin Dinsos</b>. Permintaan pendaftaran grup kecamatan dikirim ke sini "
        "dengan tombol <b>Setujui</b> dan <b>Tolak</b>."
    ),
    "private": (
        "<b>Bot Dinas Sosial Kabupaten Cirebon</b>\n"
        "Bot ini menghubungkan Dinsos dengan Karang Taruna di 40 kecamatan.\n"
        "Pengurus Karang Taruna kecamatan: tambahkan bot ini ke grup Telegram kecamatan Anda, lalu admin grup "
        "mengetik /daftar di grup tersebut. Dinsos akan menyetujui pendaftarannya."
    ),
    "group": (
        "<b>Bot Dinas Sosial Kabupaten Cirebon</b>\n"
        "Grup ini dapat menerima pengumuman dan pengingat dari Dinsos. Admin grup mendaftarkan grup dengan "
        "/daftar, misalnya <code>/daftar Sumber</code>."
    ),
}


def group_status_line(kecamatan_name: str | None, pending_name: str | None) -> str:
    if kecamatan_name:
        line = f"Grup ini terdaftar untuk <b>Kecamatan {esc(kecamatan_name)}</b>."
    else:
        line = "Grup ini belum terdaftar."
    if pending_name:
        line += f"\nMenunggu persetujuan Dinsos untuk Kecamatan {esc(pending_name)}."
    return line


WELCOME_GROUP = (
    "Terima kasih telah menambahkan bot Dinas Sosial Kabupaten Cirebon.\n"
    "Admin grup, mohon ketik /daftar untuk mendaftarkan grup ini sebagai grup Karang Taruna kecamatan."
)

# --- Registration -------------------------------------------------------------------------------------------

DAFTAR_ONLY_IN_GROUP = (
    "Pendaftaran dilakukan di grup Karang Taruna kecamatan. Tambahkan bot ke grup tersebut, lalu admin grup "
    "mengetik /daftar di sana."
)
DAFTAR_ADMIN_ONLY = "Mohon maaf, hanya admin grup ini yang dapat mendaftarkan grup."
DAFTAR_PICK = "Silakan pilih kecamatan untuk grup ini:"
PICKER_ADMIN_ONLY = "Hanya admin grup yang dapat memilih kecamatan."
PICKER_EXPIRED = "Pilihan ini sudah tidak berlaku. Mohon ketik /daftar lagi."


def daftar_unknown(text: str, suggestions: list[str]) -> str:
    msg = f"Kecamatan <b>{esc(text)}</b> tidak ditemukan di Kabupaten Cirebon."
    if suggestions:
        msg += " Mungkin maksud Anda: " + ", ".join(esc(s) for s in suggestions) + "?"
    return msg + "\nKetik /daftar tanpa nama untuk memilih dari daftar."


def daftar_sent(kecamatan: str) -> str:
    return (
        f"Permintaan pendaftaran grup ini untuk <b>Kecamatan {esc(kecamatan)}</b> sudah dikirim ke Dinsos. "
        "Mohon tunggu persetujuan."
    )


def daftar_already_active(kecamatan: str) -> str:
    return f"Grup ini sudah terdaftar untuk <b>Kecamatan {esc(kecamatan)}</b>."


def daftar_already_pending(kecamatan: str) -> str:
    return f"Permintaan untuk <b>Kecamatan {esc(kecamatan)}</b> sudah dikirim dan masih menunggu persetujuan Dinsos."


def admin_request(
    *, title: str, requester: str, kecamatan: str, replaces_title: str | None, moves_from: str | None
) -> str:
    lines = [
        "<b>Permintaan pendaftaran grup</b>",
        f"Grup: {esc(title)}",
        f"Diajukan oleh: {esc(requester)}",
        f"Kecamatan: <b>{esc(kecamatan)}</b>",
    ]
    if replaces_title:
        lines.append(
            f"⚠️ Pengganti: Kecamatan {esc(kecamatan)} saat ini terhubung dengan grup «{esc(replaces_title)}». "
            "Jika disetujui, grup lama tidak lagi terdaftar."
        )
    if moves_from:
        lines.append(f"Grup ini sekarang terdaftar untuk Kecamatan {esc(moves_from)} dan ingin pindah.")
    return "\n".join(lines)


BUTTON_APPROVE = "Setujui"
BUTTON_REJECT = "Tolak"


def admin_decided(original: str, *, approved: bool, admin: str) -> str:
    verdict = "✅ Disetujui" if approved else "❌ Ditolak"
    return f"{original}\n\n{verdict} oleh {esc(admin)}."


def admin_request_gone(original: str, status_text: str) -> str:
    return f"{original}\n\n{status_text}"


STATUS_WITHDRAWN = "Permintaan ini dibatalkan (grup meminta kecamatan lain atau bot dikeluarkan dari grup)."
DECISION_ALREADY_MADE = "Permintaan ini sudah diproses sebelumnya."
DECISION_NOT_FOUND = "Permintaan tidak ditemukan."
ADMIN_ONLY = "Mohon maaf, perintah ini hanya untuk admin Dinas Sosial."
DECISION_APPROVED_TOAST = "Pendaftaran disetujui."
DECISION_REJECTED_TOAST = "Pendaftaran ditolak."


def group_approved(kecamatan: str) -> str:
    return (
        f"✅ Pendaftaran disetujui. Grup ini sekarang terdaftar sebagai grup Karang Taruna "
        f"<b>Kecamatan {esc(kecamatan)}</b>. Pengumuman dan pengingat dari Dinsos akan dikirim ke sini."
    )


def group_rejected(kecamatan: str) -> str:
    return (
        f"Mohon maaf, pendaftaran grup ini untuk Kecamatan {esc(kecamatan)} tidak disetujui Dinsos. "
        "Silakan hubungi Dinas Sosial Kabupaten Cirebon bila ada pertanyaan."
    )


def group_retired(kecamatan: str) -> str:
    return (
        f"Grup ini tidak lagi terdaftar untuk Kecamatan {esc(kecamatan)} karena Dinsos telah menyetujui grup lain. "
        "Pengumuman berikutnya akan dikirim ke grup yang baru."
    )


def group_moved(old: str, new: str) -> str:
    return f"Grup ini dipindahkan dari Kecamatan {esc(old)} ke <b>Kecamatan {esc(new)}</b>."


def admin_pending_on_start(count: int) -> str:
    return f"Ada {count} permintaan pendaftaran yang menunggu keputusan Bapak/Ibu:"


def admin_group_left(title: str, kecamatan: str, was_active: bool) -> str:
    what = "terdaftar" if was_active else "menunggu persetujuan"
    return (
        f"ℹ️ Bot dikeluarkan dari grup «{esc(title)}» ({what} untuk Kecamatan {esc(kecamatan)}). "
        "Pendaftarannya dinonaktifkan; grup dapat mendaftar lagi dengan /daftar setelah bot ditambahkan kembali."
    )


# --- Kecamatan overview -------------------------------------------------------------------------------------

KECAMATAN_STATE_ICON = {
    "aktif": "✅",
    "menunggu persetujuan": "⏳",
    "belum terdaftar": "▫️",
    "nonaktif": "⛔",
}


def kecamatan_overview_header(counts: dict[str, int]) -> str:
    parts = ", ".join(f"{state} {n}" for state, n in counts.items())
    return f"<b>Status pendaftaran 40 kecamatan</b>\n{parts}\n"


def kecamatan_overview_line(name: str, state: str, group_title: str | None) -> str:
    icon = KECAMATAN_STATE_ICON.get(state, "")
    line = f"{icon} {esc(name)} – {state}"
    if group_title:
        line += f" ({esc(group_title)})"
    return line


# --- General ------------------------------------------------------------------------------------------------

UNKNOWN_COMMAND = "Perintah tidak dikenal. Ketik /bantuan untuk melihat petunjuk."
PRIVATE_TEXT_HINT = "Terima kasih atas pesannya. Ketik /bantuan untuk melihat apa yang bisa dilakukan bot ini."
BUTTON_EXPIRED = "Tombol ini sudah tidak berlaku."
ERROR_APOLOGY = "Mohon maaf, terjadi kesalahan pada bot. Silakan coba lagi beberapa saat lagi."
