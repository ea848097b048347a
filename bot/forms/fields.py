"""A form is a tuple of Fields; one engine asks, validates and stores every kind of field the same way."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from bot.dates import long_date
from bot.forms.parse import (
    Invalid,
    TooLarge,
    date_example,
    format_rupiah,
    parse_count,
    parse_date,
    parse_rupiah,
)
from bot.wilayah import Kecamatan, match_village, suggest_villages

KECAMATAN_LEVEL = "kecamatan"  # the lokasi answer for an activity held for the whole kecamatan


class FieldType(StrEnum):
    TEXT = "text"
    COUNT = "count"  # whole number ≥ 0
    RUPIAH = "rupiah"
    DATE = "date"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    VILLAGE = "village"  # a desa/kelurahan of the form's kecamatan, or the kecamatan level
    PHOTOS = "photos"
    # A program of the kecamatan's approved program kerja (its uid), or none_label's OUTSIDE: the choices are the
    # kecamatan's, read when the question is asked (bot/program_kerja/laporan_question.py).
    PROGRAM = "program"


OUTSIDE = "luar"  # the program answer of an activity outside the program kerja


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Field:
    """One question of a built-in form as its look and its stored answer need it (bot/forms/schema.py reads it
    from the form's XLSForm question; the workbook's constraint is the rule an answer must meet)."""

    key: str
    label: str  # short, for the summary and exports
    prompt: str  # the question
    type: FieldType
    example: str = ""
    required: bool = True
    choices: tuple[Choice, ...] = ()
    none_label: str | None = None  # multi choice: the "none of these" button
    # What a refused answer is told: the question's constraint_message (said too of a number with more digits than
    # any form takes, which never reaches the constraint).
    rule: str = ""
    narrative: bool = False  # a long text (an export gives it a wide, wrapped column)
    max_photos: int = 10  # Telegram's album holds ten

    @property
    def takes_text(self) -> bool:
        return self.type in (FieldType.TEXT, FieldType.COUNT, FieldType.RUPIAH, FieldType.DATE, FieldType.VILLAGE)


@dataclass(frozen=True)
class Form:
    """A built-in form (/laporan, /evaluasi) as one version of its workbook asks it."""

    key: str  # laporan, evaluasi
    title: str
    fields: tuple[Field, ...]
    # One per kecamatan per reporting week (Senin-Minggu WIB): a second submission updates the first.
    weekly: bool = False
    version: str = ""

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)

    def has(self, key: str) -> bool:
        return any(f.key == key for f in self.fields)


@dataclass(frozen=True)
class Answering:
    """What the engine knows when it reads an answer: the kecamatan (for villages) and today's date in WIB."""

    kecamatan: Kecamatan
    today: date


def example(field: Field, today: date) -> str:
    """The example under a question; a date question's is built from today, so it is never refused as too old."""
    if field.type is FieldType.DATE and not field.example:
        return date_example(today)
    return field.example


def read_text(field: Field, text: str, ctx: Answering) -> Any:
    """Turn a typed answer into the stored value, or raise Invalid with the reason. Only the reading is done here
    ("1,5 juta", "kemarin", a village with a typo); whether the value is allowed is the workbook's constraint."""
    text = text.strip()
    if not text:
        raise Invalid("Jawaban masih kosong.")
    if field.type is FieldType.TEXT:
        return text
    if field.type is FieldType.COUNT:
        return _number(field, parse_count, text)
    if field.type is FieldType.RUPIAH:
        return _number(field, parse_rupiah, text)
    if field.type is FieldType.DATE:
        return parse_date(text, ctx.today).isoformat()
    if field.type is FieldType.VILLAGE:
        return _village(text, ctx.kecamatan)
    if field.type in (FieldType.CHOICE, FieldType.MULTI_CHOICE):
        return _choice_by_text(field, text)
    if field.type is FieldType.PROGRAM:
        raise Invalid("Mohon pilih salah satu tombol.")  # the kecamatan's programs are matched by the view
    raise Invalid("Mohon kirim foto, atau tekan Selesai.")


def _number(field: Field, parse: Callable[[str], int], text: str) -> int:
    try:
        return parse(text)
    except TooLarge:
        raise Invalid(field.rule or "Angka terlalu besar.") from None


def _village(text: str, kecamatan: Kecamatan) -> dict[str, str]:
    if text.lower().strip(" .") in ("tingkat kecamatan", "kecamatan", "kec", "tingkat kec"):
        return {"code": KECAMATAN_LEVEL, "name": f"Tingkat Kecamatan {kecamatan.name}"}
    village = match_village(kecamatan, text)
    if village is None:
        hints = [v.name for v in suggest_villages(kecamatan, text)]
        reason = f"Desa/kelurahan itu tidak ada di Kecamatan {kecamatan.name}."
        if hints:
            reason += " Mungkin maksud Anda: " + ", ".join(hints) + "?"
        raise Invalid(reason)
    return {"code": village.code, "name": village.name}


def _choice_by_text(field: Field, text: str) -> str:
    wanted = text.lower().strip()
    for choice in field.choices:
        if wanted in (choice.value.lower(), choice.label.lower()):
            return choice.value
    raise Invalid("Mohon pilih salah satu tombol.")


def program_label(field: Field, value: str, programs: Mapping[str, str]) -> str:
    """A program answer's name; a uid nobody can name any more (its plan never approved) shows as it is."""
    if value == OUTSIDE:
        return field.none_label or value
    return programs.get(value, value)


def choice_label(field: Field, value: str) -> str:
    return next((c.label for c in field.choices if c.value == value), value)


def display(field: Field, value: Any, programs: Mapping[str, str] | None = None) -> str:
    """An answer as the summary and the admins' copy show it; `programs` names the program kerja uids."""
    if value is None:
        return "–"
    if field.type is FieldType.PROGRAM:
        return program_label(field, value, programs or {})
    if field.type is FieldType.RUPIAH:
        return format_rupiah(int(value))
    if field.type is FieldType.DATE:
        return long_date(date.fromisoformat(value))  # with its day name: a summary is checked against a diary
    if field.type is FieldType.CHOICE:
        return choice_label(field, value)
    if field.type is FieldType.MULTI_CHOICE:
        return ", ".join(choice_label(field, v) for v in value) if value else (field.none_label or "–")
    if field.type is FieldType.VILLAGE:
        return value["name"]
    if field.type is FieldType.PHOTOS:
        return f"{len(value)} foto"
    return str(value)
