"""Every sentence the bot says, in Bahasa Indonesia: polite, short, one place to read and correct them.

Messages are sent with parse_mode HTML; anything a user typed (names, titles) goes through `esc()`.
"""

from __future__ import annotations

from html import escape

from bot.texts.region import all_kecamatan, example_kecamatan, office, region_name


def esc(text: str) -> str:
    return escape(text, quote=False)


def mid(title: str) -> str:
    """A form's title inside a sentence: 'laporan kegiatan', as Indonesian writes a common noun."""
    return title[:1].lower() + title[1:]


# --- Command menu and help ----------------------------------------------------------------------------------

COMMAND_DESCRIPTIONS = {
    "start": "Mulai dan lihat apa yang bisa dilakukan bot",
    "bantuan": "Petunjuk penggunaan bot",
    "daftar": "Daftarkan grup ini sebagai grup Karang Taruna kecamatan",
    "kecamatan": "Status pendaftaran {semua}",
    "pengumuman": "Kirim pengumuman ke grup kecamatan",
    "status_pengumuman": "Siapa yang sudah menerima dan membaca pengumuman",
    "batal": "Batalkan yang sedang diisi",
    "laporan": "Isi laporan kegiatan",
    "evaluasi": "Isi evaluasi mingguan",
    "laporan_saya": "Laporan saya dan kecamatan saya",
    "pengingat": "Jadwal dan status pengingat evaluasi mingguan",
    "libur": "Tandai hari libur (pengingat digeser)",
    "izin": "Beri izin kecamatan tidak mengisi evaluasi minggu ini",
    "rekap": "Rekap {semua}: evaluasi, laporan, pengumuman dibaca (grafik)",
    "ekspor": "Unduh laporan, evaluasi dan pengumuman (Excel), atau LPJ program kerja: /ekspor lpj {contoh} 2027",
    "status_bot": "Kesehatan bot: waktu berjalan, penyimpanan data, antrean kirim, cadangan terakhir",
    "tinjau": "Tinjau laporan, evaluasi dan program kerja yang menunggu, satu per satu",
    "dasbor": "Buka dasbor Dinsos: {semua} sekilas, di Telegram atau di browser",
    "programkerja": "Program kerja kecamatan: lihat, susun dan ajukan (pengurus); tinjau dan tenggat (Dinsos)",
}


def command_description(name: str) -> str:
    """A command's line in the menu and /bantuan, with the region's own number of kecamatan and example."""
    return COMMAND_DESCRIPTIONS[name].format(semua=all_kecamatan(), contoh=example_kecamatan())


_HELP_INTRO = {
    "admin": (
        "<b>Bot {kantor}</b>\n"
        "Bapak/Ibu terdaftar sebagai <b>admin Dinsos</b>. Permintaan pendaftaran grup kecamatan dikirim ke sini "
        "dengan tombol <b>Setujui</b> dan <b>Tolak</b>. Laporan kegiatan dan evaluasi yang masuk ditinjau satu per "
        "satu dengan /tinjau."
    ),
    "private": (
        "<b>Bot {kantor}</b>\n"
        "Bot ini menghubungkan Dinsos dengan Karang Taruna di {semua}.\n"
        "Pengurus Karang Taruna kecamatan: tambahkan bot ini ke grup Telegram kecamatan Anda, lalu admin grup "
        "mengetik /daftar di grup tersebut. Dinsos akan menyetujui pendaftarannya."
    ),
    "group": (
        "<b>Bot {kantor}</b>\n"
        "Grup ini dapat menerima pengumuman dan pengingat dari Dinsos. Admin grup mendaftarkan grup dengan "
        "/daftar, misalnya <code>/daftar {contoh}</code>."
    ),
}


def help_intro(audience: str) -> str:
    """The first lines of /bantuan and /start for "admin", "private" or "group"."""
    return _HELP_INTRO[audience].format(kantor=esc(office()), semua=all_kecamatan(), contoh=esc(example_kecamatan()))


def group_status_line(kecamatan_name: str | None, pending_name: str | None) -> str:
    if kecamatan_name:
        line = f"Grup ini terdaftar untuk <b>Kecamatan {esc(kecamatan_name)}</b>."
    else:
        line = "Grup ini belum terdaftar."
    if pending_name:
        line += f"\nMenunggu persetujuan Dinsos untuk Kecamatan {esc(pending_name)}."
    return line


def welcome_group() -> str:
    return (
        f"Terima kasih telah menambahkan bot {esc(office())}.\n"
        "Admin grup, mohon ketik /daftar untuk mendaftarkan grup ini sebagai grup Karang Taruna kecamatan."
    )


# --- Registration -------------------------------------------------------------------------------------------

DAFTAR_ONLY_IN_GROUP = (
    "Pendaftaran dilakukan di grup Karang Taruna kecamatan. Tambahkan bot ke grup tersebut, lalu admin grup "
    "mengetik /daftar di sana."
)
DAFTAR_ADMIN_ONLY = (
    "Mohon maaf, hanya admin grup ini yang dapat mendaftarkan grup. Mohon minta admin grup mengetik /daftar."
)
DAFTAR_PICK = "Silakan pilih kecamatan untuk grup ini:"
PICKER_ADMIN_ONLY = "Hanya admin grup yang dapat memilih kecamatan. Mohon minta admin grup menekan tombolnya."
PICKER_EXPIRED = "Pilihan ini sudah tidak berlaku. Mohon ketik /daftar lagi."


def daftar_unknown(text: str, suggestions: list[str]) -> str:
    msg = f"Kecamatan <b>{esc(text)}</b> tidak ditemukan di {esc(region_name())}."
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
DECISION_ALREADY_MADE = "Permintaan ini sudah diproses sebelumnya. Ketik /kecamatan untuk melihat status terbaru."
DECISION_NOT_FOUND = "Permintaan tidak ditemukan. Ketik /kecamatan untuk melihat status pendaftaran."
ADMIN_ONLY = "Mohon maaf, perintah ini hanya untuk admin Dinas Sosial. Ketik /bantuan untuk melihat perintah Anda."
DECISION_APPROVED_TOAST = "Pendaftaran disetujui."
DECISION_REJECTED_TOAST = "Pendaftaran ditolak."


def group_next_steps(reminder_schedule: str) -> str:
    """What a registered group does from now on; `reminder_schedule` as schedule_words() writes it."""
    when = reminder_schedule[:1].lower() + reminder_schedule[1:]
    return (
        "<b>Yang perlu dilakukan grup ini:</b>\n"
        "• Setelah setiap kegiatan, ketik /laporan untuk mengirim laporan kegiatan.\n"
        "• Setiap minggu, ketik /evaluasi untuk mengisi evaluasi mingguan, paling lambat hari Minggu pukul "
        f"23.59 WIB. Bila belum terisi, bot mengirim pengingat {when}.\n"
        "• Pengumuman dari Dinsos masuk ke grup ini; mohon tekan <b>Sudah dibaca</b> setelah membacanya.\n"
        "Pengisian berlangsung di chat pribadi dengan bot. Ketik /bantuan untuk petunjuk lengkap."
    )


def group_approved(kecamatan: str, reminder_schedule: str) -> str:
    return (
        f"✅ Pendaftaran disetujui. Grup ini sekarang terdaftar sebagai grup Karang Taruna "
        f"<b>Kecamatan {esc(kecamatan)}</b>.\n\n" + group_next_steps(reminder_schedule)
    )


def group_help_registered(kecamatan: str, reminder_schedule: str) -> str:
    """/bantuan in a registered group: its kecamatan and its weekly work, not how to register."""
    return (
        f"<b>Bot {esc(office())}</b>\nGrup ini terdaftar untuk <b>Kecamatan {esc(kecamatan)}</b>.\n\n"
        + group_next_steps(reminder_schedule)
    )


def group_rejected(kecamatan: str) -> str:
    return (
        f"Mohon maaf, pendaftaran grup ini untuk Kecamatan {esc(kecamatan)} tidak disetujui Dinsos. "
        f"Silakan hubungi {esc(office())} bila ada pertanyaan."
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
    return f"<b>Status pendaftaran {all_kecamatan()}</b>\n{parts}\n"


def kecamatan_overview_line(name: str, state: str, group_title: str | None) -> str:
    icon = KECAMATAN_STATE_ICON.get(state, "")
    line = f"{icon} {esc(name)} – {state}"
    if group_title:
        line += f", grup «{esc(group_title)}»"
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
ANN_NO_ACTIVE_GROUPS = (
    "Belum ada grup kecamatan yang aktif. Pengumuman belum dapat dikirim. Ketik /kecamatan untuk melihat status "
    "pendaftaran."
)
ANN_NO_TARGET_CHOSEN = "Pilih minimal satu kecamatan, atau tekan Semua."
ANN_ALREADY_SENT = "Pengumuman ini sudah dikirim. Lihat hasilnya dengan /status_pengumuman."
ANN_NOT_A_DRAFT = "Draf ini sudah tidak berlaku. Ketik /pengumuman untuk membuat pengumuman baru."
ANN_CANCELLED = "Pengumuman dibatalkan. Tidak ada yang dikirim."
NOTHING_TO_CANCEL = "Tidak ada yang sedang diisi. Ketik /bantuan untuk melihat apa yang bisa dilakukan."


def ann_progress(announcement_id: int, sent: int, total: int) -> str:
    return f"📤 Pengumuman #{announcement_id}: terkirim {sent}/{total}…"


def ann_report(announcement_id: int, sent: int, total: int, failed: list[tuple[str, str]], pending: int) -> str:
    lines = [f"<b>Hasil pengiriman pengumuman #{announcement_id}</b>", f"✅ Terkirim: {sent}/{total}"]
    if failed:
        lines.append(f"❌ Gagal: {len(failed)}")
        lines += [f"• {esc(name)}: {esc(reason)}" for name, reason in failed]
    if pending:
        lines.append(f"⏳ Masih diproses: {pending}")
    lines.append(f"\nLihat yang sudah membaca: /status_pengumuman {announcement_id}")
    return "\n".join(lines)


ACK_THANKS = "Terima kasih, tercatat sudah dibaca."


def ack_already(name: str) -> str:
    return f"Sudah dicatat sebelumnya oleh {name}. Terima kasih."


ACK_NOT_HERE = "Tombol ini bukan untuk grup ini. Mohon tekan Sudah dibaca pada pengumuman yang dikirim ke grup ini."


def ack_button_done(name: str) -> str:
    return f"✅ Dibaca – {name}"


def ann_nudge(acknowledge_button: str) -> str:
    return (
        "Mohon maaf, sekadar mengingatkan: pengumuman dari Dinas Sosial di atas belum ditandai dibaca. "
        f"Mohon tekan tombol <b>{esc(acknowledge_button)}</b> pada pengumuman tersebut. Terima kasih."
    )


STATUS_NO_ANNOUNCEMENTS = "Belum ada pengumuman yang dikirim."
STATUS_NOT_FOUND = "Pengumuman dengan nomor itu tidak ditemukan. Ketik /status_pengumuman untuk daftar terbaru."
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
    return (
        f"💬 <b>Balasan dari Kecamatan {esc(kecamatan)}</b>, oleh {esc(sender)}{about}. Balas pesan ini untuk menjawab."
    )


RELAY_FORWARDED = "Terima kasih, balasan Anda sudah diteruskan ke Dinas Sosial."
RELAY_ADMIN_SENT = "Jawaban terkirim."
RELAY_ADMIN_FAILED = (
    "Mohon maaf, balasan tidak dapat dikirim: bot sudah tidak ada di grup tersebut. Grup dapat menambahkan bot "
    "kembali dan mendaftar ulang dengan /daftar; status grup ada di /kecamatan."
)
RELAY_FROM_DINSOS = "💬 <b>Dinas Sosial menjawab:</b>"

# --- Forms ----------------------------------------------------------------------------------------------------

FORM_NOT_MEMBER = (
    "Mohon maaf, Anda belum tercatat sebagai anggota grup Karang Taruna kecamatan yang terdaftar. "
    "Mohon hubungi admin grup kecamatan Anda agar menambahkan bot ke grup dan mengetik /daftar, lalu coba lagi."
)
FORM_GROUP_NOT_REGISTERED = "Grup ini belum terdaftar. Admin grup dapat mendaftarkannya dengan /daftar."
FORM_CHOOSE_KECAMATAN = "Anda anggota beberapa grup kecamatan. Untuk kecamatan mana?"
BUTTON_FILL_IN_PRIVATE = "Isi lewat chat pribadi"


def form_open_private(title: str, kecamatan: str) -> str:
    return (
        f"Silakan isi <b>{esc(mid(title))}</b> Kecamatan {esc(kecamatan)} lewat chat pribadi dengan bot "
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
FORM_STALE_BUTTON = "Tombol ini untuk pertanyaan sebelumnya. Mohon jawab pertanyaan terakhir."
FORM_NOT_YOURS = "Tombol ini untuk orang lain. Ketik /laporan atau /evaluasi untuk mengisi sendiri."
FORM_GONE = "Pengisian ini sudah selesai atau dibatalkan. Ketik /laporan atau /evaluasi untuk mengisi lagi."


def form_expired(title: str, hours: float, *, again: str = "Ketik /laporan atau /evaluasi untuk mulai lagi.") -> str:
    """`again`: how to start afresh (a Dinsos form opens from its notice in the group, not by a command)."""
    return f"Draf {esc(mid(title))} Anda sudah kedaluwarsa: tidak diisi lebih dari {hours:g} jam, jadi dihapus. {again}"


XLSFORM_START_AGAIN = "Untuk mulai lagi, tekan tombol pada pemberitahuan formulir ini di grup kecamatan Anda."


def form_resume(title: str, kecamatan: str, answered: int, total: int) -> str:
    return (
        f"Anda masih punya draf <b>{esc(mid(title))}</b> Kecamatan {esc(kecamatan)} "
        f"({answered}/{total} pertanyaan terjawab). Lanjutkan atau mulai ulang?"
    )


def form_submitted(title: str, number: int, version: int) -> str:
    extra = f", versi {version}," if version > 1 else ""
    return f"✅ Terima kasih! {esc(title)} #{number}{extra} sudah terkirim ke Dinas Sosial."


def form_already_submitted(title: str, number: int) -> str:
    return f"{esc(title)} #{number} sudah terkirim sebelumnya. Tidak dikirim dua kali."


def form_group_note(title: str, name: str, sender: str, updated: bool) -> str:
    what = "diperbarui" if updated else "dikirim"
    label = f" «{esc(name)}»" if name else ""
    return f"📋 {esc(title)}{label} telah {what} oleh {esc(sender)}. Terima kasih!"


def form_admin_copy(title: str, kecamatan: str, number: int, version: int, sender: str,
                    lines: list[tuple[str, str]], *, sent: str = "", week: str = "") -> str:  # fmt: skip
    """A report as an admin receives it: which one, from whom and when, for which week, then the answers."""
    extra = f" · versi {version}" if version > 1 else ""
    head = [f"📋 <b>{esc(title)} #{number}</b>{extra}", f"Kecamatan {esc(kecamatan)} · dikirim oleh {esc(sender)}"]
    if sent:
        head[-1] += f", {esc(sent)}"
    if week:
        head.append(f"Minggu {esc(week)}")
    body = "\n".join(f"<b>{esc(label)}:</b> {esc(value)}" for label, value in lines)
    return "\n".join(head) + f"\n\n{body}"


def form_album_caption(title: str, number: int) -> str:
    return f"Foto {mid(title)} #{number}"


def evaluation_exists(week: str, sender: str) -> str:
    return (
        f"Evaluasi minggu {esc(week)} untuk kecamatan ini sudah dikirim oleh {esc(sender)}. "
        "Ingin memperbaruinya? Versi sebelumnya tetap tersimpan."
    )


MY_REPORTS_PRIVATE_ONLY = "Perintah ini digunakan di chat pribadi: buka chat dengan bot, lalu ketik /laporan_saya."
MY_REPORTS_NONE = (
    "Belum ada laporan kegiatan atau evaluasi dari Anda atau kecamatan Anda. Ketik /laporan atau /evaluasi untuk "
    "mengisi."
)
MY_REPORTS_HEADER = "<b>Laporan kegiatan dan evaluasi terbaru</b>; koreksi dapat dilakukan dalam 7 hari:"


def correction_too_late(title: str, number: int) -> str:
    return (
        f"{esc(title)} #{number} sudah lebih dari 7 hari, tidak dapat dikoreksi lagi. Kirim yang baru dengan "
        "/laporan atau /evaluasi, atau hubungi Dinas Sosial bila ada yang perlu diubah."
    )


def correction_not_member(title: str, number: int) -> str:
    return (
        f"Hanya anggota grup kecamatan {esc(mid(title))} #{number} yang dapat mengoreksinya. Mohon minta anggota "
        "grup tersebut mengoreksinya lewat /laporan_saya."
    )


def my_report_line(number: int, title: str, name: str, when: str, kecamatan: str, version: int) -> str:
    extra = f" · versi {version}" if version > 1 else ""
    label = f" «{esc(name)}»" if name else ""
    return f"{esc(title)} #{number}{label} · {esc(kecamatan)} · {when}{extra}"


def correction_button(title: str, number: int) -> str:
    return f"Koreksi {mid(title)} #{number}"


# --- Reminders ------------------------------------------------------------------------------------------------

BUTTON_FILL_EVALUATION = "Isi evaluasi"
BUTTON_SEND_NOW = "Kirim sekarang"


def reminder_text(kecamatan: str, week: str, deadline: str, *, followup: bool, overdue: bool) -> str:
    """The reminder to one group: `week` as '30 November–6 Desember 2026', `deadline` with its day and WIB."""
    opening = "Mohon maaf, sekadar mengingatkan kembali: evaluasi" if followup else "Evaluasi"
    if overdue:
        ask = f"Batas waktunya, {esc(deadline)}, sudah lewat; mohon segera diisi."
    else:
        ask = f"Mohon diisi paling lambat {esc(deadline)}."
    return (
        f"Yth. Pengurus Karang Taruna Kecamatan {esc(kecamatan)},\n"
        f"{opening} mingguan untuk <b>{esc(week)}</b> belum kami terima. {ask}\n"
        f"Silakan tekan tombol <b>{BUTTON_FILL_EVALUATION}</b> di bawah ini. Terima kasih."
    )


def reminder_digest(
    week: str, *, followup: bool, done: int, expected: int, missing: list[str], excused: list[str],
    missing_twice: list[str], unregistered: int, deadline: str = "",
) -> str:  # fmt: skip
    """The admins' digest after a reminder run; `done/expected` counts registered kecamatan not excused."""
    which = "Pengingat susulan" if followup else "Pengingat"
    lines = [
        f"<b>{which} evaluasi mingguan sudah dikirim</b>",
        f"Evaluasi untuk {esc(week)}" + (f"; batas pengisian {esc(deadline)}" if deadline else ""),
        f"✅ {_line_start(evaluation_tally(done, expected))}",
    ]
    if missing:
        lines.append(f"⏳ Belum mengisi, sudah diingatkan ({len(missing)}): " + ", ".join(esc(n) for n in missing))
    if missing_twice:
        lines.append(
            "⚠️ Perlu ditindaklanjuti (2 minggu berturut-turut belum mengisi): "
            + ", ".join(esc(n) for n in missing_twice)
        )
    if excused:
        lines.append("Diizinkan tidak mengisi: " + ", ".join(esc(n) for n in excused))
    if unregistered:
        lines.append(f"Belum terdaftar (tidak diingatkan): {unregistered} kecamatan")
    return "\n".join(lines)


def _line_start(text: str) -> str:
    return text[:1].upper() + text[1:]


def evaluation_tally(done: int, expected: int) -> str:
    """The one way the bot counts evaluations: of the registered kecamatan that are not excused."""
    if not expected:
        return "belum ada kecamatan terdaftar yang perlu mengisi evaluasi"
    return f"{done}/{expected} kecamatan terdaftar sudah mengisi evaluasi"


def schedule_words(days: list[str] | None, clock: str) -> str:
    """'Setiap Jumat pukul 09.00 WIB', 'Setiap Senin dan Kamis pukul 08.30 WIB', 'Setiap hari pukul 07.00 WIB'."""
    if days is None or len(days) == 7:
        which = "hari"
    elif len(days) > 2 and days == ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"][: len(days)]:
        which = f"{days[0]}–{days[-1]}"
    else:
        which = ", ".join(days[:-1]) + " dan " + days[-1] if len(days) > 1 else days[0]
    return f"Setiap {which} pukul {clock} WIB"


def schedule_as_written(cron: str) -> str:
    """A REMINDER_CRON line too unusual to put into words."""
    return f"menurut pengaturan <code>REMINDER_CRON={esc(cron)}</code> (WIB)"


def reminder_overview(
    schedule: str, next_due: str | None, followup_hours: float, week: str, done: int, expected: int,
    missing: list[str], excused: list[str], holidays: list[str],
) -> str:  # fmt: skip
    """/pengingat; `schedule` is already in words (schedule_words) and may hold HTML."""
    lines = [
        "<b>Pengingat evaluasi mingguan</b>",
        f"Jadwal: {schedule}",
        f"Berikutnya: {esc(next_due) if next_due else '–'}",
        f"Pengingat susulan: {followup_hours:g} jam setelahnya" if followup_hours else "Pengingat susulan: tidak ada",
        "",
        f"Minggu ini ({esc(week)}): {evaluation_tally(done, expected)}",
    ]
    if missing:
        lines.append("Belum mengisi: " + ", ".join(esc(n) for n in missing))
    if excused:
        lines.append("Diizinkan tidak mengisi: " + ", ".join(esc(n) for n in excused))
    if holidays:
        lines.append("Hari libur mendatang: " + "; ".join(esc(h) for h in holidays))
    return "\n".join(lines)


def reminder_sent_now(count: int) -> str:
    return (
        f"Pengingat dikirim ke {count} grup."
        if count
        else "Semua kecamatan aktif sudah mengisi; tidak ada yang diingatkan."
    )


REMINDER_ALREADY_SENT = "Pengingat dari tombol ini sudah dikirim. Ketik /pengingat untuk melihat status terbaru."
HOLIDAY_USAGE = (
    "Gunakan: <code>/libur 25/12/2026 Hari Natal</code> untuk menandai hari libur, "
    "<code>/libur hapus 25/12/2026</code> untuk menghapus, atau /libur saja untuk melihat daftar."
)


def holiday_added(day: str, reason: str, new: bool) -> str:
    what = "ditandai sebagai hari libur" if new else "sudah tercatat sebagai hari libur (alasan diperbarui)"
    suffix = f" – {esc(reason)}" if reason else ""
    return f"{esc(day)}{suffix} {what}. Pengingat yang jatuh pada hari itu digeser ke hari kerja berikutnya."


def holiday_removed(day: str, removed: bool) -> str:
    return f"{esc(day)} dihapus dari daftar hari libur." if removed else f"{esc(day)} tidak ada di daftar hari libur."


HOLIDAYS_NONE = "Belum ada hari libur mendatang yang ditandai."


def holidays_list(lines: list[str]) -> str:
    return "<b>Hari libur mendatang</b>\n" + "\n".join(esc(line) for line in lines)


def excuse_usage() -> str:
    return (
        f"Gunakan: <code>/izin {esc(example_kecamatan())} alasan</code> (berlaku minggu ini), atau /izin saja untuk "
        "melihat daftar."
    )


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
BUTTON_REVIEW_SKIP = "Lewati"
BUTTON_COPIES_EACH = "Terima salinan satu per satu"
BUTTON_COPIES_DAILY = "Cukup ringkasan harian"


def fix_button(title: str) -> str:
    """'Perbaiki laporan kegiatan', 'Perbaiki evaluasi mingguan': the button names what is being corrected."""
    return f"Perbaiki {mid(title)}"


def review_decided(status: str, admin: str, when: str, comment: str | None = None) -> str:
    """The line every admin's copy gets once someone decided: '✅ Diterima oleh Siti, 1 Des 15.31 WIB'."""
    if status == "diterima":
        return f"✅ Diterima oleh {esc(admin)}, {esc(when)}"
    line = f"✏️ Perlu perbaikan, diminta oleh {esc(admin)}, {esc(when)}"
    return line + (f":\n<i>{esc(comment)}</i>" if comment else "")


def review_ask_comment(title: str, number: int) -> str:
    return (
        f"Tulis catatan perbaikan untuk {esc(mid(title))} #{number}. Catatan dikirim ke grup kecamatan dan "
        "pengirimnya. Ketik /batal untuk membatalkan."
    )


REVIEW_COMMENT_EMPTY = "Mohon tulis catatan perbaikannya dalam bentuk teks."
REVIEW_CANCELLED = "Permintaan perbaikan dibatalkan. Ketik /tinjau untuk melihat yang masih menunggu."
REVIEW_ALREADY = "Versi ini sudah ditinjau. Ketik /tinjau untuk melihat yang masih menunggu."
REVIEW_OUTDATED = "Isian ini sudah diperbarui pengirimnya. Versi terbaru ada di /tinjau."


def review_comment_sent(title: str, number: int) -> str:
    return (
        f"Catatan perbaikan untuk {esc(mid(title))} #{number} sudah dikirim ke grup dan pengirimnya. "
        "Ketik /tinjau untuk yang berikutnya."
    )


def review_accepted_note(title: str, number: int) -> str:
    return f"✅ {esc(title)} #{number} Anda sudah diterima Dinas Sosial. Terima kasih."


def review_fix_request(title: str, number: int, name: str, comment: str) -> str:
    label = f" «{esc(name)}»" if name else ""
    return (
        f"✏️ Dinas Sosial meminta perbaikan {esc(mid(title))} #{number}{label}:\n<i>{esc(comment)}</i>\n"
        "Tekan tombol di bawah untuk memperbaiki; versi sebelumnya tetap tersimpan."
    )


# /tinjau: the queue of what waits for a decision, oldest first.
REVIEW_QUEUE_EMPTY = "Tidak ada laporan, evaluasi, atau program kerja yang menunggu tinjauan. Terima kasih."
REVIEW_QUEUE_END = "Itu yang terakhir dalam antrean. Ketik /tinjau untuk mulai lagi dari yang paling lama."


def review_queue_header(position: int, total: int) -> str:
    return f"🗂 <b>Menunggu tinjauan: {position} dari {total}</b> (yang paling lama lebih dulu)"


def review_copies_setting(daily: bool) -> str:
    if daily:
        return "Salinan laporan untuk Anda: ringkasan harian pukul 16.00 WIB, lalu tinjau lewat /tinjau."
    return "Salinan laporan untuk Anda: dikirim satu per satu saat masuk."


def review_daily_summary(day: str, received: int, waiting: int) -> str:
    return (
        f"🗂 <b>Ringkasan laporan {esc(day)}</b>\n"
        f"Laporan kegiatan dan evaluasi yang masuk hari ini: {received}\n"
        f"Menunggu tinjauan: {waiting}. Ketik /tinjau untuk meninjaunya satu per satu."
    )


# --- Recap --------------------------------------------------------------------------------------------------

RECAP_USAGE = (
    "Gunakan /rekap untuk bulan ini, /rekap minggu untuk minggu ini, atau nama bulan, misalnya "
    "<code>/rekap oktober</code> atau <code>/rekap 2026-10</code>."
)

# Keyed by storage.recap.EvaluationStatus; the squares match the chart's markers.
RECAP_STATUS_ICON = {"sudah": "🟩", "diizinkan": "🟦", "belum": "🟥", "belum terdaftar": "⬜"}
RECAP_STATUS_LABEL = {
    "sudah": "Sudah mengisi",
    "diizinkan": "Diizinkan",
    "belum": "Belum mengisi",
    "belum terdaftar": "Belum terdaftar",
}
# The sections of /rekap, in the order that needs attention first.
RECAP_SECTION = {
    "belum": "Belum mengisi evaluasi minggu ini",
    "diizinkan": "Diizinkan tidak mengisi minggu ini",
    "sudah": "Sudah mengisi evaluasi minggu ini",
}
RECAP_CHART_XLABEL = "Jumlah laporan kegiatan"


def _recap_rate(acknowledged: int, delivered: int) -> str:
    if not delivered:
        return "–"
    return f"{acknowledged}/{delivered} ({round(100 * acknowledged / delivered)}%)"


def recap_period(period: str, *, weekly: bool) -> str:
    """'minggu ini, 23–29 November 2026' or 'bulan November 2026'."""
    return f"minggu ini, {period}" if weekly else f"bulan {period}"


def recap_header(
    *, period: str, weekly: bool, week: str, done: int, expected: int, counts: dict[str, int], reports: int,
    acknowledged: int, delivered: int,
) -> list[str]:  # fmt: skip
    """The totals on top of /rekap; the week is named once (a weekly recap's period is that week)."""
    when = recap_period(period, weekly=weekly)
    evaluation = evaluation_tally(done, expected) + ("" if weekly else f" minggu ini ({esc(week)})")
    tally = " · ".join(f"{RECAP_STATUS_ICON[s]} {RECAP_STATUS_LABEL[s].lower()} {n}" for s, n in counts.items())
    return [
        f"<b>Rekap Karang Taruna – {esc(when)}</b>",
        f"<b>{_line_start(evaluation)}</b>",
        tally,
        f"Laporan kegiatan {esc(when)}: {reports}",
        f"Pengumuman {esc(when)} yang sudah dibaca: {_recap_rate(acknowledged, delivered)}",
    ]


def recap_section(status: str, count: int) -> str:
    return f"\n{RECAP_STATUS_ICON[status]} <b>{RECAP_SECTION[status]} ({count})</b>"


def recap_line(name: str, reports: int, acknowledged: int, delivered: int, last_activity: str | None) -> str:
    read = f"{acknowledged}/{delivered}" if delivered else "–"
    return f"• <b>{esc(name)}</b> · laporan {reports} · dibaca {read} · terakhir {last_activity or '–'}"


def recap_unregistered(names: list[str]) -> str:
    """Kecamatan without a group: one line, since nothing can be asked of them yet."""
    return f"\n{RECAP_STATUS_ICON['belum terdaftar']} <b>Belum terdaftar ({len(names)})</b>: " + ", ".join(
        esc(n) for n in names
    )


def recap_chart_title(period: str, *, weekly: bool) -> str:
    return f"Laporan kegiatan per kecamatan\n{recap_period(period, weekly=weekly)}"


RECAP_CHART_LEGEND_TITLE = "Evaluasi minggu ini:"


def recap_chart_caption(
    period: str, *, weekly: bool, made: str, reports: int, shown: int, done: int, expected: int, unregistered: int
) -> str:
    """The chart's caption: what it shows, when it was made, the totals (well under Telegram's 1,024)."""
    lines = [
        f"📊 <b>Laporan kegiatan per kecamatan, {esc(recap_period(period, weekly=weekly))}</b>",
        f"Dibuat {esc(made)}",
        f"Total {reports} laporan kegiatan dari {shown} kecamatan · {evaluation_tally(done, expected)} minggu ini",
    ]
    if unregistered:
        lines.append(f"{unregistered} kecamatan belum terdaftar tidak ditampilkan.")
    return "\n".join(lines)


# --- Export -------------------------------------------------------------------------------------------------

EXPORT_EVERYTHING = "semua data"
EXPORT_ALL_ACTIVE = "Semua kecamatan aktif"
EXPORT_PERIOD_UNKNOWN = "Periode tidak dikenali."
EXPORT_RANGE_REVERSED = "Tanggal awal harus sebelum tanggal akhir."
EXPORT_NOTE = (
    "Laporan kegiatan dan evaluasi mingguan dipilih menurut waktu kirim pertama, pengumuman menurut waktu kirim "
    "(WIB). Status kecamatan dan riwayat grup selalu lengkap; jumlah pada status kecamatan mengikuti periode."
)
# The workbook as a printed document: its title block, totals and footer.
EXPORT_SUBJECTS = {
    "laporan": "Laporan kegiatan Karang Taruna kecamatan",
    "evaluasi": "Evaluasi mingguan Karang Taruna kecamatan",
    "pengumuman": "Pengumuman Dinas Sosial: pengiriman dan pembacaan per kecamatan",
    "kecamatan": "Status {semua}",
    "grup": "Riwayat pendaftaran grup Telegram kecamatan",
    "keterangan": "Keterangan ekspor",
}


def export_subject(key: str, default: str = "") -> str:
    """A sheet's subject line under the office's name; `default` for a sheet without its own (an XLSForm's)."""
    return EXPORT_SUBJECTS[key].format(semua=all_kecamatan()) if key in EXPORT_SUBJECTS else default


EXPORT_PAGE_FOOTER = "Halaman &P dari &N"
EXPORT_ANNOUNCEMENTS = "Jumlah pengumuman"
EXPORT_DELIVERED = "Salinan diterima grup"
EXPORT_READ = "Salinan ditandai sudah dibaca"


def export_period_line(period: str) -> str:
    return f"Periode: {period}"


def export_made_line(made: str) -> str:
    return f"Dibuat: {made}"


def export_total(rows: int) -> str:
    return f"Jumlah ({rows} baris)"


def export_kecamatan_state(state: str) -> str:
    return f"Kecamatan {state}"


EXPORT_PHOTOS_MISSING_HEADER = "Foto berikut tidak dapat diunduh dari Telegram saat ekspor:"


def export_month(month: str, year: int) -> str:
    return f"bulan {month} {year}"


def export_range(start: str, end: str) -> str:
    return f"{start} s.d. {end}"


def export_bad_month(text: str) -> str:
    return f"Bulan {text} tidak ada. Tulis nama bulan atau tahun-bulan, misalnya november atau 2026-11."


def export_bad_date(text: str) -> str:
    return f"Tanggal {text} tidak ada di kalender."


def export_usage(reason: str) -> str:
    return (
        f"⚠️ {esc(reason)} Tidak ada file yang dikirim.\n\n"
        "Gunakan salah satu:\n"
        "/ekspor – semua data\n"
        "/ekspor bulan – bulan ini\n"
        "<code>/ekspor november</code> atau <code>/ekspor 2026-11</code> – bulan tertentu\n"
        "<code>/ekspor 1/11/2026..30/11/2026</code> – rentang tanggal kirim (boleh juga 1-11-2026)\n"
        f"<code>/ekspor lpj {esc(example_kecamatan())} 2027</code> – LPJ program kerja satu kecamatan (Word)"
    )


def export_caption(period: str, reports: int, evaluations: int, announcements: int) -> str:
    return (
        f"📊 <b>Data Karang Taruna</b> – {esc(period)}\n"
        f"{reports} laporan kegiatan, {evaluations} evaluasi mingguan, {announcements} pengumuman. Waktu dalam WIB."
    )


def export_photo_missing(report: str, number: int, file_id: str, reason: str) -> str:
    return f"{report}, foto {number}: {reason}. ID file Telegram: {file_id}"


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
            f"Ukuran data tersimpan: {database_size}",
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
# Plain text in private reaches nobody at Dinsos until the person asks for it: say so, and say what does.
PRIVATE_TEXT_HINT = (
    "Pesan ini belum diteruskan ke Dinas Sosial; bot hanya menjawab perintah. Ketik /laporan untuk mengirim "
    "laporan kegiatan, /evaluasi untuk evaluasi mingguan, atau /bantuan untuk petunjuk lengkap.\n"
    "Bila ini pertanyaan untuk Dinsos, tekan <b>Kirim ke Dinsos</b>: jawabannya akan dikirim ke chat ini."
)
BUTTON_ASK_DINSOS = "Kirim ke Dinsos"
QUESTION_SENT = "Pertanyaan Anda sudah diteruskan ke Dinas Sosial. Jawabannya akan dikirim ke chat ini. Terima kasih."
QUESTION_ALREADY_SENT = "Pertanyaan ini sudah diteruskan ke Dinas Sosial sebelumnya."


def question_not_member() -> str:
    return (
        "Mohon maaf, pertanyaan ke Dinsos lewat bot hanya untuk anggota grup Karang Taruna kecamatan yang "
        f"terdaftar. Silakan hubungi {office()} secara langsung."
    )


QUESTION_ANSWER_FAILED = (
    "Mohon maaf, jawaban tidak dapat dikirim: penanya telah memblokir bot atau menghapus chatnya. Silakan hubungi "
    "pengurus tersebut lewat grup kecamatannya."
)


def question_to_admin(kecamatan: str, sender: str) -> str:
    return (
        f"❓ <b>Pertanyaan dari {esc(sender)}</b>, Karang Taruna Kecamatan {esc(kecamatan)}. "
        "Balas pesan ini untuk menjawab."
    )


PRIVATE_TEXT_HINT_ADMIN = (
    "Pesan ini tidak dikirim ke mana pun. Untuk menyampaikan sesuatu ke grup kecamatan, ketik /pengumuman; "
    "untuk menjawab balasan grup, balas pesan balasan itu. Ketik /bantuan untuk semua perintah."
)
BUTTON_EXPIRED = "Tombol ini sudah tidak berlaku. Ketik /bantuan untuk melihat perintah yang dapat dipakai sekarang."


def error_apology() -> str:
    return (
        "Mohon maaf, terjadi kesalahan pada bot dan sudah kami catat. Silakan ulangi beberapa menit lagi; bila masih "
        f"gagal, hubungi {office()}."
    )


# --- Command line and start-up log (operators read these in a terminal or journalctl; plain text) ----------

CLI_DESCRIPTION = "Bot Telegram Dinas Sosial untuk Karang Taruna kecamatan (wilayahnya: WILAYAH_KODE)."
CLI_HELP = {
    "help": "tampilkan bantuan ini lalu keluar",
    "run": "menjalankan bot (long polling, atau webhook bila WEBHOOK_URL diisi); bawaan",
    "migrate": "menerapkan migrasi database yang tertunda lalu keluar",
    "export": "menulis data untuk Dinsos",
    "format": "format file: json, csv atau xlsx (bawaan json)",
    "export_out": "file tujuan (bawaan: layar untuk json, export.zip untuk csv, karangtaruna-<tanggal>.xlsx)",
    "with_photos": "khusus xlsx: ZIP berisi file Excel dan foto laporan, diunduh lewat Bot API",
    "backup": "menyalin database (aman saat bot berjalan) lalu mencetak path-nya",
    "backup_out": "file tujuan (bawaan: BACKUP_DIR/karangtaruna-YYYYMMDD-HHMMSS.db, WIB)",
    "restore": "memeriksa cadangan lalu memasangnya sebagai database (bot dihentikan)",
    "restore_file": "file yang ditulis oleh `backup`",
    "check": "memeriksa konfigurasi, database, token dan cadangan; satu baris per pemeriksaan",
}
CLI_USAGE_PREFIX = "Pemakaian: "
CLI_COMMANDS_TITLE = "perintah"
CLI_OPTIONS_TITLE = "opsi"
CLI_WITH_PHOTOS_NEEDS_XLSX = "--with-photos hanya untuk --format xlsx"


def cli_error(prog: str, message: str) -> str:
    return f"{prog}: kesalahan: {message}"


def cli_config_error(reason: str) -> str:
    return f"Kesalahan konfigurasi: {reason}"


def cli_written(path: object) -> str:
    return f"Ditulis: {path}"


def cli_migrations_applied(names: list[str]) -> str:
    return f"Migrasi diterapkan: {', '.join(names) or 'tidak ada'}"


def cli_photos_missing(count: int, listed_in: str) -> str:
    return f"{count} foto tidak dapat diunduh; daftarnya ada di {listed_in}"


def database_not_found(path: object, workdir: object) -> str:
    return (
        f"Database tidak ditemukan: {path} (folder kerja: {workdir}). Tidak ada yang dibuat atau diubah. "
        "Jalankan dari folder data bot, periksa DATABASE_URL, atau buat database baru dengan python -m bot migrate."
    )


def cli_backup_failed(reason: str) -> str:
    return f"Pencadangan gagal: {reason}"


def cli_restore_refused(reason: str) -> str:
    return f"Pemulihan ditolak: {reason} Database tidak diubah."


# argparse's own English messages as they reach ArgumentParser.error (Python 3.11-3.13), and how we say them.
# A message matching none of these is shown as argparse wrote it: still correct, only in English.
CLI_ARGPARSE = (
    (r"argument (?P<name>\S+): (?P<rest>.*)", "argumen {name}: {rest}"),
    (
        r"invalid choice: (?P<value>.+?) \(choose from (?P<choices>.*)\)",
        "pilihan tidak dikenal: {value} (pilih salah satu: {choices})",
    ),
    (r"the following arguments are required: (?P<names>.*)", "argumen berikut wajib diisi: {names}"),
    (r"unrecognized arguments: (?P<args>.*)", "argumen tidak dikenal: {args}"),
    (r"expected one argument", "perlu satu nilai"),
    (r"expected at most one argument", "paling banyak satu nilai"),
    (r"expected at least one argument", "perlu paling sedikit satu nilai"),
    (r"expected (?P<count>\d+) arguments?", "perlu {count} nilai"),
    (r"invalid (?P<type>\S+) value: (?P<value>.*)", "nilai {type} tidak sah: {value}"),
    (r"ambiguous option: (?P<option>\S+) could match (?P<matches>.*)", "opsi {option} tidak jelas, bisa {matches}"),
)


def cli_argparse_message(message: str) -> str:
    """argparse's message in Indonesian (the part after "argument X:" is translated in turn)."""
    import re

    for pattern, ours in CLI_ARGPARSE:
        match = re.fullmatch(pattern, message)
        if match is not None:
            parts = match.groupdict()
            if "rest" in parts:
                parts["rest"] = cli_argparse_message(parts["rest"])
            return ours.format(**parts)
    return message


def cli_started(url: str) -> str:
    return f"Bot berjalan (long polling) dengan Telegram di {url}."


def cli_started_webhook(webhook_url: str, url: str) -> str:
    return f"Bot berjalan dengan webhook {webhook_url}, Telegram di {url}."


CLI_STOPPED = "Bot berhenti; pesan yang belum terkirim dikirim saat bot dijalankan lagi."


def migration_applied(name: str) -> str:
    return f"Migrasi diterapkan: {name}"


CHECK_ADMIN_IDS_EMPTY = "ADMIN_IDS kosong: tidak ada admin Dinsos yang dapat menyetujui grup atau mengirim pengumuman"
CHECK_SKIPPED_CONFIG = "tidak diperiksa, karena konfigurasi gagal"
CHECK_SKIPPED_DATABASE = "tidak diperiksa, karena database tidak dapat dibuka"


def startup_waiting(method: str, attempt: int, url: str, cause: str, wait: float) -> str:
    return (
        f"Telegram belum dapat dihubungi ({method}, percobaan {attempt}, {url}): {cause}. "
        f"Mencoba lagi dalam {wait:g} detik."
    )


def telegram_retried(method: str, cause: str) -> str:
    """A call python-telegram-bot retries by itself (its getMe at start, every getUpdates)."""
    return f"Telegram belum dapat dihubungi ({method}): {cause}. Dicoba lagi otomatis."


def startup_cause_flood(seconds: float) -> str:
    return f"Telegram meminta menunggu {seconds:g} detik (429 Too Many Requests)"


def startup_cause_timeout(seconds: float | None) -> str:
    return f"tidak ada jawaban dalam {seconds:g} detik" if seconds else "tidak ada jawaban dalam batas waktu"


def startup_reached(url: str, tries: int) -> str:
    return f"Telegram dapat dihubungi lagi ({url}) setelah {tries} percobaan; bot dijalankan."


def startup_token_refused(url: str) -> str:
    return (
        f"BOT_TOKEN ditolak oleh {url} (401/404): token salah atau sudah dicabut. Buat token baru di @BotFather, "
        "tulis di .env sebagai BOT_TOKEN, lalu jalankan bot lagi."
    )


STARTUP_STOPPED_WHILE_WAITING = "Dihentikan saat menunggu Telegram; bot tidak dijalankan."


def menus_retry(cause: str, wait: float) -> str:
    return f"Menu perintah belum dapat dipasang ({cause}); dicoba lagi dalam {wait:g} detik."


MENUS_PUBLISHED_LATE = "Menu perintah terpasang."


# --- XLSForm forms (issue 11): reading an uploaded form --------------------------------------------------------
# Plain text (no HTML): these name cells of the admin's own workbook.

XLSFORM_TOO_BIG = "File terlalu besar ({size}); batasnya 2 MB. Kurangi isi formulir lalu kirim lagi."
XLSFORM_NO_SURVEY = "Formulir harus punya lembar (sheet) bernama 'survey'."
XLSFORM_NO_QUESTIONS = "Formulir tidak berisi satu pun pertanyaan yang bisa ditanyakan."
XLSFORM_OTHER_LABEL = "Sebutkan lainnya"
XLSFORM_OTHER_CHOICE = "Lainnya"


def xlsform_cell(sheet: str | None, row: int | None, column: str | None) -> str:
    """'Lembar survey, baris 5, kolom constraint' with whatever of the three is known."""
    parts = []
    if sheet:
        parts.append(f"lembar {sheet}")
    if row:
        parts.append(f"baris {row}")
    if column:
        parts.append(f"kolom {column}")
    return ", ".join(parts).capitalize()


def xlsform_problem(where: str, what: str) -> str:
    return f"{where}: {what}" if where else what


XLSFORM_PROBLEMS = {
    "duplicate": "nama '{name}' sudah dipakai pertanyaan lain; setiap nama harus unik.",
    "unknown_type": "jenis pertanyaan '{type}' tidak dikenal.",
    "unknown_reference": "merujuk ${{{name}}}, padahal tidak ada pertanyaan bernama '{name}'.",
    "unmatched": "'{kind}' tanpa pasangan penutupnya.",
    "no_label": "pertanyaan '{name}' belum punya label.",
    "no_choices_sheet": "formulir memakai pilihan (select_one/select_multiple) tetapi tidak ada lembar 'choices'.",
    "missing_list": "daftar pilihan '{name}' tidak ada di lembar choices.",
    "bad_expression": "rumus '{expression}' tidak bisa dibaca ({detail}).",
    "self_calculation": "calculate '{name}' merujuk dirinya sendiri.",
    "calculation_cycle": "calculate saling merujuk: {names}.",
    "unsupported": "jenis '{type}' tidak bisa diisi lewat chat Telegram.",
    "pyxform": "{detail}",
}


def xlsform_rejected(problems: list[str]) -> str:
    """The reply to an upload that cannot be used; nothing was saved."""
    lines = ["Formulir belum bisa dipakai; tidak ada yang disimpan atau diterbitkan.", ""]
    lines += [f"• {p}" for p in problems[:20]]
    if len(problems) > 20:
        lines.append(f"… dan {len(problems) - 20} masalah lain.")
    lines += ["", "Perbaiki file Excel-nya lalu kirim lagi."]
    return "\n".join(lines)


# --- XLSForm forms (issue 11): answering --------------------------------------------------------------------

XLSFORM_REQUIRED = "Pertanyaan ini wajib dijawab."
XLSFORM_CONSTRAINT = "Jawaban ini tidak memenuhi syarat pertanyaan. Mohon periksa lagi."
XLSFORM_FIRST_QUESTION = "Ini pertanyaan pertama; tidak ada pertanyaan sebelumnya."
XLSFORM_TEXT_EMPTY = "Jawaban masih kosong."
XLSFORM_INTEGER = "Mohon tulis bilangan bulat, misalnya 12."
XLSFORM_DECIMAL = "Mohon tulis angka, misalnya 12 atau 2,5."
XLSFORM_TIME = "Format jam tidak dikenali. Tulis misalnya 09.30 atau 14:00."
XLSFORM_GEOPOINT = "Mohon kirim lokasi (📎 → Lokasi), atau tulis koordinatnya, misalnya -6.72, 108.55."
XLSFORM_PHOTO = "Mohon kirim foto."
XLSFORM_USE_BUTTON = "Mohon pilih dengan tombol."
XLSFORM_NO_CHOICES = "Tidak ada pilihan yang cocok dengan jawaban sebelumnya. Tekan Kembali untuk mengubahnya."
XLSFORM_PHOTO_ANSWER = "1 foto"
XLSFORM_ACKNOWLEDGED = "OK"


def xlsform_no_such_choice(hints: list[str]) -> str:
    text = "Pilihan itu tidak ada."
    return text + (" Mungkin maksud Anda: " + ", ".join(hints) + "?" if hints else " Mohon pilih dengan tombol.")


def xlsform_repeat_more(label: str, count: int) -> str:
    return f"Sudah {count} isian <b>{esc(label)}</b>. Tambah lagi?"


def xlsform_repeat_item(label: str, index: int) -> str:
    return f"{label} {index}"


def xlsform_point(latitude: str, longitude: str) -> str:
    return f"{latitude}, {longitude}"


XLSFORM_UNANSWERED = "Masih ada pertanyaan yang belum dijawab."


# --- XLSForm forms (issue 11): upload, publish, fill in Telegram --------------------------------------------

BUTTON_XF_TEST = "Coba isi"
BUTTON_XF_PUBLISH = "Terbitkan"
BUTTON_XF_ONCE = "Sekali (batas 7 hari)"
BUTTON_XF_WEEKLY = "Setiap minggu"
BUTTON_XF_MONTHLY = "Setiap bulan"
BUTTON_XF_DOWNLOAD = "Unduh XLSForm"
BUTTON_XF_CLOSE = "Tutup"
BUTTON_XF_BACK = "⬅️ Kembali"
BUTTON_XF_KEEP = "Tetap"
BUTTON_XF_NEXT = "Lanjut"
BUTTON_XF_YES = "Ya, tambah"
BUTTON_XF_NO = "Tidak"
BUTTON_XF_CANCEL_YES = "Ya, buang jawaban"
BUTTON_XF_CANCEL_NO = "Tidak, lanjut mengisi"
SCHEDULES = {"once": "sekali", "weekly": "setiap minggu", "monthly": "setiap bulan"}
XLSFORM_STATES = {"draft": "belum diterbitkan", "published": "diterbitkan", "closed": "ditutup"}

XLSFORM_UPLOAD_ADMIN_ONLY = "Hanya admin Dinsos yang dapat mengunggah formulir."
XLSFORM_SAME_VERSION = (
    "Versi ini sudah pernah diunggah. Untuk perubahan, naikkan nilai version di lembar settings lalu kirim lagi."
)
XLSFORM_NONE = "Belum ada formulir XLSForm. Kirim file XLSForm (.xlsx atau .xls) ke chat ini untuk menambahkannya."
XLSFORM_CLOSED = "Formulir sudah ditutup. Tidak bisa diisi lagi."
XLSFORM_NOT_FOR_YOU = "Formulir ini tidak ditujukan untuk kecamatan Anda, atau Anda bukan anggota grupnya."
XLSFORM_PHOTO_EXPECTED = "Mohon kirim foto."
XLSFORM_TEXT_EXPECTED = "Mohon jawab dengan teks."
XLSFORM_SUMMARY_BUTTONS = "Mohon periksa ringkasan lalu tekan Kirim, Ubah, atau Batal."
XLSFORM_CANCEL_CONFIRM = "Buang semua jawaban formulir ini? Yang sudah diisi tidak bisa dikembalikan."
XLSFORM_CANCELLED = "Pengisian dibatalkan. Jawaban dibuang dan tidak dikirim."
XLSFORM_CONTINUE = "Baik, lanjut mengisi."
XLSFORM_TEST_DONE = "Uji coba selesai. Jawaban ini tidak disimpan sebagai kiriman dan tidak masuk ekspor."
XLSFORM_EDIT_WHICH = "Jawaban mana yang ingin diubah?"


def xlsform_uploaded(title: str, version: str, questions: int, sections: int, new_version: bool) -> str:
    what = "Versi baru formulir" if new_version else "Formulir"
    return (
        f"✅ {what} <b>{esc(title)}</b> terbaca.\n"
        f"Versi: {esc(version or '–')}\n"
        f"Pertanyaan: {questions} · Bagian: {sections}\n\n"
        "Coba isi dulu (tidak dihitung, tidak diekspor), lalu terbitkan untuk semua kecamatan atau yang dipilih."
    )


def xlsform_publish_how(title: str) -> str:
    return f"Terbitkan <b>{esc(title)}</b>. Seberapa sering diisi?"


def xlsform_published(title: str, version: str, schedule: str, deadline: str | None, groups: int) -> str:
    until = f", batas {esc(deadline)}" if deadline else ""
    return (
        f"📣 <b>{esc(title)}</b> (versi {esc(version)}) diterbitkan, {SCHEDULES[schedule]}{until}. "
        f"Pemberitahuan dikirim ke {groups} grup kecamatan."
    )


def xlsform_group_notice(title: str, kecamatan: str, schedule: str, deadline: str | None) -> str:
    until = f" paling lambat {esc(deadline)}" if deadline else ""
    return (
        f"📝 Dinas Sosial meminta Karang Taruna Kecamatan {esc(kecamatan)} mengisi <b>{esc(title)}</b> "
        f"({SCHEDULES[schedule]}){until}. Tekan tombol di bawah untuk mengisi lewat chat pribadi."
    )


def xlsform_list(rows: list[tuple[int, str, str, str, int]]) -> str:
    """rows: (number, title, state, versions, submissions)."""
    lines = ["<b>Formulir XLSForm</b>", ""]
    for number, title, state, versions, submitted in rows:
        lines.append(f"{number}. <b>{esc(title)}</b> – {XLSFORM_STATES[state]}, versi {esc(versions)}, "
                     f"{submitted} kiriman")  # fmt: skip
    lines += ["", "Versi baru: kirim file Excel dengan form_id yang sama dan version yang lebih tinggi."]
    return "\n".join(lines)


def xlsform_header(title: str, section: str, test: bool) -> str:
    text = f"<b>{esc(title)}</b>" + (" · <i>uji coba</i>" if test else "")
    return text + (f" · {esc(section)}" if section else "")


def xlsform_question(header: str, label: str, hint: str, current: str, optional: bool) -> str:
    text = f"{header}\n\n{esc(label)}"
    if hint:
        text += f"\n<i>{esc(hint)}</i>"
    if current:
        text += f"\nJawaban sekarang: <b>{esc(current)}</b>"
    if optional:
        text += "\n(Boleh dilewati.)"
    return text


def xlsform_refused(reason: str) -> str:
    return f"⚠️ {esc(reason)}"


def xlsform_summary(header: str, lines: list[tuple[str, str]]) -> str:
    body = "\n".join(f"<b>{esc(label)}:</b> {esc(value)}" for label, value in lines) or "–"
    return f"{header}\n<b>Ringkasan</b>\n\n{body}\n\nSudah benar?"


def xlsform_submitted(title: str, number: int) -> str:
    return f"✅ Terima kasih! {esc(title)} #{number} sudah terkirim ke Dinas Sosial."


def xlsform_already_submitted(title: str) -> str:
    return f"{esc(title)} ini sudah terkirim sebelumnya. Tidak dikirim dua kali."


def xlsform_admin_copy(title: str, version: str, kecamatan: str, number: int, sender: str,
                       lines: list[tuple[str, str]]) -> str:  # fmt: skip
    body = "\n".join(f"<b>{esc(label)}:</b> {esc(value)}" for label, value in lines)
    return (f"📋 <b>{esc(title)} #{number}</b> · versi {esc(version)}\nKecamatan {esc(kecamatan)} · dari {esc(sender)}"
            f"\n\n{body}")  # fmt: skip


def xlsform_version_gone(title: str) -> str:
    return f"{esc(title)} sudah ditutup oleh Dinas Sosial, jadi isian ini tidak bisa dikirim. Maaf."


def xlsform_closed(title: str) -> str:
    return f"<b>{esc(title)}</b> ditutup: tidak bisa diisi lagi. Kiriman yang sudah ada tetap tersimpan."


COMMAND_DESCRIPTIONS["formulir"] = "Formulir dari Dinsos: daftar dan isi (admin: unduh, tutup, unggah .xlsx)"


# --- XLSForm forms (issue 11): export columns -----------------------------------------------------------------

XLSFORM_EXPORT_NUMBER = "No. kiriman"
XLSFORM_EXPORT_KECAMATAN = "Kecamatan"
XLSFORM_EXPORT_BY = "Dikirim oleh"
XLSFORM_EXPORT_AT = "Waktu kirim (WIB)"
XLSFORM_EXPORT_VERSION = "Versi formulir"
XLSFORM_EXPORT_INSTANCE = "Isian ke"


# --- XLSForm forms (issue 11): reminders, digest and /rekap ----------------------------------------------------


def xlsform_reminder(kecamatan: str, title: str, deadline: str, *, followup: bool = False) -> str:
    """The reminder to one group; `deadline` is the last day of the form's current period, as a long date."""
    opening = "mohon maaf, sekadar mengingatkan kembali: " if followup else ""
    return (
        f"Yth. pengurus Karang Taruna Kecamatan {esc(kecamatan)}: {opening}<b>{esc(title)}</b> dari Dinas Sosial "
        f"belum diisi. Batasnya {esc(deadline)} pukul 23.59 WIB. Tekan tombol di bawah untuk mengisi lewat chat "
        "pribadi. Terima kasih."
    )


XLSFORM_DIGEST_HEADER = "\n<b>Formulir dari Dinas Sosial</b>"


def xlsform_digest(title: str, deadline: str, done: int, expected: int, missing: list[str]) -> list[str]:
    """One form's lines in the reminder digest, under the evaluation's."""
    if not expected:
        return [f"📋 <b>{esc(title)}</b> (batas {esc(deadline)}): belum ada grup terdaftar yang dituju"]
    lines = [f"📋 <b>{esc(title)}</b> (batas {esc(deadline)}): {done}/{expected} kecamatan sudah mengisi"]
    if missing:
        lines.append(f"⏳ Belum mengisi, sudah diingatkan ({len(missing)}): " + ", ".join(esc(m) for m in missing))
    return lines


def xlsform_recap_header(count: int) -> str:
    return f"\n<b>Formulir dari Dinas Sosial ({count})</b>"


def xlsform_recap_line(
    title: str, schedule: str, last_day: str, *, over: bool, submissions: int, done: int, expected: int,
    missing: list[str],
) -> str:  # fmt: skip
    """One published form in /rekap: its current period, its submissions, and who of its kecamatan has not."""
    if schedule == "once":
        period = f"batas {esc(last_day)}" + (" sudah lewat" if over else "")
    else:
        period = "minggu ini" if schedule == "weekly" else "bulan ini"
    line = f"📋 <b>{esc(title)}</b> · {period} · {submissions} kiriman · {done}/{expected} kecamatan"
    if missing:
        line += " · belum: " + ", ".join(esc(m) for m in missing)
    return line


BUTTON_XF_ALL = "Semua kecamatan aktif"
BUTTON_XF_CHOOSE = "Pilih kecamatan"
XLSFORM_FOR_WHOM = "Untuk kecamatan mana?"
XLSFORM_CHOOSE_KECAMATAN = "Tandai kecamatan yang diminta mengisi, lalu tekan Terbitkan."


def xlsform_publish_chosen(count: int) -> str:
    return f"Terbitkan untuk {count} kecamatan"


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
        "Tautan ini tidak pernah dibuat oleh bot, atau tidak lengkap tersalin. Ketik /dasbor (admin Dinsos) atau "
        "/programkerja (pengurus kecamatan) di chat pribadi dengan bot untuk tautan baru.",
    ),
    "login_expired": (
        "Tautan masuk sudah kedaluwarsa",
        "Tautan masuk hanya berlaku 10 menit. Ketik /dasbor (admin Dinsos) atau /programkerja (pengurus "
        "kecamatan) di chat pribadi dengan bot untuk tautan baru.",
    ),
    "login_used": (
        "Tautan masuk sudah dipakai",
        "Setiap tautan hanya bisa dipakai sekali. Bila bukan Anda yang memakainya, beri tahu pengelola bot. "
        "Ketik /dasbor atau /programkerja untuk tautan baru.",
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
        "Sesi Anda belum ada, sudah berakhir (12 jam) atau sudah keluar. Ketik /dasbor (admin Dinsos) atau "
        "/programkerja (pengurus kecamatan) di chat pribadi dengan bot untuk masuk lagi.",
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
DASHBOARD_LOGGED_OUT = (
    "Anda sudah keluar",
    "Sesi dasbor sudah diakhiri. Ketik /dasbor atau /programkerja untuk masuk lagi.",
)
REVIEW_WEB_RESULT = {
    "diterima": "Laporan diterima. Pengirim diberi tahu lewat Telegram.",
    "perlu_perbaikan": "Catatan perbaikan dikirim ke grup kecamatan dan pengirim lewat Telegram.",
    "sudah": "Laporan ini sudah ditinjau atau sudah ada versi baru; tidak ada yang diubah.",
    "catatan_kosong": "Tulis catatan perbaikan dulu; tidak ada yang diubah.",
}


# --- XLSForm forms (issue 11): /formulir in a kecamatan group ------------------------------------------------


def xlsform_group_none(kecamatan: str) -> str:
    return f"Saat ini tidak ada formulir dari Dinas Sosial untuk Kecamatan {kecamatan}."


def xlsform_group_list(kecamatan: str, forms: list[tuple[str, str, str | None]]) -> str:
    """forms: (title, schedule, deadline shown or None)."""
    lines = [f"📝 Formulir dari Dinas Sosial untuk Kecamatan {esc(kecamatan)}:", ""]
    for number, (title, schedule, deadline) in enumerate(forms, start=1):
        until = f", batas {esc(deadline)}" if deadline else ""
        lines.append(f"{number}. <b>{esc(title)}</b> ({SCHEDULES[schedule]}{until})")
    lines += ["", "Tekan tombol formulirnya untuk mengisi lewat chat pribadi."]
    return "\n".join(lines)


def xlsform_group_button(number: int, title: str) -> str:
    return f"{number}. {title}"


# --- The built-in forms as XLSForm (issue 11): /laporan and /evaluasi in /formulir and uploads -------------------


XLSFORM_BUILTIN_NOTE = (
    "Formulir bawaan (/laporan, /evaluasi) bisa diunduh, diubah di Excel, lalu dikirim kembali dengan version "
    "yang lebih tinggi di lembar settings: itulah versi berikutnya. Bisa juga dipakai sebagai contoh formulir baru."
)


def xlsform_builtin_download(title: str) -> str:
    return f"Unduh {title}"


def xlsform_finish_draft_first(title: str) -> str:
    return (
        f"Untuk mengisi <b>{esc(mid(title))}</b> sekarang, selesaikan draf di atas dulu, atau ketik /batal untuk "
        "membuangnya, lalu tekan lagi tombol pada pemberitahuan formulir ini."
    )


def xlsform_finish_draft_before_test(title: str) -> str:
    return (
        f"Untuk mencoba <b>{esc(mid(title))}</b>, selesaikan draf di atas dulu, atau ketik /batal untuk "
        f"membuangnya, lalu tekan lagi {BUTTON_XF_TEST}."
    )
