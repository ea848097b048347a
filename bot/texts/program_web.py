"""What the dashboard's program kerja pages say: refusals, the result of each change, and the explanations of a
plan's state. Field names, hints and status labels are shared with the other paths (bot/texts/program_kerja.py)."""

from __future__ import annotations

from bot.program_kerja.model import MAX_PROGRAMS

# Error pages (title, explanation), looked up with the dashboard's own (bot/texts WEB_ERRORS).
WEB_ERRORS = {
    "not_pengurus_now": (
        "Bukan pengurus lagi",
        "Menurut Telegram, Anda sekarang bukan admin grup Karang Taruna kecamatan ini, jadi program kerjanya tidak "
        "bisa diubah dari sini. Sesi ini sudah diakhiri. Bila ini keliru, minta admin grup menjadikan Anda admin, "
        "lalu minta tautan baru lewat /programkerja.",
    ),
    "only_dinsos": (
        "Khusus admin Dinas Sosial",
        "Halaman ini hanya untuk admin Dinsos. Program kerja kecamatan Anda ada di menu Program kerja.",
    ),
    "only_pengurus": (
        "Khusus pengurus kecamatan",
        "Halaman ini untuk pengurus Karang Taruna yang masuk lewat /programkerja. Program kerja setiap kecamatan "
        "bisa dilihat di menu Program kerja.",
    ),
}

# The page's fields are ticked and chosen rather than typed: where the shared hint speaks of typing, this one.
WEB_HINTS = {
    "sasaran_ppks": "Centang PPKS yang dilayani; boleh kosong bila sasaran lain diisi.",
    "bulan": "Centang satu bulan atau lebih.",
    "lokasi": "Desa/kelurahan di kecamatan ini, atau tingkat kecamatan.",
    "sumber_dana": "",
    "bidang": "",
}

# After a change, the page says what happened (?hasil=<key>); True: it went through.
RESULTS = {
    "ditambah": (True, "Program ditambahkan. Draf sudah tersimpan."),
    "disimpan": (True, "Perubahan program tersimpan di draf."),
    "dihapus": (True, "Program dihapus dari draf."),
    "diurutkan": (True, "Urutan program tersimpan."),
    "diajukan": (
        True,
        "Program kerja diajukan ke Dinas Sosial. Grup kecamatan diberi tahu, dan Anda dikabari lewat Telegram "
        "setelah ditinjau.",
    ),
    "perubahan": (True, "Versi perubahan dibuat dari program kerja yang berlaku. Ubah programnya, lalu ajukan lagi."),
    "kosong": (False, "Tambahkan minimal satu program sebelum mengajukan ke Dinas Sosial."),
    "terkunci": (False, "Program kerja sedang menunggu tinjauan Dinas Sosial, jadi belum bisa diubah."),
    "penuh": (False, f"Satu program kerja paling banyak {MAX_PROGRAMS} program."),
    "hilang": (False, "Program itu sudah tidak ada di draf (mungkin dihapus di tab lain). Tidak ada yang diubah."),
}

ADMIN_RESULTS = {
    "diterima": (
        True,
        "Program kerja diterima. Grup kecamatan dan pengurus yang mengajukan diberi tahu lewat Telegram.",
    ),
    "perlu_perbaikan": (True, "Catatan perbaikan dikirim ke grup kecamatan dan pengurus yang mengajukan."),
    "sudah": (False, "Program kerja ini sudah ditinjau; tidak ada yang diubah."),
    "catatan_kosong": (False, "Tulis catatan perbaikan dulu; tidak ada yang diubah."),
}


def form_problems(count: int) -> str:
    return f"Program belum disimpan: {count} isian perlu diperbaiki (lihat keterangan merah di bawah isiannya)."


# What the pengurus can do with the plan in each state.
STATE_EXPLAINED = {
    "belum": "Belum ada program. Tambahkan program pertama di bawah; setiap perubahan langsung tersimpan sebagai draf.",
    "draf": "Setiap perubahan langsung tersimpan sebagai draf. Bila sudah lengkap, tekan Ajukan ke Dinsos.",
    "diajukan": "Menunggu tinjauan Dinas Sosial. Daftar program belum bisa diubah sampai ditinjau.",
    "diterima": "Program kerja ini berlaku. Untuk mengubahnya, buat perubahan lalu ajukan lagi ke Dinsos.",
    "perlu_perbaikan": "Dinas Sosial meminta perbaikan. Ubah programnya, lalu ajukan lagi.",
}
SUBMIT_EXPLAINED = (
    "Setelah diajukan, daftar program dikunci sampai Dinas Sosial memutuskan: Diterima, atau Perlu perbaikan "
    "dengan catatan."
)
REVISION_EXPLAINED = (
    "Perubahan dibuat sebagai versi baru dari program di atas. Program kerja ini tetap berlaku sampai perubahannya "
    "diterima Dinas Sosial."
)
NO_REALIZATION = (
    "Realisasi dihitung dari laporan kegiatan yang dikaitkan dengan program, setelah program kerja diterima."
)
DECIDE_EXPLAINED = (
    "Keputusan dikirim lewat Telegram, sama seperti tombol di chat: ke grup kecamatan dan ke pengurus yang "
    "mengajukan. Perlu perbaikan wajib dengan catatan."
)
