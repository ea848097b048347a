"""Sentences of a new version of a built-in form (/laporan, /evaluasi) sent by Dinsos as an XLSForm."""

from __future__ import annotations

from bot.texts import esc

# What the recap, reminders, program kerja, LPJ and dashboard read, by kind of question (bot/xlsform/builtin.py).
KIND_NAMES = {
    "text": "text",
    "integer": "integer",
    "date": "date",
    "select_one": "select_one",
    "select_multiple": "select_multiple",
    "village": "select_one_from_file wilayah_desa.csv",
    "program": "select_one program_kerja",
    "photos": "begin_repeat berisi satu image",
}


def unsupported_question(name: str, kind: str, row: int) -> str:
    return (
        f"Baris {row} ({name}): tipe {kind} tidak bisa dipakai di formulir bawaan. Yang bisa: text, integer, "
        "date, select_one, select_multiple, dan begin_repeat berisi satu image."
    )


def unsupported_repeat(name: str, row: int) -> str:
    return f"Baris {row} ({name}): di formulir bawaan, begin_repeat hanya boleh berisi satu pertanyaan image (foto)."


def missing(name: str, kind: str) -> str:
    return f"Pertanyaan <b>{esc(name)}</b> ({esc(KIND_NAMES[kind])}) dihapus, padahal dipakai rekap dan dasbor."


def retyped(name: str, kind: str, now: str) -> str:
    return (
        f"Pertanyaan <b>{esc(name)}</b> harus bertipe {esc(KIND_NAMES[kind])} (dipakai rekap dan dasbor), "
        f"di file ini {esc(KIND_NAMES.get(now, now))}."
    )


def needs_file(name: str) -> str:
    return f"Formulir bawaan tidak bisa memakai file lampiran ({esc(name)}); pakai daftar di lembar choices."


def refused(title: str, problems: list[str]) -> str:
    lines = "\n".join(f"• {p}" for p in problems)
    return f"⚠️ Versi baru <b>{esc(title)}</b> tidak dipakai:\n{lines}\n\nMohon perbaiki file-nya, lalu kirim lagi."


def not_newer(title: str, version: str, current: str) -> str:
    return (
        f"⚠️ <b>{esc(title)}</b> versi {esc(version)} tidak lebih baru dari versi yang dipakai sekarang "
        f"({esc(current)}). Naikkan <i>version</i> di lembar settings, lalu kirim lagi."
    )


def adopted(title: str, form_id: str, version: str, asked: int, added: list[str], removed: list[str]) -> str:
    text = (
        f"✅ <b>{esc(title)}</b> versi {esc(version)} sekarang dipakai untuk /{esc(form_id)} ({asked} pertanyaan)."
    )
    if added:
        text += "\nPertanyaan baru: " + ", ".join(esc(a) for a in added) + "."
    if removed:
        text += "\nTidak ditanyakan lagi: " + ", ".join(esc(r) for r in removed) + "."
    return text + "\nIsian yang sedang berjalan selesai dengan versi lamanya."
