"""The Excel export for Dinsos: one sheet per kind of data, Indonesian headers, WIB times, filters ready.

Each sheet is also a document for the Kepala Dinas: it prints on A4 landscape fitted to the page width, with a
title block (office, subject, period, when made), the header row repeated on every page, wrapped text with
row heights that show it, totals under the rows, the technical columns (codes, Telegram ids) at the far right,
and one font throughout.

The workbook is drawn from `storage.export.all_tables()`: a key added there later becomes an extra column, and a
table added later becomes a sheet of its own, so the export never falls behind the database or breaks on it.
"""

from __future__ import annotations

import io
import json
import logging
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from telegram import Bot
from telegram.error import TelegramError

from bot import texts
from bot.config import Config
from bot.dates import MONTHS, long_wib
from bot.forms import schema
from bot.forms.fields import Field, FieldType, Form, choice_label, program_label
from bot.forms.parse import format_date, parse_month
from bot.program_kerja import realization
from bot.program_kerja.model import Program, bidang_label, bulan_label, lokasi_label, ppks_label, sumber_label
from bot.telegram_files import download
from bot.texts import program_excel as pkx
from bot.texts import program_kerja as pk
from bot.wilayah import kecamatan_by_code
from storage.program_kerja import Activity

logger = logging.getLogger(__name__)

Tables = dict[str, list[dict[str, Any]]]
Row = dict[str, Any]

# all_tables() key -> the form whose reports it holds.
FORM_TABLES = {"reports": "laporan", "evaluations": "evaluasi"}
# When each dated table's rows happened, for a period: the submission or the send.
DATED_BY = {"reports": "created_at", "evaluations": "created_at", "announcements": "sent_at"}


def file_name(today: date, suffix: str = "xlsx") -> str:
    """'karangtaruna-2026-11-27.xlsx'."""
    return f"karangtaruna-{today.isoformat()}.{suffix}"


# --- Periods ----------------------------------------------------------------------------------------------


class PeriodError(ValueError):
    """The /ekspor argument names no period; the message says why, in Indonesian."""


@dataclass(frozen=True)
class Period:
    """WIB calendar days from `start` to `end`, both included; no bounds means everything."""

    start: date | None = None
    end: date | None = None
    whole_month: bool = False

    @property
    def label(self) -> str:
        if self.start is None or self.end is None:
            return texts.EXPORT_EVERYTHING
        if self.whole_month:
            return texts.export_month(MONTHS[self.start.month - 1], self.start.year)
        return texts.export_range(format_date(self.start), format_date(self.end))

    def covers(self, stamp: str | None, tz: ZoneInfo) -> bool:
        """Whether a stored UTC moment falls on one of the period's days in `tz`."""
        if self.start is None or self.end is None:
            return True
        moment = _moment(stamp)
        return moment is not None and self.start <= moment.astimezone(tz).date() <= self.end


EVERYTHING = Period()

_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_DAY = r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})"
# '..' as documented; phones turn '...' into '…', and 'sampai' is how people say it.
_RANGE = re.compile(rf"{_DAY}\s*(?:\.{{2,3}}|…|\s+sampai\s+)\s*{_DAY}")


def parse_period(text: str, today: date) -> Period:
    """'' (everything), 'bulan' (this month), '2026-11', 'november', or '1/11/2026..30/11/2026' (also '-')."""
    cleaned = " ".join(text.lower().split())
    if cleaned in ("", "semua"):
        return EVERYTHING
    if cleaned in ("bulan", "bulan ini"):
        return _month(today.year, today.month)
    if month := _MONTH.fullmatch(cleaned):
        # Year 0 and 9999-12 (whose next month is year 10000) are outside what date() can hold.
        if not 1 <= int(month[2]) <= 12 or not 1 <= int(month[1]) <= 9998:
            raise PeriodError(texts.export_bad_month(text.strip()))
        return _month(int(month[1]), int(month[2]))
    if days := _RANGE.fullmatch(cleaned):
        start, end = _day(*days.groups()[:3]), _day(*days.groups()[3:])
        if start > end:
            raise PeriodError(texts.EXPORT_RANGE_REVERSED)
        return Period(start, end)
    if named := parse_month(cleaned, today):  # 'november', 'okt 2026': the most recent such month
        return _month(*named)
    raise PeriodError(texts.EXPORT_PERIOD_UNKNOWN)


def _month(year: int, month: int) -> Period:
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return Period(first, following - timedelta(days=1), whole_month=True)


def _day(day: str, month: str, year: str) -> date:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise PeriodError(texts.export_bad_date(f"{day}/{month}/{year}")) from None


def within(tables: Tables, period: Period, tz: ZoneInfo) -> Tables:
    """Reports and evaluations submitted, and announcements sent, in the period; other tables whole."""
    return {
        name: [row for row in rows if period.covers(row.get(DATED_BY[name]), tz)] if name in DATED_BY else rows
        for name, rows in tables.items()
    }


# --- Cells ------------------------------------------------------------------------------------------------


class Kind(Enum):
    TEXT = "General"
    NUMBER = "0"  # whole numbers, and Telegram ids shown in full rather than as 1.2E+09
    RUPIAH = '"Rp"#,##0'
    DATE = "DD/MM/YYYY"
    MOMENT = "DD/MM/YYYY HH:MM"  # a WIB wall-clock time; Excel has no time zones


FIXED_WIDTH = {Kind.DATE: 10, Kind.MOMENT: 16}
MIN_WIDTH, MAX_WIDTH = 6, 30  # MAX_WIDTH: a long answer (Hasil/uraian) wraps at this many characters
TEXT_WIDTH = 16  # other text wraps sooner: a printed page has room for about 150 characters across
# Columns printed, from the left, up to this total width: A4 landscape then prints at about 75%, 10-point text
# as 7.5 points. Columns further right stay in the sheet, off the paper.
PRINT_WIDTH = 200


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind
    value: Callable[[Row], Any]
    # Codes, Telegram ids and bookkeeping: kept, but after every column a person reads and left off the print.
    technical: bool = False
    total: bool = False  # summed in the totals row
    long: bool = False  # a narrative answer, given the widest column


@dataclass
class Sheet:
    title: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    subject: str = ""  # the title block's second line
    # Lines under the totals: (label, value), e.g. how many kecamatan are in each state.
    summary: list[tuple[str, Any]] = field(default_factory=list)

    @property
    def ordered(self) -> list[Column]:
        """Columns as written: those a person reads first, technical ones at the far right."""
        return [c for c in self.columns if not c.technical] + [c for c in self.columns if c.technical]


_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _moment(stamp: Any) -> datetime | None:
    """A stored UTC moment ('2026-11-23T02:00:00Z'), or None for anything else."""
    if not isinstance(stamp, str) or not _MOMENT.fullmatch(stamp):
        return None
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _wib(stamp: Any, tz: ZoneInfo) -> Any:
    moment = _moment(stamp)
    return moment.astimezone(tz).replace(tzinfo=None) if moment else stamp


def _day_value(value: Any) -> Any:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return value


def _plain(value: Any) -> Any:
    """What a cell can hold: lists and dicts as JSON, everything else as it is."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _key(name: str) -> Callable[[Row], Any]:
    return lambda row: _plain(row.get(name))


def _date_key(name: str) -> Callable[[Row], Any]:
    return lambda row: _day_value(row.get(name))


def _moment_key(name: str, tz: ZoneInfo) -> Callable[[Row], Any]:
    return lambda row: _wib(row.get(name), tz)


# Headers for keys other capabilities are adding to the export (report reviews), so they arrive in Indonesian.
EXTRA_HEADERS = {
    "review_status": "Status tinjauan",
    "review_comment": "Catatan tinjauan",
    "reviewed_by": "Ditinjau oleh",
    "reviewed_by_id": "ID Telegram peninjau",
    "reviewed_at": "Ditinjau (WIB)",
}
# Kept in the workbook, not needed on paper: when a review was made and by whom is in the chat and the JSON.
BOOKKEEPING = {"reviewed_at", "reviewed_by_id", "reviewed_by"}
REVIEW_LABELS = {"diterima": "diterima", "perlu_perbaikan": "perlu perbaikan"}


def _extras(rows: Iterable[Row], known: set[str], tz: ZoneInfo) -> list[Column]:
    """A column for every key the sheet does not know yet, in the order the rows bring them."""
    found: dict[str, Kind] = {}
    for row in rows:
        for name, value in row.items():
            if name in known:
                continue
            if _moment(value) is not None:
                found[name] = Kind.MOMENT
            elif isinstance(value, str) and _DATE.fullmatch(value):
                found.setdefault(name, Kind.DATE)
            else:
                found.setdefault(name, Kind.TEXT)
    return [_column(name, EXTRA_HEADERS.get(name, name), kind, tz) for name, kind in found.items()]


def _column(name: str, header: str, kind: Kind, tz: ZoneInfo, *, technical: bool = False) -> Column:
    """A column showing one key of the row, read the way its kind needs."""
    if name == "review_status":
        return Column(header, kind, lambda row: REVIEW_LABELS.get(row.get(name), row.get(name)))
    technical = technical or header.startswith(("ID ", "Kode ")) or name in BOOKKEEPING
    if kind is Kind.MOMENT:
        return Column(header, kind, _moment_key(name, tz), technical=technical)
    if kind is Kind.DATE:
        return Column(header, kind, _date_key(name), technical=technical)
    return Column(header, kind, _key(name), technical=technical)


# --- Sheets -----------------------------------------------------------------------------------------------


def _answer_columns(field: Field) -> list[Column]:
    """One column per field (two for photos: how many, and their Telegram file ids)."""

    def answer(row: Row) -> Any:
        return (row.get("answers") or {}).get(field.key)

    if field.type is FieldType.PROGRAM:
        return [Column(field.label, Kind.TEXT, lambda row: _program_cell(field, row))]
    if field.type is FieldType.PHOTOS:
        return [
            Column(f"{field.label} (jumlah)", Kind.NUMBER, lambda row: len(answer(row) or []), total=True),
            Column(f"ID file Telegram ({field.label.lower()})", Kind.TEXT, lambda row: ", ".join(answer(row) or []),
                   technical=True),
        ]  # fmt: skip
    kinds = {FieldType.COUNT: Kind.NUMBER, FieldType.RUPIAH: Kind.RUPIAH, FieldType.DATE: Kind.DATE}
    kind = kinds.get(field.type, Kind.TEXT)
    summed = kind in (Kind.NUMBER, Kind.RUPIAH)
    return [Column(field.label, kind, lambda row: _answer_cell(field, answer(row)), total=summed, long=field.narrative)]


def _answer_cell(field: Field, value: Any) -> Any:
    if value is None:
        return None
    if field.type is FieldType.DATE:
        return _day_value(value)
    if field.type is FieldType.CHOICE and isinstance(value, str):
        return choice_label(field, value)
    if field.type is FieldType.MULTI_CHOICE and isinstance(value, list):
        return ", ".join(choice_label(field, v) for v in value) if value else field.none_label
    if field.type is FieldType.VILLAGE and isinstance(value, dict):
        return value.get("name")
    return _plain(value)


def _program_cell(field: Field, row: Row) -> Any:
    """The program kerja's name (storage/export names it), "Di luar program kerja", or empty when not asked."""
    value = (row.get("answers") or {}).get(field.key)
    if value is None:
        return None
    return program_label(field, value, {value: row["program_nama"]} if row.get("program_nama") else {})


REPORT_KEYS = {"id", "number", "kecamatan_code", "week", "version", "submitted_by_id", "submitted_by", "created_at",
               "updated_at", "answers", "versions", "program_nama"}  # fmt: skip


def _form_sheet(form: Form, rows: list[Row], names: dict[str, str], tz: ZoneInfo) -> Sheet:
    columns = [
        Column("No.", Kind.NUMBER, lambda row: row.get("number") or row.get("id")),
        Column("Kecamatan", Kind.TEXT, lambda row: names.get(row.get("kecamatan_code"), row.get("kecamatan_code"))),
        Column("Kode kecamatan", Kind.TEXT, _key("kecamatan_code"), technical=True),
    ]
    if form.weekly:
        columns.append(Column("Minggu mulai", Kind.DATE, lambda row: _day_value(row.get("week"))))
    # The answers come before who sent them when: what the page is about is printed first (see PRINT_WIDTH).
    for form_field in form.fields:
        columns += _answer_columns(form_field)
    columns += [
        Column("Dikirim (WIB)", Kind.MOMENT, _moment_key("created_at", tz)),
        Column("Diperbarui (WIB)", Kind.MOMENT, _moment_key("updated_at", tz), technical=True),
        Column("Versi", Kind.NUMBER, _key("version")),
        Column("Pengirim", Kind.TEXT, _key("submitted_by")),
        Column("ID Telegram pengirim", Kind.NUMBER, _key("submitted_by_id"), technical=True),
    ]
    # An answer to a question since removed from the form still belongs in the export.
    unknown_answers = _extras((row.get("answers") or {} for row in rows), {f.key for f in form.fields}, tz)
    columns += [_nested(extra, "answers") for extra in unknown_answers]
    columns += _extras(rows, REPORT_KEYS, tz)
    return Sheet(form.title, columns, rows, subject=texts.export_subject(form.key, form.title))


def _nested(column: Column, key: str) -> Column:
    return Column(
        column.header,
        column.kind,
        lambda row: column.value(row.get(key) or {}),
        column.technical,
        column.total,
        column.long,
    )


KIND_LABELS = {"text": "Teks", "photo": "Foto", "document": "Dokumen"}
DELIVERY_LABELS = {"sent": "terkirim", "failed": "gagal", "pending": "diproses"}
ANNOUNCEMENT_KEYS = {"id", "kind", "text", "file_id", "sender_id", "sender", "sent_at", "finished_at", "target",
                     "deliveries"}  # fmt: skip
DELIVERY_KEYS = {"kecamatan_code", "kecamatan_name", "chat_id", "status", "message_id", "error", "sent_at",
                 "acknowledged_by_id", "acknowledged_by", "acknowledged_at"}  # fmt: skip


def _announcement_sheet(announcements: list[Row], names: dict[str, str], tz: ZoneInfo) -> Sheet:
    """One row per announcement and kecamatan: delivered or not, and who acknowledged it when."""
    rows = [{"ann": ann, "delivery": d} for ann in announcements for d in (ann.get("deliveries") or [{}])]

    def ann(column: Column) -> Column:
        return _nested(column, "ann")

    def delivery(column: Column) -> Column:
        return _nested(column, "delivery")

    def target(row: Row) -> Any:
        codes = row.get("target")
        if isinstance(codes, list):
            return ", ".join(names.get(code, code) for code in codes)
        return texts.EXPORT_ALL_ACTIVE if codes == "semua" else _plain(codes)

    def read(row: Row) -> str | None:
        if row.get("acknowledged_at"):
            return "ya"
        return "belum" if row.get("status") == "sent" else None

    columns = [
        ann(Column("No. pengumuman", Kind.NUMBER, _key("id"))),
        ann(Column("Dikirim (WIB)", Kind.MOMENT, _moment_key("sent_at", tz))),
        ann(Column("Pengirim", Kind.TEXT, _key("sender"))),
        ann(Column("Jenis", Kind.TEXT, lambda row: KIND_LABELS.get(row.get("kind"), row.get("kind")))),
        ann(Column("Isi", Kind.TEXT, _key("text"), long=True)),
        ann(Column("Tujuan", Kind.TEXT, target)),
        delivery(Column("Kecamatan", Kind.TEXT, _key("kecamatan_name"))),
        delivery(Column("Kode kecamatan", Kind.TEXT, _key("kecamatan_code"), technical=True)),
        delivery(Column("Status kirim", Kind.TEXT, lambda r: DELIVERY_LABELS.get(r.get("status"), r.get("status")))),
        delivery(Column("Alasan gagal", Kind.TEXT, _key("error"))),
        delivery(Column("Diterima grup (WIB)", Kind.MOMENT, _moment_key("sent_at", tz))),
        delivery(Column("Sudah dibaca", Kind.TEXT, read)),
        delivery(Column("Dibaca oleh", Kind.TEXT, _key("acknowledged_by"))),
        delivery(Column("Dibaca (WIB)", Kind.MOMENT, _moment_key("acknowledged_at", tz))),
        ann(Column("Selesai dikirim (WIB)", Kind.MOMENT, _moment_key("finished_at", tz))),
        ann(Column("ID Telegram pengirim", Kind.NUMBER, _key("sender_id"), technical=True)),
        ann(Column("ID file Telegram", Kind.TEXT, _key("file_id"), technical=True)),
        delivery(Column("ID chat grup", Kind.NUMBER, _key("chat_id"), technical=True)),
        delivery(Column("ID pesan", Kind.NUMBER, _key("message_id"), technical=True)),
        delivery(Column("ID Telegram pembaca", Kind.NUMBER, _key("acknowledged_by_id"), technical=True)),
    ]
    columns += [ann(c) for c in _extras(announcements, ANNOUNCEMENT_KEYS, tz)]
    columns += [delivery(c) for c in _extras((r["delivery"] for r in rows), DELIVERY_KEYS, tz)]
    sent = sum(1 for r in rows if r["delivery"].get("status") == "sent")
    read_count = sum(1 for r in rows if r["delivery"].get("acknowledged_at"))
    summary = [(texts.EXPORT_ANNOUNCEMENTS, len(announcements)), (texts.EXPORT_DELIVERED, sent),
               (texts.EXPORT_READ, read_count)]  # fmt: skip
    return Sheet("Pengumuman", columns, rows, subject=texts.export_subject("pengumuman"), summary=summary)


KECAMATAN_KEYS = {"code", "name", "status", "chat_id", "chat_title"}


def _kecamatan_sheet(tables: Tables, tz: ZoneInfo) -> Sheet:
    """Every kecamatan's state now, with what it sent and acknowledged in the period."""
    reports = Counter(r.get("kecamatan_code") for r in tables.get("reports", []))
    evaluations = Counter(r.get("kecamatan_code") for r in tables.get("evaluations", []))
    deliveries = [d for a in tables.get("announcements", []) for d in a.get("deliveries") or []]
    received = Counter(d.get("kecamatan_code") for d in deliveries if d.get("status") == "sent")
    read = Counter(d.get("kecamatan_code") for d in deliveries if d.get("acknowledged_at"))

    def count(counter: Counter[Any]) -> Callable[[Row], int]:
        return lambda row: counter[row.get("code")]

    rows = tables.get("kecamatan", [])
    columns = [
        Column("Kecamatan", Kind.TEXT, _key("name")),
        Column("Status", Kind.TEXT, _key("status")),
        Column("Nama grup", Kind.TEXT, _key("chat_title")),
        Column("Laporan kegiatan", Kind.NUMBER, count(reports), total=True),
        Column("Evaluasi mingguan", Kind.NUMBER, count(evaluations), total=True),
        Column("Pengumuman diterima", Kind.NUMBER, count(received), total=True),
        Column("Pengumuman dibaca", Kind.NUMBER, count(read), total=True),
        Column("Kode kecamatan", Kind.TEXT, _key("code"), technical=True),
        Column("ID chat grup", Kind.NUMBER, _key("chat_id"), technical=True),
        *_extras(rows, KECAMATAN_KEYS, tz),
    ]
    states = Counter(row.get("status") for row in rows)
    summary = [(texts.export_kecamatan_state(state), n) for state, n in sorted(states.items(), key=lambda i: -i[1])]
    return Sheet("Status kecamatan", columns, rows, subject=texts.export_subject("kecamatan"), summary=summary)


REGISTRATION_LABELS = {
    "pending": "menunggu persetujuan",
    "active": "aktif",
    "inactive": "nonaktif",
    "rejected": "ditolak",
    "retired": "diganti",
    "withdrawn": "dibatalkan",
}
CHAT_COLUMNS = (
    ("registration_id", "No. pendaftaran", Kind.NUMBER),
    ("title", "Nama grup", Kind.TEXT),
    ("kecamatan_name", "Kecamatan", Kind.TEXT),
    ("kecamatan_code", "Kode kecamatan", Kind.TEXT),
    ("status", "Status", Kind.TEXT),
    ("requested_by", "Diajukan oleh", Kind.TEXT),
    ("requested_at", "Diajukan (WIB)", Kind.MOMENT),
    ("approved_by", "Diputuskan oleh", Kind.TEXT),
    ("decided_at", "Diputuskan (WIB)", Kind.MOMENT),
    ("ended_at", "Berakhir (WIB)", Kind.MOMENT),
    ("end_reason", "Alasan berakhir", Kind.TEXT),
    ("chat_id", "ID chat grup", Kind.NUMBER),
    ("requested_by_id", "ID Telegram pengaju", Kind.NUMBER),
    ("approved_by_id", "ID Telegram pemutus", Kind.NUMBER),
)


def _registration_status(row: Row) -> Any:
    return REGISTRATION_LABELS.get(row.get("status"), row.get("status"))


def _chat_sheet(rows: list[Row], tz: ZoneInfo) -> Sheet:
    """Every registration ever made: which group claimed which kecamatan, and what became of it."""
    columns = [
        Column(header, kind, _registration_status) if name == "status" else _column(name, header, kind, tz)
        for name, header, kind in CHAT_COLUMNS
    ]
    columns += _extras(rows, {name for name, _, _ in CHAT_COLUMNS}, tz)
    return Sheet("Riwayat grup", columns, rows, subject=texts.export_subject("grup"))


# --- Program kerja (issue 17) ------------------------------------------------------------------------------

PLAN_TABLES = ("program_plans", "program_activities")


def _plans_in(tables: Tables, period: Period) -> list[Row]:
    """The plans of the years the period touches (every year for the whole export)."""
    plans = tables.get("program_plans", [])
    if period.start is None or period.end is None:
        return plans
    first, last = period.start.year, period.end.year
    return [plan for plan in plans if first <= plan["year"] <= last]


def _program_of(data: dict[str, Any]) -> Program:
    return Program(**(data | {"sasaran_ppks": tuple(data["sasaran_ppks"]), "bulan": tuple(data["bulan"])}))


def _plan_columns(names: dict[str, str]) -> list[Column]:
    """What says whose plan a row is about: kecamatan, year, version and its status."""

    def plan(key: str) -> Callable[[Row], Any]:
        return lambda row: row["plan"].get(key)

    return [
        Column("Kecamatan", Kind.TEXT, lambda row: names.get(row["plan"]["kecamatan_code"],
                                                             row["plan"]["kecamatan_code"])),
        Column("Tahun", Kind.NUMBER, plan("year")),
        Column("Versi", Kind.NUMBER, plan("version")),
        Column("Status rencana", Kind.TEXT, lambda row: pk.STATUS_LABELS.get(row["plan"]["status"],
                                                                             row["plan"]["status"])),
        Column("No.", Kind.NUMBER, lambda row: row["number"]),
    ]  # fmt: skip


def _program_ids() -> list[Column]:
    return [
        Column("Kode kecamatan", Kind.TEXT, lambda row: row["plan"]["kecamatan_code"], technical=True),
        Column("ID program", Kind.TEXT, lambda row: row["program"].uid, technical=True),
    ]


def _plan_sheet(plans: list[Row], names: dict[str, str]) -> Sheet:
    """One row per program of each kecamatan's plan (in force, else the newest version), every field in words."""
    rows = [{"plan": plan, "program": _program_of(data), "number": number}
            for plan in plans for number, data in enumerate(plan.get("programs") or [], start=1)]  # fmt: skip
    label = pk.FIELD_LABELS

    def program(read: Callable[[Program, Row], Any]) -> Callable[[Row], Any]:
        return lambda row: read(row["program"], row["plan"])

    columns = [
        *_plan_columns(names),
        Column(label["nama"], Kind.TEXT, program(lambda p, _: p.nama)),
        Column(label["bidang"], Kind.TEXT, program(lambda p, _: bidang_label(p.bidang))),
        Column(label["tujuan"], Kind.TEXT, program(lambda p, _: p.tujuan), long=True),
        Column(label["sasaran_ppks"], Kind.TEXT, program(lambda p, _: ", ".join(map(ppks_label, p.sasaran_ppks)))),
        Column(label["sasaran_lain"], Kind.TEXT, program(lambda p, _: p.sasaran_lain)),
        Column(label["bulan"], Kind.TEXT, program(lambda p, _: bulan_label(p.bulan))),
        Column(label["lokasi"], Kind.TEXT,
               program(lambda p, plan: lokasi_label(p.lokasi, kecamatan_by_code(plan["kecamatan_code"])))),
        Column(label["target_peserta"], Kind.NUMBER, program(lambda p, _: p.target_peserta), total=True),
        Column(label["target_penerima"], Kind.NUMBER, program(lambda p, _: p.target_penerima), total=True),
        Column(label["anggaran"], Kind.RUPIAH, program(lambda p, _: p.anggaran), total=True),
        Column(label["sumber_dana"], Kind.TEXT, program(lambda p, _: sumber_label(p.sumber_dana))),
        Column(label["penanggung_jawab"], Kind.TEXT, program(lambda p, _: p.penanggung_jawab)),
        Column(label["indikator"], Kind.TEXT, program(lambda p, _: p.indikator), long=True),
        Column("Diajukan oleh", Kind.TEXT, lambda row: row["plan"].get("submitted_by")),
        Column("Catatan Dinsos", Kind.TEXT, lambda row: row["plan"].get("review_note")),
        *_program_ids(),
    ]  # fmt: skip
    states = Counter(plan["status"] for plan in plans)
    summary = [(pkx.export_plans_in(pk.STATUS_LABELS.get(status, status)), count)
               for status, count in sorted(states.items(), key=lambda item: -item[1])]  # fmt: skip
    return Sheet("Program kerja", columns, rows, subject=pkx.EXPORT_PLAN_SUBJECT, summary=summary)


def _activity_of(row: Row) -> Activity:
    return Activity(
        report_id=row["report_id"], number=row["number"], kecamatan_code=row["kecamatan_code"],
        tanggal=date.fromisoformat(row["tanggal"]), program_uid=row["program_uid"], nama=row["nama"], bidang="",
        lokasi="", peserta=row["peserta"], penerima=row["penerima"], dana=row["dana"], photos=(), hasil="",
        review_status=None,
    )  # fmt: skip


def _realization_sheet(plans: list[Row], activity_rows: list[Row], names: dict[str, str], today: date) -> Sheet:
    """Each program of those plans with what its linked laporan add up to, counted up to `today` (WIB)."""
    activities = [_activity_of(row) for row in activity_rows]
    rows: list[Row] = []
    linked: set[int] = set()
    for plan in plans:
        programs = [_program_of(data) for data in plan.get("programs") or []]
        theirs = [a for a in activities if a.kecamatan_code == plan["kecamatan_code"]]
        realized = realization.realize(programs, theirs, year=plan["year"], today=today)
        for number, done in enumerate(realized, start=1):
            rows.append({"plan": plan, "program": done.program, "number": number, "done": done})
            linked.update(a.report_id for a in done.activities)
    years = {plan["year"] for plan in plans}
    outside = sum(1 for a in activities if a.tanggal.year in years and a.report_id not in linked)

    def done(read: Callable[[realization.ProgramRealization], Any]) -> Callable[[Row], Any]:
        return lambda row: read(row["done"])

    def months(values: tuple[int, ...]) -> str | None:
        return bulan_label(values) if values else None

    columns = [
        *_plan_columns(names),
        Column(pk.FIELD_LABELS["nama"], Kind.TEXT, done(lambda r: r.program.nama)),
        Column("Bulan rencana", Kind.TEXT, done(lambda r: bulan_label(r.program.bulan))),
        Column("Status realisasi", Kind.TEXT, done(lambda r: pk.REALIZATION_LABELS[r.status])),
        Column("Bulan terlaksana", Kind.TEXT, done(lambda r: months(r.months_done))),
        Column("Bulan terlambat", Kind.TEXT, done(lambda r: months(r.late_months))),
        Column("Jumlah kegiatan", Kind.NUMBER, done(lambda r: len(r.activities)), total=True),
        Column("Peserta", Kind.NUMBER, done(lambda r: r.peserta), total=True),
        Column("Target peserta", Kind.NUMBER, done(lambda r: r.program.target_peserta), total=True),
        Column("Penerima manfaat", Kind.NUMBER, done(lambda r: r.penerima), total=True),
        Column("Target penerima manfaat", Kind.NUMBER, done(lambda r: r.program.target_penerima), total=True),
        Column("Dana terpakai", Kind.RUPIAH, done(lambda r: r.dana), total=True),
        Column("Anggaran", Kind.RUPIAH, done(lambda r: r.program.anggaran), total=True),
        Column("Kegiatan terakhir", Kind.DATE, done(lambda r: r.last.tanggal if r.last else None)),
        Column("Nama kegiatan terakhir", Kind.TEXT, done(lambda r: r.last.nama if r.last else None)),
        *_program_ids(),
    ]
    summary = [
        (pkx.EXPORT_COUNTED_UNTIL, format_date(today)),
        (pkx.EXPORT_PROGRAMS_DONE, sum(r["done"].status == realization.DONE for r in rows)),
        (pkx.EXPORT_PROGRAMS_LATE, sum(r["done"].late for r in rows)),
        (pkx.EXPORT_OUTSIDE, outside),
    ]
    return Sheet("Realisasi", columns, rows, subject=pkx.EXPORT_REALIZATION_SUBJECT, summary=summary)


def _generic_sheet(name: str, rows: list[Row], tz: ZoneInfo) -> Sheet:
    """A table this module does not know yet: its keys as headers, moments in WIB."""
    return Sheet(re.sub(r"[\[\]:*?/\\]", "_", name)[:31], _extras(rows, set(), tz), rows)


def _notes_sheet(period: Period, generated_at: datetime, tz: ZoneInfo) -> Sheet:
    rows = [
        {"label": "Periode", "value": period.label},
        {"label": "Dibuat (WIB)", "value": generated_at.astimezone(tz).replace(tzinfo=None, microsecond=0)},
        {"label": "Catatan", "value": texts.EXPORT_NOTE},
    ]
    columns = [Column("Keterangan", Kind.TEXT, _key("label")), Column("Isi", Kind.TEXT, _key("value"))]
    return Sheet("Keterangan", columns, rows, subject=texts.export_subject("keterangan"))


def bundled_forms() -> dict[str, Form]:
    """The built-in forms as the bot ships them (their current versions are bot.xlsform.builtin.currents)."""
    from bot.xlsform import builtin  # reads the bundled workbooks with pyxform: only when asked

    return {key: schema.of(builtin.form(key)) for key in builtin.KEYS}


def sheets(
    tables: Tables, *, tz: ZoneInfo, period: Period, generated_at: datetime, extra: Iterable[Sheet] = (),
    forms: Mapping[str, Form] | None = None,
) -> list[Sheet]:
    """The workbook's sheets in order: reports, evaluations, `extra` (the XLSForm forms), announcements,
    kecamatan, program kerja and its realization, groups, any newer table. `forms`: the built-in forms' current
    versions, whose questions give the columns (the bundled ones when not given)."""
    forms = forms or bundled_forms()
    names = {k["code"]: k["name"] for k in tables.get("kecamatan", [])}
    made = [_form_sheet(forms[form], tables.get(table, []), names, tz) for table, form in FORM_TABLES.items()]
    made += extra
    made.append(_announcement_sheet(tables.get("announcements", []), names, tz))
    made.append(_kecamatan_sheet(tables, tz))
    plans = _plans_in(tables, period)
    made.append(_plan_sheet(plans, names))
    today = generated_at.astimezone(tz).date()  # the export's clock: a month has ended or not as of now
    made.append(_realization_sheet(plans, tables.get("program_activities", []), names, today))
    made.append(_chat_sheet(tables.get("chats", []), tz))
    known = {*FORM_TABLES, "announcements", "kecamatan", "chats", "xlsforms", *PLAN_TABLES}
    made += [_generic_sheet(name, rows, tz) for name, rows in tables.items() if name not in known]
    made.append(_notes_sheet(period, generated_at, tz))
    return made


# --- Writing ----------------------------------------------------------------------------------------------

FONT_NAME = "Calibri"  # one font for the whole workbook (LibreOffice shows its metric twin, Carlito)
BODY_FONT = Font(name=FONT_NAME, size=10)
HEADER_FONT = Font(name=FONT_NAME, size=10, bold=True)
TITLE_FONT = Font(name=FONT_NAME, size=14, bold=True)
SUBJECT_FONT = Font(name=FONT_NAME, size=12, bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TECHNICAL_FILL = PatternFill("solid", fgColor="EDEDED")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
WRAPPED = Alignment(wrap_text=True, vertical="top")
# Numbers and dates sit right, one indent from the border, so they do not run into the text of the next column.
FIGURE = Alignment(horizontal="right", indent=1, vertical="top")
# The title block takes rows 1-4, a blank row, then the header; the header repeats on every printed page.
HEADER_ROW = 6
LINE_POINTS = 13.5  # one line of 10-point text
MAX_LINES = 15  # a row taller than this is cut on screen, never on the data


@dataclass(frozen=True)
class Stamp:
    """What the title block says about the whole workbook."""

    period: str
    made: str


def to_xlsx(
    tables: Tables, *, tz: ZoneInfo, period: Period = EVERYTHING, generated_at: datetime, extra: Iterable[Sheet] = (),
    forms: Mapping[str, Form] | None = None,
) -> bytes:
    """The workbook as bytes; `tables` are shown as given (filter them with `within` first)."""
    made = sheets(tables, tz=tz, period=period, generated_at=generated_at, extra=extra, forms=forms)
    return sheets_xlsx(made, tz=tz, period=period, generated_at=generated_at)


def sheets_xlsx(made: Iterable[Sheet], *, tz: ZoneInfo, period: Period = EVERYTHING, generated_at: datetime) -> bytes:
    """These sheets alone, laid out as the whole export's are (one form's download on the dashboard)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    stamp = Stamp(period.label, long_wib(generated_at, tz))
    for sheet in made:
        _write(workbook.create_sheet(sheet.title), sheet, stamp)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write(ws: Worksheet, sheet: Sheet, stamp: Stamp) -> None:
    columns = sheet.ordered
    _title_block(ws, sheet, stamp)
    # A header wraps at its spaces, so only its longest word sets a minimum width.
    widths = [max(len(word) for word in (column.header or " ").split()) for column in columns]
    for number, column in enumerate(columns, start=1):
        cell = ws.cell(HEADER_ROW, number, column.header)
        cell.font, cell.alignment = HEADER_FONT, WRAPPED
        cell.fill = TECHNICAL_FILL if column.technical else HEADER_FILL
    values = [[column.value(row) for column in columns] for row in sheet.rows]
    for line in values:
        for number, (column, value) in enumerate(zip(columns, line, strict=True), start=1):
            widths[number - 1] = max(widths[number - 1], _width(column.kind, value))
    widths = [min(max(width + 2, MIN_WIDTH), _max_width(column)) for width, column in zip(widths, columns, strict=True)]
    for number, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(number)].width = width
    for offset, line in enumerate(values):
        row_number = HEADER_ROW + 1 + offset
        for number, (column, value) in enumerate(zip(columns, line, strict=True), start=1):
            _set(ws, row_number, number, column.kind, value)
        ws.row_dimensions[row_number].height = _height(line, widths)
    ws.row_dimensions[HEADER_ROW].height = _height([c.header for c in columns], widths)
    last_row = HEADER_ROW + len(values)
    _totals(ws, sheet, columns, values, last_row + 1)
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    if columns:
        ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(columns))}{max(last_row, HEADER_ROW)}"
    printed = _printed_columns(columns, widths)
    end = last_row + 1 + len(sheet.summary) + (1 if sheet.summary else 0)
    ws.print_area = f"A1:{get_column_letter(max(printed, 1))}{end}"
    _print_setup(ws)


def _title_block(ws: Worksheet, sheet: Sheet, stamp: Stamp) -> None:
    lines = [
        (texts.office(), TITLE_FONT),
        (sheet.subject or sheet.title, SUBJECT_FONT),
        (texts.export_period_line(stamp.period), BODY_FONT),
        (texts.export_made_line(stamp.made), BODY_FONT),
    ]
    for number, (text, font) in enumerate(lines, start=1):
        cell = ws.cell(number, 1, text)
        cell.font = font
        cell.data_type = "s"


def _totals(ws: Worksheet, sheet: Sheet, columns: list[Column], values: list[list[Any]], at: int) -> None:
    """A totals row (how many rows, and the sum of each counted column), then the sheet's summary lines."""
    label = ws.cell(at, 1, texts.export_total(len(values)))
    label.font, label.fill = HEADER_FONT, TOTAL_FILL
    for number, column in enumerate(columns, start=1):
        if number > 1:
            ws.cell(at, number).fill = TOTAL_FILL
        if column.total and number > 1:
            total = sum(v for v in (line[number - 1] for line in values) if isinstance(v, int | float))
            cell = ws.cell(at, number, total)
            cell.font, cell.number_format, cell.alignment = HEADER_FONT, column.kind.value, FIGURE
    for offset, (text, value) in enumerate(sheet.summary, start=2):
        ws.cell(at + offset, 1, text).font = BODY_FONT
        ws.cell(at + offset, 2, value).font = BODY_FONT


def _print_setup(ws: Worksheet) -> None:
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = texts.EXPORT_PAGE_FOOTER
    ws.oddFooter.center.font = FONT_NAME


def _printed_columns(columns: list[Column], widths: list[int]) -> int:
    """How many columns from the left go on paper: never a technical one, at most PRINT_WIDTH wide, at least one."""
    used = count = 0
    for column, width in zip(columns, widths, strict=True):
        if column.technical or (count and used + width > PRINT_WIDTH):
            break
        used, count = used + width, count + 1
    return max(count, 1)


def _max_width(column: Column) -> int:
    """Long text wraps within a readable width; ids and file ids stay narrow (they are for machines)."""
    if column.technical:
        return 20
    if column.kind is Kind.TEXT:
        return MAX_WIDTH if column.long else TEXT_WIDTH
    return 18 if column.kind is Kind.MOMENT else 16


def _height(line: list[Any], widths: list[int]) -> float:
    """Points for a row whose wrapped text shows every line (LibreOffice does not grow rows by itself)."""
    most = 1
    for value, width in zip(line, widths, strict=False):
        if isinstance(value, str) and value:
            # A width unit holds a little more than one 10-point character.
            per_line = max(int(width * 1.15) - 1, 1)
            lines = sum(max(1, -(-len(part) // per_line)) for part in value.splitlines() or [""])
            most = max(most, lines)
    return LINE_POINTS * min(most, MAX_LINES) + 2


def _set(ws: Worksheet, line: int, number: int, kind: Kind, value: Any) -> None:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = ws.cell(line, number, value)
    cell.font = BODY_FONT
    cell.alignment = WRAPPED if isinstance(value, str) else FIGURE
    if isinstance(value, str):
        # What people typed is text, even when it starts with '=' (a formula would run in Dinsos' Excel).
        cell.data_type = "s"
    elif isinstance(value, datetime):
        cell.number_format = Kind.MOMENT.value
    elif isinstance(value, date):
        cell.number_format = Kind.DATE.value
    elif isinstance(value, int | float) and kind in (Kind.NUMBER, Kind.RUPIAH):
        cell.number_format = kind.value


def _width(kind: Kind, value: Any) -> int:
    if value is None:
        return 0
    if kind in FIXED_WIDTH and isinstance(value, date):
        return FIXED_WIDTH[kind]
    if kind is Kind.RUPIAH and isinstance(value, int | float):
        return len(f"{value:,.0f}") + 3
    return max((len(part) for part in str(value).splitlines()), default=0)


# --- With photos ------------------------------------------------------------------------------------------

MISSING_LIST = "foto/TIDAK-TERUNDUH.txt"


@dataclass(frozen=True)
class Photo:
    """One documentation photo of a report (or a photo answer of an XLSForm submission), and where it goes in the
    ZIP."""

    report: str  # 'Laporan kegiatan #3', 'Pendataan keluarga #5 (Sumber)'
    path: str  # 'foto/laporan-3/1.jpg', 'foto/pendataan-5-sumber/anak-2-foto.jpg'
    number: int
    file_id: str


def photos_of(tables: Tables, forms: Mapping[str, Form] | None = None) -> list[Photo]:
    """Every photo in the reports' current answers, numbered per report."""
    forms = forms or bundled_forms()
    found = []
    for table, key in FORM_TABLES.items():
        form = forms[key]
        for row in tables.get(table, []):
            answers = row.get("answers") or {}
            ids = [fid for f in form.fields if f.type is FieldType.PHOTOS for fid in answers.get(f.key) or []]
            for number, file_id in enumerate(ids, start=1):
                shown = row.get("number") or row["id"]
                report = f"{form.title} #{shown}"
                found.append(Photo(report, f"foto/{key}-{shown}/{number}.jpg", number, file_id))
    return found


async def fetch_photos(bot: Bot, photos: list[Photo]) -> tuple[dict[str, bytes], list[tuple[Photo, str]]]:
    """Download each photo with getFile; one that Telegram will not give is returned with the reason."""
    fetched: dict[str, bytes] = {}
    missing: list[tuple[Photo, str]] = []
    for photo in photos:
        try:
            fetched[photo.path] = await download(bot, photo.file_id)
        except TelegramError as exc:
            logger.warning("Photo %s of %s not fetched: %s", photo.number, photo.report, exc.message)
            missing.append((photo, exc.message))
    return fetched, missing


def photos_zip(
    workbook_name: str, workbook: bytes, fetched: dict[str, bytes], missing: list[tuple[Photo, str]]
) -> bytes:
    """The workbook, the photos in one folder per report, and the list of photos that could not be fetched."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(workbook_name, workbook)
        for path, data in fetched.items():
            # JPEGs are compressed already.
            archive.writestr(path, data, compress_type=zipfile.ZIP_STORED)
        if missing:
            lines = [texts.EXPORT_PHOTOS_MISSING_HEADER, ""]
            lines += [texts.export_photo_missing(p.report, p.number, p.file_id, reason) for p, reason in missing]
            archive.writestr(MISSING_LIST, "\n".join(lines) + "\n")
    return buffer.getvalue()


async def zip_with_photos(
    config: Config, tables: Tables, workbook_name: str, workbook: bytes, extra: Iterable[Photo] = (),
    forms: Mapping[str, Form] | None = None,
) -> tuple[bytes, int]:
    """The ZIP for `export --with-photos`, fetching through the configured Bot API; returns it and how many
    photos are missing. `extra`: the XLSForm forms' photos (bot.xlsform.export.photos)."""
    photos = [*photos_of(tables, forms), *extra]
    fetched: dict[str, bytes] = {}
    missing: list[tuple[Photo, str]] = []
    if photos:
        bot = Bot(config.bot_token, base_url=config.base_url, base_file_url=config.base_file_url)
        try:
            await bot.initialize()
            fetched, missing = await fetch_photos(bot, photos)
        except TelegramError as exc:
            # Telegram unreachable or the token refused (getMe failed): every photo is missing for the same
            # reason, and the workbook still goes out.
            logger.warning("Bot API not reachable for photos: %s", exc.message)
            missing = [(photo, exc.message) for photo in photos]
        finally:
            await bot.shutdown()
    return photos_zip(workbook_name, workbook, fetched, missing), len(missing)
