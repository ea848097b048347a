"""The Excel template of a program kerja: written for a kecamatan and year, and read back when a pengurus sends it
filled in.

One row per program, the columns of model.FIELDS in order, except the months: twelve narrow columns Jan..Des
where a person writes 'ya' (a dropdown), which read back as the list of months. Bidang, sumber dana and lokasi
are dropdowns fed from a hidden list sheet; PPKS is a dropdown that also takes typing, several separated by
commas. A very hidden sheet carries a marker (what this is, the template's version, the kecamatan and the year),
so the bot knows a filled template among other workbooks, and a hidden column carries each program's uid, so a
program changed in Excel keeps the laporan linked to it. Every row goes through model.read_program, the one check.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from bot.program_kerja.lists import BIDANG, PPKS, SUMBER_DANA
from bot.program_kerja.model import (
    BULAN_PENDEK,
    FIELDS,
    MAX_PROGRAMS,
    Program,
    bidang_label,
    lokasi_label,
    ppks_label,
    read_program,
    sumber_label,
)
from bot.texts import file_size
from bot.texts import program_excel as t
from bot.texts import program_kerja as pk
from bot.texts.region import villages
from bot.wilayah import Kecamatan, kecamatan_by_code

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CellProblem:
    row: int  # the sheet's row number as Excel shows it
    column: str  # the column's header, as in bot/texts/program_kerja.FIELD_LABELS
    message: str  # Indonesian


@dataclass
class TemplateRead:
    year: int | None
    programs: list[Program] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)
    refused: str | None = None  # the whole file is not a template (another workbook, a damaged file)


@dataclass(frozen=True)
class Marker:
    """What the hidden marker sheet says: the template's version, and whose plan for which year it is."""

    version: int
    kecamatan_code: str
    year: int


TEMPLATE_VERSION = 1
MARK = "karangtaruna:program-kerja"
MAIN_SHEET, HELP_SHEET, LIST_SHEET, MARKER_SHEET = "Program kerja", "Petunjuk", "Daftar", "penanda"
GROUP_ROW, HEADER_ROW = 4, 5  # the months' common header above their own, then every column's header
FIRST_ROW = HEADER_ROW + 1
MAX_BYTES = 1024 * 1024  # the template with 60 full rows is about 30 KB
MAX_UNPACKED = 8 * 1024 * 1024  # what the zip may unpack to: a small file must not become a huge workbook
HEADER_SCAN = 15  # rows searched for the header row (someone may have inserted a line above it)
MONTH_KEYS = tuple(f"bulan:{n}" for n in range(1, 13))
# Marks that say "this month": what the dropdown gives, and what people type instead in a hurry.
YES_MARKS = {"ya", "y", "yes", "v", "x", "1", "true", "ok", "✓", "✔", "√"}
NO_MARKS = {"", "tidak", "tdk", "t", "no", "n", "-", "0", "false"}


@dataclass(frozen=True)
class _Column:
    key: str  # a field of model.FIELDS, 'bulan:<n>', 'no' or 'uid'
    header: str
    width: float


def _columns() -> tuple[_Column, ...]:
    widths = {"nama": 30, "bidang": 24, "tujuan": 30, "sasaran_ppks": 26, "sasaran_lain": 18, "lokasi": 18,
              "target_peserta": 10, "target_penerima": 11, "anggaran": 14, "sumber_dana": 11,
              "penanggung_jawab": 18, "indikator": 30}  # fmt: skip
    columns = [_Column("no", t.NUMBER_HEADER, 5)]
    for name in FIELDS:
        if name == "bulan":
            columns += [_Column(key, short, 5) for key, short in zip(MONTH_KEYS, BULAN_PENDEK, strict=True)]
        else:
            columns.append(_Column(name, pk.FIELD_LABELS[name], widths[name]))
    columns.append(_Column("uid", t.UID_HEADER, 12))
    return tuple(columns)


COLUMNS = _columns()
_INDEX = {column.key: number for number, column in enumerate(COLUMNS, start=1)}
_DATA_KEYS = tuple(c.key for c in COLUMNS if c.key not in ("no", "uid"))  # what makes a row non-empty
_REQUIRED = ("nama", "bidang", "tujuan", "lokasi", "target_peserta", "target_penerima", "anggaran", "sumber_dana",
             "penanggung_jawab", "indikator")  # fmt: skip

FONT = "Calibri"
TITLE_FONT = Font(name=FONT, size=14, bold=True)
BODY_FONT = Font(name=FONT, size=10)
HEADER_FONT = Font(name=FONT, size=10, bold=True)
REQUIRED_FILL = PatternFill("solid", fgColor="DDEBF7")
OPTIONAL_FILL = PatternFill("solid", fgColor="EDEDED")
THIN = Side(style="thin", color="A6A6A6")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAPPED = Alignment(wrap_text=True, vertical="top")
CENTERED = Alignment(horizontal="center", vertical="top")


# --- writing ------------------------------------------------------------------------------------------------


def workbook(kecamatan: Kecamatan, year: int, programs: Sequence[Program] = ()) -> bytes:
    """The template as an .xlsx, holding `programs` when given (the plan so far)."""
    book = Workbook()
    main = book.active
    main.title = MAIN_SHEET
    lists = _write_lists(book.create_sheet(LIST_SHEET), kecamatan)
    _write_main(main, kecamatan, year, programs[:MAX_PROGRAMS], lists)
    _write_help(book.create_sheet(HELP_SHEET))
    _write_marker(book.create_sheet(MARKER_SHEET), kecamatan, year)
    book.active = 0
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_lists(ws: Worksheet, kecamatan: Kecamatan) -> dict[str, str]:
    """The dropdowns' choices, one column each, on a hidden sheet; returns each list's range for a validation."""
    choices = {
        "bidang": [c.label for c in BIDANG],
        "sumber_dana": [c.label for c in SUMBER_DANA],
        "lokasi": [pk.LOKASI_KECAMATAN, *(v.name for v in kecamatan.villages)],
        "sasaran_ppks": [c.label for c in PPKS],
    }
    ranges = {}
    for number, ((key, values), header) in enumerate(zip(choices.items(), t.LIST_HEADERS, strict=True), start=1):
        letter = get_column_letter(number)
        ws.cell(1, number, header).font = HEADER_FONT
        for offset, value in enumerate(values, start=2):
            ws.cell(offset, number, value).data_type = "s"
        ws.column_dimensions[letter].width = 40
        ranges[key] = f"{_quoted(LIST_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
    ws.sheet_state = "hidden"
    return ranges


def _quoted(sheet: str) -> str:
    return f"'{sheet}'" if re.search(r"\W", sheet) else sheet


def _write_main(ws: Worksheet, kecamatan: Kecamatan, year: int, programs: Sequence[Program],
                lists: dict[str, str]) -> None:  # fmt: skip
    ws.cell(1, 1, t.template_title(kecamatan.name, year)).font = TITLE_FONT
    note = ws.cell(2, 1, t.TEMPLATE_NOTE)
    note.font = BODY_FONT
    first_month, last_month = _INDEX[MONTH_KEYS[0]], _INDEX[MONTH_KEYS[-1]]
    group = ws.cell(GROUP_ROW, first_month, t.MONTHS_GROUP)
    group.font, group.alignment, group.fill = HEADER_FONT, CENTERED, REQUIRED_FILL
    ws.merge_cells(start_row=GROUP_ROW, start_column=first_month, end_row=GROUP_ROW, end_column=last_month)
    for number, column in enumerate(COLUMNS, start=1):
        cell = ws.cell(HEADER_ROW, number, column.header)
        cell.font, cell.alignment, cell.border = HEADER_FONT, WRAPPED, GRID
        required = column.key in _REQUIRED or column.key.startswith("bulan:")
        cell.fill = REQUIRED_FILL if required else OPTIONAL_FILL
        ws.column_dimensions[get_column_letter(number)].width = column.width
    ws.row_dimensions[HEADER_ROW].height = 42
    last_row = FIRST_ROW + MAX_PROGRAMS - 1
    for offset in range(MAX_PROGRAMS):
        row = FIRST_ROW + offset
        values = _row_values(programs[offset], kecamatan) if offset < len(programs) else {}
        values["no"] = offset + 1
        for number, column in enumerate(COLUMNS, start=1):
            _set(ws.cell(row, number), column.key, values.get(column.key))
        if offset < len(programs):
            ws.row_dimensions[row].height = _height(values)
    _validations(ws, lists, last_row)
    ws.column_dimensions[get_column_letter(_INDEX["uid"])].hidden = True
    ws.freeze_panes = ws.cell(FIRST_ROW, _INDEX["bidang"])  # No. and Nama stay in view when scrolling right
    _print_setup(ws, f"A1:{get_column_letter(_INDEX['uid'] - 1)}{last_row}", f"{GROUP_ROW}:{HEADER_ROW}")


def _row_values(program: Program, kecamatan: Kecamatan) -> dict[str, Any]:
    """A program as a person reads it in the sheet: labels, not codes."""
    values: dict[str, Any] = {
        "nama": program.nama,
        "bidang": bidang_label(program.bidang),
        "tujuan": program.tujuan,
        "sasaran_ppks": ", ".join(ppks_label(code) for code in program.sasaran_ppks),
        "sasaran_lain": program.sasaran_lain,
        "lokasi": lokasi_label(program.lokasi, kecamatan),
        "target_peserta": program.target_peserta,
        "target_penerima": program.target_penerima,
        "anggaran": program.anggaran,
        "sumber_dana": sumber_label(program.sumber_dana),
        "penanggung_jawab": program.penanggung_jawab,
        "indikator": program.indikator,
        "uid": program.uid,
    }
    values.update({MONTH_KEYS[m - 1]: t.YES for m in program.bulan})
    return values


def _height(values: dict[str, Any]) -> float:
    """Points for a pre-filled row whose wrapped text shows (LibreOffice does not grow rows by itself)."""
    lines = 1
    for column in COLUMNS:
        value = values.get(column.key)
        if isinstance(value, str) and column.key != "uid":
            per_line = max(int(column.width * 1.15) - 1, 1)  # a width unit holds a little more than a character
            lines = max(lines, -(-len(value) // per_line))
    return 13.5 * min(lines, 10) + 2


def _set(cell: Any, key: str, value: Any) -> None:
    cell.value = value
    cell.font, cell.border = BODY_FONT, GRID
    if key in ("no",) or key.startswith("bulan:"):
        cell.alignment = CENTERED
    elif key in ("target_peserta", "target_penerima", "anggaran"):
        cell.number_format = "#,##0"
        cell.alignment = Alignment(vertical="top")
    else:
        # Text stays text: a name starting with '=' is not a formula, '01' keeps its zero.
        cell.number_format = "@"
        cell.alignment = WRAPPED
        if isinstance(value, str):
            cell.data_type = "s"


def _validations(ws: Worksheet, lists: dict[str, str], last_row: int) -> None:
    # A list's formula is stored without '=', as Excel writes it (with one, Excel offers to repair the file).
    def column_range(key: str) -> str:
        letter = get_column_letter(_INDEX[key])
        return f"{letter}{FIRST_ROW}:{letter}{last_row}"

    def prompt(key: str, text: str) -> dict[str, Any]:
        title = t.PICK_FROM_LIST if key in lists else pk.FIELD_LABELS.get(key, "")
        return {"promptTitle": title[:32], "prompt": villages(text)[:255], "showInputMessage": True}

    for key in ("bidang", "sumber_dana", "lokasi"):
        rule = DataValidation(type="list", formula1=lists[key], allow_blank=True, showErrorMessage=True,
                              errorTitle=pk.FIELD_LABELS[key][:32], error=t.PICK_ERROR,
                              **prompt(key, t.HINTS[key]))  # fmt: skip
        rule.add(column_range(key))
        ws.add_data_validation(rule)
    # PPKS: the dropdown offers one; typing several, separated by commas, must stay possible (no error shown).
    ppks = DataValidation(type="list", formula1=lists['sasaran_ppks'], allow_blank=True,
                          showErrorMessage=False, **prompt("sasaran_ppks", t.HINTS["sasaran_ppks"]))  # fmt: skip
    ppks.add(column_range("sasaran_ppks"))
    ws.add_data_validation(ppks)
    months = DataValidation(type="list", formula1=f'"{t.YES}"', allow_blank=True, showErrorMessage=True,
                            errorTitle=pk.FIELD_LABELS["bulan"][:32], error=t.MONTH_PROMPT,
                            promptTitle=pk.FIELD_LABELS["bulan"][:32], prompt=t.MONTH_PROMPT,
                            showInputMessage=True)  # fmt: skip
    first, last = get_column_letter(_INDEX[MONTH_KEYS[0]]), get_column_letter(_INDEX[MONTH_KEYS[-1]])
    months.add(f"{first}{FIRST_ROW}:{last}{last_row}")
    ws.add_data_validation(months)
    # Numbers: a warning only, so '1.500.000' typed as text still goes in and is read by the bot.
    numbers = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                             showErrorMessage=True, errorStyle="warning", error=t.NUMBER_WARNING)  # fmt: skip
    for key in ("target_peserta", "target_penerima", "anggaran"):
        numbers.add(column_range(key))
    ws.add_data_validation(numbers)
    for key in ("nama", "tujuan", "sasaran_lain", "penanggung_jawab", "indikator"):
        hint = DataValidation(allow_blank=True, **prompt(key, t.HINTS[key]))
        hint.add(column_range(key))
        ws.add_data_validation(hint)


def _write_help(ws: Worksheet) -> None:
    """The 'Petunjuk' sheet: how to fill in, each column explained, the 10 bidang and the 26 PPKS."""
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 90
    ws.cell(1, 1, t.HELP_SHEET_TITLE).font = TITLE_FONT
    row = 3
    for step in t.HELP_STEPS:
        ws.cell(row, 1, step).font = BODY_FONT
        row += 1
    row += 1
    row = _help_table(ws, row, (t.HELP_COLUMN, t.HELP_EXPLANATION),
                      [(pk.FIELD_LABELS[name], villages(t.HINTS[name])) for name in FIELDS])  # fmt: skip
    row += 1
    ws.cell(row, 1, t.HELP_BIDANG).font = HEADER_FONT
    row = _help_table(ws, row + 1, (t.HELP_NUMBER, t.HELP_NAME),
                      [(str(n), c.label) for n, c in enumerate(BIDANG, start=1)])  # fmt: skip
    row += 1
    ws.cell(row, 1, t.HELP_PPKS).font = HEADER_FONT
    end = _help_table(ws, row + 1, (t.HELP_CODE, t.HELP_NAME), [(c.value, c.label) for c in PPKS])
    _print_setup(ws, f"A1:B{end}", None)


def _help_table(ws: Worksheet, row: int, headers: tuple[str, str], lines: list[tuple[str, str]]) -> int:
    """A two-column table from `row`; returns the row after it."""
    for number, header in enumerate(headers, start=1):
        cell = ws.cell(row, number, header)
        cell.font, cell.fill, cell.border = HEADER_FONT, REQUIRED_FILL, GRID
    for offset, (left, right) in enumerate(lines, start=1):
        for number, value in enumerate((left, right), start=1):
            cell = ws.cell(row + offset, number, value)
            cell.font, cell.alignment, cell.border, cell.data_type = BODY_FONT, WRAPPED, GRID, "s"
    return row + len(lines) + 1


def _write_marker(ws: Worksheet, kecamatan: Kecamatan, year: int) -> None:
    for row, (label, value) in enumerate(
        ((MARK, TEMPLATE_VERSION), ("kecamatan", kecamatan.code), ("tahun", year)), start=1
    ):
        ws.cell(row, 1, label)
        ws.cell(row, 2, value)
    ws.sheet_state = "veryHidden"  # out of the way: not even in Excel's Unhide list


def _print_setup(ws: Worksheet, area: str, title_rows: str | None) -> None:
    """A4 landscape fitted to the width, as bot/xlsx_export prints its sheets."""
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_area = area
    if title_rows:
        ws.print_title_rows = title_rows


# --- reading ------------------------------------------------------------------------------------------------


class _Refused(Exception):
    def __init__(self, message: str, year: int | None = None) -> None:
        super().__init__(message)
        self.message, self.year = message, year


def marker(data: bytes) -> Marker | None:
    """The marker of a template, or None for any other file (another workbook, not a workbook at all)."""
    try:
        book = _open(data, read_only=True)
    except _Refused:
        return None
    try:
        return _marker_of(book)
    finally:
        book.close()


def read(data: bytes, kecamatan: Kecamatan) -> TemplateRead:
    """A filled template: its programs, or every problem by row and column."""
    try:
        book = _open(data, read_only=False)
        found = _marker_of(book)
        if found is None:
            raise _Refused(t.NOT_A_TEMPLATE)
        if found.version > TEMPLATE_VERSION:
            raise _Refused(t.NEWER_TEMPLATE, found.year)
        if found.kecamatan_code != kecamatan.code:
            theirs = kecamatan_by_code(found.kecamatan_code)
            raise _Refused(t.another_kecamatan(theirs.name if theirs else found.kecamatan_code, kecamatan.name),
                           found.year)  # fmt: skip
        if MAIN_SHEET not in book.sheetnames:
            raise _Refused(t.NOT_A_TEMPLATE, found.year)
        return _read_rows(book[MAIN_SHEET], kecamatan, found.year)
    except _Refused as refused:
        return TemplateRead(refused.year, refused=refused.message)


def _open(data: bytes, *, read_only: bool) -> Any:
    if len(data) > MAX_BYTES:
        raise _Refused(t.too_big(file_size(len(data)), file_size(MAX_BYTES)))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        logger.info("Not a zip: %s", exc)
        raise _Refused(t.DAMAGED) from None
    if unpacked > MAX_UNPACKED:
        raise _Refused(t.too_big(file_size(unpacked), file_size(MAX_UNPACKED)))
    try:
        return load_workbook(io.BytesIO(data), read_only=read_only, data_only=True)
    except Exception as exc:  # a damaged workbook fails wherever openpyxl's parsers trip on it, with their errors
        logger.info("Unreadable workbook: %r", exc)
        raise _Refused(t.DAMAGED) from None


def _marker_of(book: Any) -> Marker | None:
    if MARKER_SHEET not in book.sheetnames:
        return None
    cells = {row[0]: row[1] for row in book[MARKER_SHEET].iter_rows(min_row=1, max_row=3, max_col=2,
                                                                     values_only=True) if len(row) >= 2}  # fmt: skip
    try:
        version, code, year = int(cells[MARK]), str(cells["kecamatan"]), int(cells["tahun"])
    except (KeyError, TypeError, ValueError):
        return None
    return Marker(version, code, year)


def _read_rows(ws: Worksheet, kecamatan: Kecamatan, year: int) -> TemplateRead:
    header_row, where = _header(ws)
    missing = [c.header for c in COLUMNS if c.key not in where and c.key not in ("no", "uid")]
    if missing:
        raise _Refused(t.missing_column(missing[0]), year)
    filled = []
    for number, line in enumerate(ws.iter_rows(min_row=header_row + 1, values_only=True), start=header_row + 1):
        values = {key: line[where[key] - 1] if where[key] <= len(line) else None for key in where}
        if any(_as_text(values[key]) for key in _DATA_KEYS):
            filled.append((number, values))
    if len(filled) > MAX_PROGRAMS:
        raise _Refused(t.too_many_rows(len(filled), MAX_PROGRAMS), year)
    if not filled:
        raise _Refused(t.EMPTY_TEMPLATE, year)
    result = TemplateRead(year)
    uids: set[str] = set()
    for number, values in filled:
        program, problems = _read_row(number, values, kecamatan, uids)
        if program is not None:
            result.programs.append(program)
            uids.add(program.uid)
        result.problems += problems
    return result


def _header(ws: Worksheet) -> tuple[int, dict[str, int]]:
    """The header row and each known column's position, found by the headers' text (not by place)."""
    wanted = {_norm(c.header): c.key for c in COLUMNS}
    for number, line in enumerate(ws.iter_rows(min_row=1, max_row=HEADER_SCAN, values_only=True), start=1):
        where = {wanted[_norm(v)]: i for i, v in enumerate(line, start=1) if isinstance(v, str) and _norm(v) in wanted}
        if "nama" in where:
            return number, where
    raise _Refused(t.missing_column(pk.FIELD_LABELS["nama"]))


def _read_row(number: int, values: dict[str, Any], kecamatan: Kecamatan,
              taken: set[str]) -> tuple[Program | None, list[CellProblem]]:  # fmt: skip
    problems = []
    months = []
    for month, (key, short) in enumerate(zip(MONTH_KEYS, BULAN_PENDEK, strict=True), start=1):
        mark = _as_text(values.get(key)).lower()
        if mark in YES_MARKS:
            months.append(str(month))
        elif mark not in NO_MARKS:
            problems.append(CellProblem(number, t.month_column(short), t.wrong_month_mark(_as_text(values.get(key)))))
    raw = {name: values.get(name) for name in FIELDS if name != "bulan"}
    raw["bulan"] = months
    uid = _as_text(values.get("uid")).lower()
    # A row copied in Excel brings its uid along: the first keeps it, the copy is a new program.
    kept = uid if re.fullmatch(r"[0-9a-f]{8}", uid) and uid not in taken else None
    outcome = read_program(raw, kecamatan, uid=kept)
    for problem in outcome.problems:
        if problem.field == "bulan" and problems:
            continue  # the month columns' own problems say it better than "fill in a month"
        problems.append(CellProblem(number, problem.column, problem.message))
    return (outcome.program if not problems else None), problems


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def filename(kecamatan: Kecamatan, year: int) -> str:
    return f"program-kerja-{year}-{kecamatan.name.lower().replace(' ', '-')}.xlsx"


__all__ = ["CellProblem", "Marker", "TemplateRead", "filename", "marker", "read", "workbook"]
