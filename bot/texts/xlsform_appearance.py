"""What the XLSForm chat says for the appearances of issue 18: long text, numbers only, choice headers and a
group of choices asked as one message (bot/xlsform/appearance.py decides, handlers/xlsform_fill.py shows)."""

from __future__ import annotations

from html import escape as esc

MULTILINE_HINT = "Jawaban panjang dipersilakan; boleh beberapa baris, akan disimpan seperti yang Anda tulis."
NUMBERS_HOW = "Tulis angka saja (boleh dengan + - . ,)."
NUMBERS_ONLY = "Mohon tulis angka saja: hanya angka dan tanda + - . , yang diterima, tanpa huruf atau spasi."
FIELD_LIST_HOW = "Pilih satu jawaban untuk setiap pertanyaan, lalu tekan Lanjut."
FIELD_LIST_MISSING = "Masih ada pertanyaan wajib yang belum dijawab."


def numbered_choices(labels: list[str]) -> str:
    """A `label` question's choices as a header: '1 = Baik · 2 = Cukup'."""
    return " · ".join(f"{i} = {label}" for i, label in enumerate(labels, start=1))


def field_list_line(number: int, label: str, chosen: str, optional: bool) -> str:
    """One question of a group asked as one message, with its answer so far."""
    line = f"<b>{number}. {esc(label)}</b>" + (" <i>(boleh dilewati)</i>" if optional else "")
    return line + (f"\n    ✅ {esc(chosen)}" if chosen else "")


def field_list_header_line(label: str, choices: str) -> str:
    """A `label` question inside the group: its label and its numbered choices, no buttons."""
    return (f"<b>{esc(label)}</b>\n" if label else "") + f"<i>{esc(choices)}</i>"


def field_list_button(number: int, label: str, chosen: bool) -> str:
    return f"{'✅ ' if chosen else ''}{number}: {label}"
