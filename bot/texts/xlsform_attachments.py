"""What the bot says about the files an XLSForm comes with: a ZIP, CSV/XML lists and media sent after it."""

from __future__ import annotations

from html import escape as esc

# How long after a workbook its files may still be sent as documents (Kobo's "media" tab, in a chat).
ATTACH_MINUTES = 30

ZIP_UNREADABLE = "File ZIP ini tidak dapat dibuka (rusak atau berkata sandi). Buat ZIP baru lalu kirim lagi."
ZIP_NO_WORKBOOK = "Di dalam ZIP tidak ada file formulir Excel (.xlsx atau .xls). Masukkan formulirnya lalu kirim lagi."


def zip_too_many(limit: int) -> str:
    return f"ZIP ini berisi terlalu banyak file. Paling banyak {limit} file dalam satu ZIP."


def zip_too_big(limit: int) -> str:
    return f"Isi ZIP ini terlalu besar setelah dibuka. Paling besar {limit // (1024 * 1024)} MB."


def zip_bad_path(name: str) -> str:
    return f"ZIP ini memuat file dengan jalur yang tidak diizinkan ({name}). Buat ZIP biasa dari satu folder."


def zip_many_workbooks(names: list[str]) -> str:
    return f"ZIP ini berisi lebih dari satu formulir Excel ({', '.join(names)}). Kirim satu formulir per ZIP."


def zip_refused(reason: str) -> str:
    return f"❌ {esc(reason)}\nTidak ada yang disimpan."


def missing_files(names: tuple[str, ...]) -> str:
    """Under the upload reply: the files a form still needs before it can be tried or published."""
    listed = "\n".join(f"• <code>{esc(n)}</code>" for n in names)
    return (
        f"📎 Formulir ini memerlukan file lampiran:\n{listed}\n"
        f"Kirim file tersebut sebagai dokumen di chat ini dalam {ATTACH_MINUTES} menit, atau kirim ulang formulir "
        "bersama filenya dalam satu ZIP. Sebelum itu formulir belum bisa dicoba atau diterbitkan."
    )


def attached_files(names: list[str]) -> str:
    return "📎 Lampiran terbaca: " + ", ".join(f"<code>{esc(n)}</code>" for n in names)


def still_missing_alert(names: tuple[str, ...]) -> str:
    """A button's alert (plain text, short): the form cannot be tried or published yet."""
    return "Formulir ini belum lengkap. Kirim dulu file: " + ", ".join(names)


def attached_to(title: str, version: str, name: str) -> str:
    return f"📎 File <code>{esc(name)}</code> dilampirkan ke formulir <b>{esc(title)}</b> versi {esc(version)}."


ATTACH_READY = "Semua lampiran sudah lengkap. Formulir siap dicoba dan diterbitkan."
NO_FORM_TO_ATTACH = (
    f"File ini tidak dapat dilampirkan: tidak ada formulir yang Anda unggah dalam {ATTACH_MINUTES} menit terakhir "
    "dan belum diterbitkan. Kirim formulirnya dulu (atau formulir dan filenya dalam satu ZIP)."
)


def unreadable_table(name: str) -> str:
    return f"File {name} tidak dapat dibaca sebagai tabel CSV (baris pertama: nama kolom). Periksa lalu kirim lagi."


def pulldata_missing(expression: str, file_name: str) -> str:
    """A problem line for a pulldata() whose CSV did not come with the workbook."""
    return (
        f"rumus '{expression}' memakai pulldata(), yang membaca file lampiran {file_name}; file itu tidak ada. "
        f"Kirim formulir dan {file_name} bersama dalam satu ZIP."
    )


def pulldata_unnamed(expression: str) -> str:
    return (
        f"rumus '{expression}' memakai pulldata() tanpa nama file dalam tanda kutip. Tulis nama filenya langsung, "
        "misalnya pulldata('penduduk', 'nama', 'nik', ${nik})."
    )


def choice_media_ignored(choice: str) -> str:
    """Media on the choices sheet (issue 18): a chat's buttons cannot show it."""
    named = f" ('{choice}')" if choice else ""
    return f"gambar atau suara pada pilihan{named} tidak ditampilkan lewat chat; pilihannya tetap bisa dipilih."


def group_media_ignored(group: str) -> str:
    """Media on a begin_group or begin_repeat row: only a question's media goes with it in a chat."""
    return (
        f"gambar atau suara pada grup '{group}' tidak ditampilkan lewat chat; pertanyaan di dalamnya tetap ditanyakan."
    )
