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
    "pengumuman": "Kirim pengumuman ke grup kecamatan",
    "status_pengumuman": "Siapa yang sudah menerima dan membaca pengumuman",
    "batal": "Batalkan yang sedang diisi",
    "laporan": "Isi laporan kegiatan",
    "evaluasi": "Isi evaluasi mingguan",
    "laporan_saya": "Laporan saya dan kecamatan saya",
    "pengingat": "Jadwal dan status pengingat evaluasi mingguan",
    "libur": "Tandai hari libur (pengingat digeser)",
    "izin": "Beri izin kecamatan tidak mengisi evaluasi minggu ini",
    "rekap": "Rekap 40 kecamatan: evaluasi, laporan, pengumuman dibaca (grafik)",
    "ekspor": "Unduh laporan, evaluasi dan pengumuman sebagai file Excel",
    "status_bot": "Kesehatan bot: waktu berjalan, database, antrean kirim, cadangan terakhir",
    "dasbor": "Buka dasbor Dinsos: 40 kecamatan sekilas, di Telegram atau di browser",
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


STATUS_APPROVED = "✅ Sudah disetujui."
STATUS_REJECTED = "❌ Sudah ditolak."


def anonymous_admin(group_title: str) -> str:
    """Who asked, when a group admin posts anonymously (as the group itself)."""
    return f"Admin anonim grup {group_title}".strip()


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


# --- Announcements ------------------------------------------------------------------------------------------

ANN_ASK_CONTENT = (
    "Silakan kirim isi pengumuman: teks, atau foto/dokumen dengan keterangan. Format (tebal, tautan) akan "
    "dipertahankan.\nKetik /batal untuk membatalkan."
)
ANN_UNSUPPORTED = "Jenis pesan ini belum didukung untuk pengumuman. Mohon kirim teks, foto, atau dokumen."
ANN_EMPTY = "Isi pengumuman masih kosong. Mohon kirim teksnya, atau foto/dokumen dengan keterangan."


def ann_too_long(kind: str, length: int, limit: int) -> str:
    what = "Teks" if kind == "text" else "Keterangan foto/dokumen"
    return (
        f"{what} terlalu panjang: {length} karakter, batas Telegram {limit}. Mohon dipersingkat atau dibagi "
        "menjadi beberapa pengumuman. Belum ada yang dikirim."
    )


ANN_PREVIEW_ABOVE = "☝️ Pratinjau pengumuman, persis seperti yang akan diterima grup."


def ann_control(targets: list[str] | None, active_count: int) -> str:
    if targets is None:
        who = f"semua kecamatan aktif ({active_count} grup)"
    else:
        who = f"{len(targets)} kecamatan: " + ", ".join(esc(t) for t in targets)
    return f"<b>Tujuan:</b> {who}\n\nTekan <b>Kirim</b> untuk mengirim, atau <b>Batal</b>."


BUTTON_SEND = "Kirim"
BUTTON_CANCEL = "Batal"
BUTTON_PICK_TARGETS = "Pilih kecamatan"
BUTTON_ALL_TARGETS = "Semua"
BUTTON_TARGETS_DONE = "Selesai"
BUTTON_ACK = "Sudah dibaca"
ANN_PICK_TARGETS = "Pilih kecamatan tujuan (tekan untuk menandai), lalu <b>Selesai</b>:"
ANN_NO_ACTIVE_GROUPS = "Belum ada grup kecamatan yang aktif. Pengumuman belum dapat dikirim."
ANN_NO_TARGET_CHOSEN = "Pilih minimal satu kecamatan, atau tekan Semua."
ANN_ALREADY_SENT = "Pengumuman ini sudah dikirim."
ANN_NOT_A_DRAFT = "Draf ini sudah tidak berlaku."
ANN_CANCELLED = "Pengumuman dibatalkan. Tidak ada yang dikirim."
NOTHING_TO_CANCEL = "Tidak ada yang sedang diisi."


def ann_progress(announcement_id: int, sent: int, total: int) -> str:
    return f"📤 Pengumuman #{announcement_id}: terkirim {sent}/{total}…"


def ann_report(announcement_id: int, sent: int, total: int, failed: list[tuple[str, str]], pending: int) -> str:
    lines = [f"<b>Laporan pengumuman #{announcement_id}</b>", f"✅ Terkirim: {sent}/{total}"]
    if failed:
        lines.append(f"❌ Gagal: {len(failed)}")
        lines += [f"• {esc(name)}: {esc(reason)}" for name, reason in failed]
    if pending:
        lines.append(f"⏳ Masih diproses: {pending}")
    lines.append(f"\nLihat yang sudah membaca: /status_pengumuman {announcement_id}")
    return "\n".join(lines)


ACK_THANKS = "Terima kasih, tercatat sudah dibaca."


def ack_already(name: str) -> str:
    return f"Sudah dicatat sebelumnya (oleh {name}). Terima kasih."


ACK_NOT_HERE = "Tombol ini bukan untuk grup ini."


def ack_button_done(name: str) -> str:
    return f"✅ Dibaca – {name}"


def ann_nudge(acknowledge_button: str) -> str:
    return (
        "Mohon maaf mengingatkan: pengumuman dari Dinas Sosial di atas belum ditandai dibaca. "
        f"Mohon tekan tombol <b>{esc(acknowledge_button)}</b> pada pengumuman tersebut. Terima kasih."
    )


STATUS_NO_ANNOUNCEMENTS = "Belum ada pengumuman yang dikirim."
STATUS_NOT_FOUND = "Pengumuman dengan nomor itu tidak ditemukan."
STATUS_USAGE = "Gunakan /status_pengumuman atau /status_pengumuman &lt;nomor&gt;, misalnya /status_pengumuman 3."


def status_recent_line(announcement_id: int, when: str, preview: str, sent: int, total: int, acked: int) -> str:
    return f"#{announcement_id} · {when} · terkirim {sent}/{total} · dibaca {acked} – {esc(preview)}"


def status_detail(
    announcement_id: int, when: str, preview: str, sent: int, total: int, acked: int,
    not_acked: list[str], failed: list[tuple[str, str]], pending: int,
) -> list[str]:  # fmt: skip
    lines = [
        f"<b>Pengumuman #{announcement_id}</b> · {when}",
        esc(preview),
        "",
        f"Terkirim: {sent}/{total}",
        f"Sudah dibaca: {acked}/{sent}",
    ]
    if pending:
        lines.append(f"Masih diproses: {pending}")
    if failed:
        lines.append("Gagal: " + "; ".join(f"{esc(n)} ({esc(r)})" for n, r in failed))
    if not_acked:
        lines.append("Belum membaca: " + ", ".join(esc(n) for n in not_acked))
    return lines


def relay_to_admin(kecamatan: str, sender: str, announcement_id: int | None) -> str:
    about = f" atas pengumuman #{announcement_id}" if announcement_id else ""
    return f"💬 <b>Balasan dari Kecamatan {esc(kecamatan)}</b> ({esc(sender)}){about}. Balas pesan ini untuk menjawab."


RELAY_FORWARDED = "Terima kasih, balasan Anda sudah diteruskan ke Dinas Sosial."
RELAY_ADMIN_SENT = "Terkirim ke grup."
RELAY_ADMIN_FAILED = "Mohon maaf, balasan tidak dapat dikirim: bot sudah tidak ada di grup tersebut."
RELAY_FROM_DINSOS = "💬 <b>Dinas Sosial menjawab:</b>"

# --- Forms ----------------------------------------------------------------------------------------------------

FORM_NOT_MEMBER = (
    "Mohon maaf, Anda belum tercatat sebagai anggota grup Karang Taruna kecamatan yang terdaftar. "
    "Minta admin grup kecamatan Anda menambahkan bot ke grup dan mengetik /daftar, lalu coba lagi."
)
FORM_GROUP_NOT_REGISTERED = "Grup ini belum terdaftar. Admin grup dapat mendaftarkannya dengan /daftar."
FORM_CHOOSE_KECAMATAN = "Anda anggota beberapa grup kecamatan. Untuk kecamatan mana?"
BUTTON_FILL_IN_PRIVATE = "Isi lewat chat pribadi"


def form_open_private(title: str, kecamatan: str) -> str:
    return (
        f"Silakan isi <b>{esc(title)}</b> Kecamatan {esc(kecamatan)} lewat chat pribadi dengan bot "
        "(tekan tombol di bawah). Jawaban tersimpan setiap langkah."
    )


def form_started(title: str, kecamatan: str, total: int) -> str:
    return (
        f"<b>{esc(title)}</b> – Kecamatan {esc(kecamatan)}\n{total} pertanyaan. Jawaban tersimpan setiap langkah; "
        "ketik /batal untuk membatalkan."
    )


def form_question(number: int, total: int, prompt: str, example: str, optional: bool) -> str:
    text = f"<b>({number}/{total})</b> {esc(prompt)}"
    if example:
        text += f"\n<i>Contoh: {esc(example)}</i>"
    if optional:
        text += "\n(Boleh dilewati.)"
    return text


def form_invalid(reason: str, example: str) -> str:
    text = f"⚠️ {esc(reason)}"
    if example:
        text += f"\nContoh: {esc(example)}"
    return text + "\nMohon jawab lagi."


FORM_TEXT_EXPECTED = "Mohon jawab dengan teks."
FORM_USE_BUTTONS = "Mohon pilih dengan tombol pada pertanyaan di atas."
FORM_MULTI_EMPTY = "Pilih minimal satu, atau tekan Tidak ada."
FORM_PHOTO_EXPECTED = "Mohon kirim foto, atau tekan Selesai bila sudah."
FORM_SUMMARY_USE_BUTTONS = "Mohon periksa ringkasan lalu tekan Kirim, Ubah, atau Batal."


def form_photo_received(count: int, limit: int) -> str:
    return f"Foto {count}/{limit} diterima. Kirim foto lain, atau tekan Selesai."


def form_photo_limit(limit: int) -> str:
    return f"Sudah {limit} foto (batas maksimal). Tekan Selesai untuk melanjutkan."


BUTTON_SKIP = "Lewati"
BUTTON_DONE = "Selesai"
BUTTON_NONE = "Tidak ada"
BUTTON_KECAMATAN_LEVEL = "Tingkat kecamatan"
BUTTON_SUBMIT = "Kirim"
BUTTON_EDIT = "Ubah"
BUTTON_RESUME = "Lanjutkan"
BUTTON_RESTART = "Mulai ulang"
BUTTON_UPDATE = "Perbarui"
BUTTON_BACK = "Kembali"


def form_summary(title: str, kecamatan: str, lines: list[tuple[str, str]]) -> str:
    body = "\n".join(f"<b>{esc(label)}:</b> {esc(value)}" for label, value in lines)
    return f"<b>Ringkasan {esc(title)}</b> – Kecamatan {esc(kecamatan)}\n\n{body}\n\nSudah benar?"


FORM_EDIT_WHICH = "Bagian mana yang ingin diubah?"
FORM_CANCELLED = "Pengisian dibatalkan. Jawaban tidak dikirim."
FORM_STALE_BUTTON = "Tombol ini untuk pertanyaan sebelumnya. Mohon jawab pertanyaan terakhir."
FORM_NOT_YOURS = "Tombol ini bukan untuk Anda."
FORM_GONE = "Pengisian ini sudah selesai atau dibatalkan."


def form_expired(title: str, hours: float) -> str:
    return f"Draf {esc(title)} Anda sudah kedaluwarsa (tidak diisi lebih dari {hours:g} jam) dan dihapus."


def form_resume(title: str, kecamatan: str, answered: int, total: int) -> str:
    return (
        f"Anda masih punya draf <b>{esc(title)}</b> Kecamatan {esc(kecamatan)} "
        f"({answered}/{total} pertanyaan terjawab). Lanjutkan atau mulai ulang?"
    )


def form_submitted(title: str, report_id: int, version: int) -> str:
    extra = f" (versi {version})" if version > 1 else ""
    return f"✅ Terima kasih! {esc(title)} #{report_id}{extra} sudah terkirim ke Dinas Sosial."


def form_already_submitted(title: str, report_id: int) -> str:
    return f"{esc(title)} #{report_id} sudah terkirim sebelumnya. Tidak dikirim dua kali."


def form_group_note(title: str, name: str, sender: str, updated: bool) -> str:
    what = "diperbarui" if updated else "dikirim"
    label = f" «{esc(name)}»" if name else ""
    return f"📋 {esc(title)}{label} telah {what} oleh {esc(sender)}. Terima kasih!"


def form_admin_copy(title: str, kecamatan: str, report_id: int, version: int, sender: str,
                    lines: list[tuple[str, str]]) -> str:  # fmt: skip
    extra = f" · versi {version}" if version > 1 else ""
    body = "\n".join(f"<b>{esc(label)}:</b> {esc(value)}" for label, value in lines)
    return f"📋 <b>{esc(title)} #{report_id}</b>{extra}\nKecamatan {esc(kecamatan)} · dari {esc(sender)}\n\n{body}"


def evaluation_exists(week: str, sender: str) -> str:
    return (
        f"Evaluasi minggu {esc(week)} untuk kecamatan ini sudah dikirim oleh {esc(sender)}. "
        "Ingin memperbaruinya? Versi sebelumnya tetap tersimpan."
    )


MY_REPORTS_PRIVATE_ONLY = "Perintah ini digunakan di chat pribadi dengan bot."
MY_REPORTS_NONE = "Belum ada laporan dari Anda atau kecamatan Anda."
MY_REPORTS_HEADER = "<b>Laporan terbaru</b> (koreksi dapat dilakukan dalam 7 hari):"
CORRECTION_TOO_LATE = "Laporan ini sudah lebih dari 7 hari, tidak dapat dikoreksi lagi."
CORRECTION_NOT_MEMBER = "Hanya anggota grup kecamatan laporan ini yang dapat mengoreksinya."


def my_report_line(report_id: int, title: str, name: str, when: str, kecamatan: str, version: int) -> str:
    extra = f" · versi {version}" if version > 1 else ""
    label = f" «{esc(name)}»" if name else ""
    return f"#{report_id} · {esc(title)}{label} · {esc(kecamatan)} · {when}{extra}"


def correction_button(report_id: int) -> str:
    return f"Koreksi #{report_id}"


# --- Reminders ------------------------------------------------------------------------------------------------

BUTTON_FILL_EVALUATION = "Isi evaluasi"
BUTTON_SEND_NOW = "Kirim sekarang"


def reminder_text(kecamatan: str, week: str, deadline: str, *, followup: bool, overdue: bool) -> str:
    opening = "Pengingat kedua: evaluasi" if followup else "Mohon mengisi evaluasi"
    when = f"Batas waktu ({deadline}) sudah lewat; mohon segera diisi." if overdue else f"Batas waktu: {deadline}."
    return (
        f"Yth. pengurus Karang Taruna Kecamatan {esc(kecamatan)},\n"
        f"{opening} mingguan untuk minggu <b>{esc(week)}</b> belum kami terima. {when}\n"
        "Tekan tombol di bawah untuk mengisi. Terima kasih."
    )


def reminder_digest(
    week: str, *, followup: bool, done: int, expected: int, missing: list[str], excused: list[str],
    missing_twice: list[str], unregistered: int,
) -> str:  # fmt: skip
    which = "Pengingat susulan" if followup else "Pengingat"
    lines = [
        f"<b>{which} evaluasi mingguan terkirim</b>",
        f"Minggu {esc(week)}",
        f"✅ {done}/{expected} kecamatan sudah mengisi",
    ]
    if missing:
        lines.append(f"⏳ Belum mengisi ({len(missing)}): " + ", ".join(esc(n) for n in missing))
    if missing_twice:
        lines.append(
            "⚠️ Perlu ditindaklanjuti (2 minggu berturut-turut belum mengisi): "
            + ", ".join(esc(n) for n in missing_twice)
        )
    if excused:
        lines.append("Diizinkan: " + ", ".join(esc(n) for n in excused))
    if unregistered:
        lines.append(f"Belum terdaftar: {unregistered} kecamatan")
    return "\n".join(lines)


def reminder_overview(
    cron: str, next_due: str | None, followup_hours: float, week: str, done: int, expected: int,
    missing: list[str], excused: list[str], holidays: list[str],
) -> str:  # fmt: skip
    lines = [
        "<b>Pengingat evaluasi mingguan</b>",
        f"Jadwal (crontab, WIB): <code>{esc(cron)}</code>",
        f"Berikutnya: {esc(next_due) if next_due else '–'}",
        f"Susulan: {followup_hours:g} jam setelahnya" if followup_hours else "Susulan: tidak ada",
        "",
        f"Minggu ini ({esc(week)}): {done}/{expected} sudah mengisi",
    ]
    if missing:
        lines.append("Belum: " + ", ".join(esc(n) for n in missing))
    if excused:
        lines.append("Diizinkan: " + ", ".join(esc(n) for n in excused))
    if holidays:
        lines.append("Hari libur mendatang: " + "; ".join(esc(h) for h in holidays))
    return "\n".join(lines)


def reminder_sent_now(count: int) -> str:
    return (
        f"Pengingat dikirim ke {count} grup."
        if count
        else "Semua kecamatan aktif sudah mengisi; tidak ada yang diingatkan."
    )


REMINDER_ALREADY_SENT = "Pengingat dari tombol ini sudah dikirim."
HOLIDAY_USAGE = (
    "Gunakan: <code>/libur 25/12/2026 Hari Natal</code> untuk menandai hari libur, "
    "<code>/libur hapus 25/12/2026</code> untuk menghapus, atau /libur saja untuk melihat daftar."
)


def holiday_added(day: str, reason: str, new: bool) -> str:
    what = "ditandai sebagai hari libur" if new else "sudah tercatat sebagai hari libur (alasan diperbarui)"
    suffix = f" ({esc(reason)})" if reason else ""
    return f"{esc(day)}{suffix} {what}. Pengingat yang jatuh pada hari itu digeser ke hari kerja berikutnya."


def holiday_removed(day: str, removed: bool) -> str:
    return f"{esc(day)} dihapus dari daftar hari libur." if removed else f"{esc(day)} tidak ada di daftar hari libur."


HOLIDAYS_NONE = "Belum ada hari libur mendatang yang ditandai."


def holidays_list(lines: list[str]) -> str:
    return "<b>Hari libur mendatang</b>\n" + "\n".join(esc(line) for line in lines)


EXCUSE_USAGE = "Gunakan: <code>/izin Sumber alasan</code> (berlaku minggu ini), atau /izin saja untuk melihat daftar."


def excuse_added(kecamatan: str, week: str, new: bool) -> str:
    what = "diizinkan tidak mengisi" if new else "sudah diizinkan (alasan diperbarui) untuk"
    return f"Kecamatan {esc(kecamatan)} {what} evaluasi minggu {esc(week)}; tidak akan diingatkan."


def excuses_list(week: str, lines: list[str]) -> str:
    if not lines:
        return f"Belum ada kecamatan yang diizinkan untuk minggu {esc(week)}."
    return f"<b>Diizinkan minggu {esc(week)}</b>\n" + "\n".join(esc(line) for line in lines)


# --- Review -----------------------------------------------------------------------------------------------------

BUTTON_REVIEW_OK = "Diterima"
BUTTON_REVIEW_FIX = "Perlu perbaikan"
BUTTON_FIX_REPORT = "Perbaiki laporan"


def review_done(status: str, admin: str) -> str:
    return f"✅ Diterima – {admin}" if status == "diterima" else f"✏️ Perlu perbaikan – {admin}"


def review_ask_comment(title: str, report_id: int) -> str:
    return (
        f"Tulis catatan perbaikan untuk {esc(title)} #{report_id}. Catatan dikirim ke grup kecamatan dan "
        "pengirim laporan. Ketik /batal untuk membatalkan."
    )


REVIEW_COMMENT_EMPTY = "Mohon tulis catatan perbaikannya dalam bentuk teks."
REVIEW_CANCELLED = "Permintaan perbaikan dibatalkan."
REVIEW_ALREADY = "Versi laporan ini sudah ditinjau."
REVIEW_OUTDATED = "Laporan ini sudah diperbarui; mohon tinjau versi terbaru."


def review_comment_sent(report_id: int) -> str:
    return f"Catatan perbaikan untuk laporan #{report_id} sudah dikirim ke grup dan pengirimnya."


def review_accepted_note(title: str, report_id: int) -> str:
    return f"✅ {esc(title)} #{report_id} Anda sudah diterima Dinas Sosial. Terima kasih."


def review_fix_request(title: str, report_id: int, name: str, comment: str) -> str:
    label = f" «{esc(name)}»" if name else ""
    return (
        f"✏️ Dinas Sosial meminta perbaikan {esc(title)} #{report_id}{label}:\n<i>{esc(comment)}</i>\n"
        "Tekan tombol di bawah untuk memperbaiki; versi sebelumnya tetap tersimpan."
    )


# --- Recap --------------------------------------------------------------------------------------------------

RECAP_USAGE = "Gunakan /rekap untuk bulan ini, atau /rekap minggu untuk minggu ini."

# Keyed by storage.recap.EvaluationStatus; the squares match the chart's colours.
RECAP_STATUS_ICON = {"sudah": "🟩", "diizinkan": "🟦", "belum": "🟥", "belum terdaftar": "⬜"}
RECAP_STATUS_LABEL = {
    "sudah": "Sudah mengisi",
    "diizinkan": "Diizinkan",
    "belum": "Belum mengisi",
    "belum terdaftar": "Belum terdaftar",
}
RECAP_LINE_STATUS = {
    "sudah": "evaluasi sudah",
    "diizinkan": "evaluasi diizinkan",
    "belum": "evaluasi belum",
    "belum terdaftar": "belum terdaftar",
}
RECAP_CHART_XLABEL = "Jumlah laporan kegiatan"


def _recap_period(period: str, weekly: bool) -> str:
    """'bulan November 2026', 'minggu ini (Senin, 23 – Minggu, 29 November 2026)'."""
    return f"minggu ini ({period})" if weekly else f"bulan {period}"


def _recap_rate(acknowledged: int, delivered: int) -> str:
    if not delivered:
        return "–"
    return f"{acknowledged}/{delivered} ({round(100 * acknowledged / delivered)}%)"


def recap_header(
    *, period: str, weekly: bool, week: str, counts: dict[str, int], total: int, reports: int,
    acknowledged: int, delivered: int,
) -> list[str]:  # fmt: skip
    when = "minggu ini" if weekly else "bulan ini"
    tally = " · ".join(f"{RECAP_STATUS_ICON[s]} {RECAP_STATUS_LABEL[s].lower()} {n}" for s, n in counts.items())
    return [
        f"<b>Rekap Karang Taruna – {esc(_recap_period(period, weekly))}</b>",
        f"<b>{counts['sudah']}/{total} kecamatan sudah mengisi evaluasi minggu ini</b> ({esc(week)})",
        tally,
        f"Laporan kegiatan {when}: {reports}",
        f"Pengumuman {when} yang sudah dibaca: {_recap_rate(acknowledged, delivered)}",
        "",
    ]


def recap_line(
    name: str, status: str, reports: int, acknowledged: int, delivered: int, last_activity: str | None
) -> str:
    read = f"{acknowledged}/{delivered}" if delivered else "–"
    return (
        f"{RECAP_STATUS_ICON[status]} <b>{esc(name)}</b> · {RECAP_LINE_STATUS[status]} · laporan {reports} · "
        f"dibaca {read} · terakhir {last_activity or '–'}"
    )


def recap_chart_title(period: str, *, weekly: bool) -> str:
    return f"Laporan kegiatan per kecamatan\n{_recap_period(period, weekly)}"


def recap_chart_legend_title(week: str) -> str:
    return f"Evaluasi minggu ini ({week})"


def recap_chart_caption(period: str, *, weekly: bool) -> str:
    return f"📊 Laporan kegiatan per kecamatan, {esc(_recap_period(period, weekly))}"


# --- Export -------------------------------------------------------------------------------------------------

EXPORT_EVERYTHING = "semua data"
EXPORT_ALL_ACTIVE = "Semua kecamatan aktif"
EXPORT_PERIOD_UNKNOWN = "Periode tidak dikenali."
EXPORT_RANGE_REVERSED = "Tanggal awal harus sebelum tanggal akhir."
EXPORT_NOTE = (
    "Laporan kegiatan dan evaluasi mingguan dipilih menurut waktu kirim pertama, pengumuman menurut waktu kirim "
    "(WIB). Status kecamatan dan riwayat grup selalu lengkap; jumlah pada status kecamatan mengikuti periode."
)
EXPORT_PHOTOS_MISSING_HEADER = "Foto berikut tidak dapat diunduh dari Telegram saat ekspor:"


def export_month(month: str, year: int) -> str:
    return f"bulan {month} {year}"


def export_range(start: str, end: str) -> str:
    return f"{start} s.d. {end}"


def export_bad_month(text: str) -> str:
    return f"Bulan {text} tidak ada. Tulis tahun-bulan, misalnya 2026-11."


def export_bad_date(text: str) -> str:
    return f"Tanggal {text} tidak ada di kalender."


def export_usage(reason: str) -> str:
    return (
        f"⚠️ {esc(reason)} Tidak ada file yang dikirim.\n\n"
        "Gunakan salah satu:\n"
        "/ekspor – semua data\n"
        "/ekspor bulan – bulan ini\n"
        "<code>/ekspor 2026-11</code> – bulan tertentu (tahun-bulan)\n"
        "<code>/ekspor 1/11/2026..30/11/2026</code> – rentang tanggal kirim (boleh juga 1-11-2026)"
    )


def export_caption(period: str, reports: int, evaluations: int, announcements: int) -> str:
    return (
        f"📊 <b>Data Karang Taruna</b> – {esc(period)}\n"
        f"{reports} laporan kegiatan, {evaluations} evaluasi mingguan, {announcements} pengumuman. Waktu dalam WIB."
    )


def export_photo_missing(report: str, number: int, file_id: str, reason: str) -> str:
    return f"{report}, foto {number} (file id {file_id}): {reason}"


# --- Status -------------------------------------------------------------------------------------------------

STATUS_VERSION_UNKNOWN = "tidak diketahui"


def bot_status(
    *, uptime: str | None, started: str | None, version: str, database_size: str, pending_outbox: int,
    active_drafts: int, last_backup: str | None, backup_overdue: bool, next_reminder: str | None,
) -> str:  # fmt: skip
    backup = last_backup or "belum ada"
    return "\n".join(
        [
            "<b>Status bot</b>",
            f"Berjalan: {uptime} (sejak {started})" if uptime else "Berjalan: –",
            f"Versi: {esc(version)}",
            f"Ukuran database: {database_size}",
            f"Pesan menunggu dikirim: {pending_outbox}",
            f"Formulir sedang diisi: {active_drafts}",
            f"Cadangan terakhir: {'⚠️ ' if backup_overdue else ''}{backup}",
            f"Pengingat berikutnya: {next_reminder or '–'}",
        ]
    )


def duration(seconds: float) -> str:
    """'2 hari 3 jam 5 menit'; under a minute, 'kurang dari 1 menit'."""
    minutes = int(seconds) // 60
    days, hours, minutes = minutes // (24 * 60), minutes // 60 % 24, minutes % 60
    parts = [f"{n} {unit}" for n, unit in ((days, "hari"), (hours, "jam"), (minutes, "menit")) if n]
    return " ".join(parts) or "kurang dari 1 menit"


def file_size(size: int) -> str:
    """'834 KB', '1,2 MB' (decimal comma, as Indonesian writes it)."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}".replace(".", ",") if unit != "KB" else f"{size // factor} KB"
    return f"{size} B"


# --- Errors -------------------------------------------------------------------------------------------------

# What kind of update a failed handler was working on, as the alert names it.
UPDATE_KINDS = {
    "message": "pesan",
    "edited_message": "pesan yang diubah",
    "callback_query": "tombol",
    "my_chat_member": "keanggotaan bot di grup",
    "job": "tugas terjadwal",
}


def error_alert(error_type: str, where: str, kind: str, chat_id: int | None, when: str, held_back: int) -> str:
    """The alert for Dinsos (plain text). Only ids and names from the code: never what anybody wrote."""
    lines = [
        "⚠️ Terjadi kesalahan pada bot",
        f"Jenis: {error_type}",
        f"Bagian: {where} ({UPDATE_KINDS.get(kind, kind)})",
        f"Chat: {chat_id if chat_id is not None else '-'}",
        f"Waktu: {when}",
    ]
    if held_back:
        lines.append(f"{held_back} kesalahan yang sama sejak peringatan sebelumnya tidak dikirim satu per satu.")
    lines.append("Rincian lengkap ada di log server.")
    return "\n".join(lines)


# --- General ------------------------------------------------------------------------------------------------

UNKNOWN_COMMAND = "Perintah tidak dikenal. Ketik /bantuan untuk melihat petunjuk."
PRIVATE_TEXT_HINT = "Terima kasih atas pesannya. Ketik /bantuan untuk melihat apa yang bisa dilakukan bot ini."
BUTTON_EXPIRED = "Tombol ini sudah tidak berlaku."
ERROR_APOLOGY = "Mohon maaf, terjadi kesalahan pada bot. Silakan coba lagi beberapa saat lagi."


# --- Dashboard (/dasbor and the web pages' messages) -------------------------------------------------------

BUTTON_DASHBOARD_MINIAPP = "📊 Buka dasbor"
DASHBOARD_OFF = (
    "Dasbor belum diaktifkan di bot ini. Pengelola server perlu mengisi <code>DASHBOARD_URL</code> "
    "(lihat README, bagian Dasbor)."
)


def dashboard_links(login_url: str, minutes: int, miniapp: bool) -> str:
    first = "Tekan <b>Buka dasbor</b> untuk membukanya di Telegram, atau buka" if miniapp else "Buka"
    return (
        "<b>Dasbor Dinsos</b>\n"
        f"{first} tautan masuk ini di browser komputer kantor:\n{esc(login_url)}\n\n"
        f"Tautan hanya berlaku <b>{minutes} menit</b> dan hanya <b>sekali</b>. Jangan diteruskan kepada orang lain; "
        "ketik /dasbor lagi untuk tautan baru."
    )


# Error pages: (title, explanation). Each says what happened and what to do next.
WEB_ERRORS = {
    "login_unknown": (
        "Tautan masuk tidak dikenal",
        "Tautan ini tidak pernah dibuat oleh bot, atau tidak lengkap tersalin. Ketik /dasbor di chat pribadi "
        "dengan bot untuk tautan baru.",
    ),
    "login_expired": (
        "Tautan masuk sudah kedaluwarsa",
        "Tautan masuk hanya berlaku 10 menit. Ketik /dasbor di chat pribadi dengan bot untuk tautan baru.",
    ),
    "login_used": (
        "Tautan masuk sudah dipakai",
        "Setiap tautan hanya bisa dipakai sekali. Bila bukan Anda yang memakainya, beri tahu pengelola bot. "
        "Ketik /dasbor untuk tautan baru.",
    ),
    "miniapp_refused": (
        "Tidak dapat memastikan akun Telegram Anda",
        "Data dari Telegram tidak sah atau sudah terlalu lama. Tutup dasbor lalu buka lagi dari tombol "
        "Buka dasbor di chat bot.",
    ),
    "not_admin": (
        "Khusus admin Dinas Sosial",
        "Akun Telegram ini tidak terdaftar sebagai admin Dinsos. Hubungi pengelola bot bila seharusnya terdaftar.",
    ),
    "no_session": (
        "Silakan masuk dulu",
        "Sesi Anda belum ada, sudah berakhir (12 jam) atau sudah keluar. Ketik /dasbor di chat pribadi "
        "dengan bot untuk masuk lagi.",
    ),
    "csrf": (
        "Permintaan ditolak",
        "Formulir ini tidak berasal dari halaman dasbor yang sedang terbuka. Muat ulang halaman lalu coba lagi.",
    ),
    "not_found": ("Halaman tidak ditemukan", "Alamat ini tidak ada di dasbor. Kembali ke Ringkasan."),
    "photo_missing": (
        "Foto tidak dapat diambil",
        "Telegram tidak memberikan foto ini sekarang. Coba lagi nanti.",
    ),
    "bad_period": ("Periode tidak dikenal", "Periode ekspor tidak dikenal."),
}
DASHBOARD_LOGGED_OUT = ("Anda sudah keluar", "Sesi dasbor sudah diakhiri. Ketik /dasbor untuk masuk lagi.")
REVIEW_WEB_RESULT = {
    "diterima": "Laporan diterima. Pengirim diberi tahu lewat Telegram.",
    "perlu_perbaikan": "Catatan perbaikan dikirim ke grup kecamatan dan pengirim lewat Telegram.",
    "sudah": "Laporan ini sudah ditinjau atau sudah ada versi baru; tidak ada yang diubah.",
    "catatan_kosong": "Tulis catatan perbaikan dulu; tidak ada yang diubah.",
}
