"""One program of a program kerja, and the one check every way of composing it goes through.

The browser page, the Excel template and the chat conversation all hand `read_program` what the person wrote
(strings, or lists for the months and PPKS), and store what it returns; so a program that passes on one path
passes on the others, and every refusal reads the same, in Indonesian, naming the column.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from bot.forms.parse import parse_count, parse_rupiah
from bot.program_kerja.lists import BIDANG, PPKS, SUMBER_DANA
from bot.texts import program_kerja as t
from bot.wilayah import Kecamatan, match_village

KECAMATAN_LEVEL = "kecamatan"  # lokasi of a program for the whole kecamatan
MAX_PROGRAMS = 60  # typical plans have 5-25; a page or a workbook of hundreds is a mistake
MAX_COUNT = 100_000
MAX_ANGGARAN = 100_000_000_000
TEXT_LIMITS = {"nama": (3, 200), "tujuan": (3, 1000), "sasaran_lain": (0, 300), "penanggung_jawab": (2, 200),
               "indikator": (3, 1000)}  # fmt: skip

BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember")  # fmt: skip
BULAN_PENDEK = tuple(b[:3] for b in BULAN)

# The fields in the order a person fills them in: the web table's columns, the template's, the chat's questions.
FIELDS = ("nama", "bidang", "tujuan", "sasaran_ppks", "sasaran_lain", "bulan", "lokasi", "target_peserta",
          "target_penerima", "anggaran", "sumber_dana", "penanggung_jawab", "indikator")  # fmt: skip


@dataclass(frozen=True)
class Program:
    uid: str
    nama: str
    bidang: str  # b01..b10, the laporan's bidang
    tujuan: str
    sasaran_ppks: tuple[str, ...]  # PPKS codes
    sasaran_lain: str
    bulan: tuple[int, ...]  # 1-12, sorted
    lokasi: str  # a desa/kelurahan code of the kecamatan, or KECAMATAN_LEVEL
    target_peserta: int
    target_penerima: int
    anggaran: int
    sumber_dana: str  # the laporan's sumber dana values
    penanggung_jawab: str
    indikator: str

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["sasaran_ppks"] = list(self.sasaran_ppks)
        data["bulan"] = list(self.bulan)
        return data


@dataclass(frozen=True)
class Problem:
    field: str  # one of FIELDS
    message: str  # Indonesian, says what is wrong and what is expected

    @property
    def column(self) -> str:
        return t.FIELD_LABELS[self.field]


@dataclass
class Read:
    program: Program | None
    problems: list[Problem] = field(default_factory=list)


def new_uid() -> str:
    return secrets.token_hex(4)


def bidang_label(code: str) -> str:
    return next((c.label for c in BIDANG if c.value == code), code)


def sumber_label(code: str) -> str:
    return next((c.label for c in SUMBER_DANA if c.value == code), code)


def ppks_label(code: str) -> str:
    return next((c.label for c in PPKS if c.value == code), code)


def lokasi_label(code: str, kecamatan: Kecamatan | None) -> str:
    if code == KECAMATAN_LEVEL:
        return t.LOKASI_KECAMATAN
    village = next((v for v in kecamatan.villages if v.code == code), None) if kecamatan else None
    return village.name if village else code


def bulan_label(months: tuple[int, ...] | list[int]) -> str:
    """'Jan, Mar, Jul' ; every month reads 'Jan-Des'."""
    if len(months) == 12:
        return f"{BULAN_PENDEK[0]}-{BULAN_PENDEK[11]}"
    return ", ".join(BULAN_PENDEK[m - 1] for m in months)


def read_program(raw: Mapping[str, Any], kecamatan: Kecamatan, uid: str | None = None) -> Read:
    """A program from what the person gave, or every problem with it (each field checked, none skipped)."""
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    for name in FIELDS:
        try:
            values[name] = _READERS[name](raw.get(name), kecamatan)
        except _Bad as bad:
            problems.append(Problem(name, str(bad)))
    if not problems and not values["sasaran_ppks"] and not values["sasaran_lain"]:
        problems.append(Problem("sasaran_ppks", t.EMPTY_SASARAN))
    if problems:
        return Read(None, problems)
    return Read(Program(uid=uid or new_uid(), **values))


def read_field(name: str, value: Any, kecamatan: Kecamatan) -> Any:
    """One field read as read_program reads it (the chat checks each answer as it is given); ValueError with the
    Indonesian reason. The sasaran rule across two fields is read_program's alone."""
    return _READERS[name](value, kecamatan)


class _Bad(ValueError):
    pass


def _key(text: str) -> str:
    """What two spellings share: 'PPKS-03', 'ppks 03' and 'Ppks03' are one key."""
    return re.sub(r"(?<!\d)0+(?=\d)", "", re.sub(r"[^a-z0-9]", "", text.lower()))


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip()


def _text(name: str):  # type: ignore[no-untyped-def]
    low, high = TEXT_LIMITS[name]

    def read(value: Any, _kecamatan: Kecamatan) -> str:
        text = _as_text(value)
        if low and not text:
            raise _Bad(t.EMPTY)
        if not low <= len(text) <= high:
            raise _Bad(t.text_length(low, high))
        return text

    return read


def _pick(options: tuple[Any, ...], value: Any, wrong: str) -> str:
    text = _as_text(value)
    if not text:
        raise _Bad(t.EMPTY)
    key = _key(text)
    for choice in options:
        if key in (_key(choice.value), _key(choice.label)):
            return str(choice.value)
    # "2" or "b2" for the second bidang, as the template's explanation sheet numbers them
    digits = re.fullmatch(r"b?(\d{1,2})", key)
    if digits and 1 <= int(digits[1]) <= len(options) and options is BIDANG:
        return str(options[int(digits[1]) - 1].value)
    raise _Bad(wrong)


def _bidang(value: Any, _kecamatan: Kecamatan) -> str:
    return _pick(BIDANG, value, t.WRONG_BIDANG)


def _sumber(value: Any, _kecamatan: Kecamatan) -> str:
    return _pick(SUMBER_DANA, value, t.WRONG_SUMBER)


def _items(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [_as_text(v) for v in value if _as_text(v)]
    return [part.strip() for part in re.split(r"[,;\n]", _as_text(value)) if part.strip()]


def _ppks(value: Any, _kecamatan: Kecamatan) -> tuple[str, ...]:
    codes: list[str] = []
    for item in _items(value):
        key = _key(item)
        found = next((c.value for c in PPKS if key in (_key(c.value), _key(c.label))), None)
        if found is None and re.fullmatch(r"\d{1,2}", item) and 1 <= int(item) <= len(PPKS):
            found = PPKS[int(item) - 1].value
        if found is None:
            raise _Bad(t.wrong_ppks(item))
        if found not in codes:
            codes.append(found)
    return tuple(sorted(codes))


def _bulan(value: Any, _kecamatan: Kecamatan) -> tuple[int, ...]:
    items = _items(value)
    if not items:
        raise _Bad(t.EMPTY_BULAN)
    months: set[int] = set()
    for item in items:
        key = _key(item)
        if key in ("semua", "setiapbulan", "jandes", "januaridesember"):
            months.update(range(1, 13))
            continue
        number = int(key) if key.isdigit() else None
        if number is None:
            number = next((i + 1 for i, b in enumerate(BULAN) if key in (_key(b), b[:3].lower())), None)
        if number is None or not 1 <= number <= 12:
            raise _Bad(t.wrong_bulan(item))
        months.add(number)
    return tuple(sorted(months))


def _lokasi(value: Any, kecamatan: Kecamatan) -> str:
    text = _as_text(value)
    if not text:
        raise _Bad(t.EMPTY)
    key = _key(text)
    if key in ("kecamatan", "tingkatkecamatan") or key == _key(t.LOKASI_KECAMATAN):
        return KECAMATAN_LEVEL
    by_code = next((v for v in kecamatan.villages if v.code == text), None)
    village = by_code or match_village(kecamatan, text)
    if village is None:
        raise _Bad(t.wrong_lokasi(text, kecamatan.name))
    return village.code


def _count(value: Any, _kecamatan: Kecamatan) -> int:
    return _number(value, parse_count, MAX_COUNT)


def _rupiah(value: Any, _kecamatan: Kecamatan) -> int:
    return _number(value, parse_rupiah, MAX_ANGGARAN)


def _number(value: Any, parse: Any, most: int) -> int:
    if isinstance(value, bool):
        raise _Bad(t.WRONG_NUMBER)
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = _as_text(value)
        if not text:
            raise _Bad(t.EMPTY)
        try:
            number = parse(text)
        except ValueError as exc:
            raise _Bad(str(exc)) from None
    if not 0 <= number <= most:
        raise _Bad(t.number_range(most))
    return number


_READERS = {
    "nama": _text("nama"),
    "bidang": _bidang,
    "tujuan": _text("tujuan"),
    "sasaran_ppks": _ppks,
    "sasaran_lain": _text("sasaran_lain"),
    "bulan": _bulan,
    "lokasi": _lokasi,
    "target_peserta": _count,
    "target_penerima": _count,
    "anggaran": _rupiah,
    "sumber_dana": _sumber,
    "penanggung_jawab": _text("penanggung_jawab"),
    "indikator": _text("indikator"),
}


def planning_year(today: date) -> int:
    """The year a pengurus plans by default: from October on the next one (plans are drafted and approved
    before January), before that the current one."""
    return today.year + 1 if today.month >= 10 else today.year
