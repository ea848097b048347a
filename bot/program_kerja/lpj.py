"""Laporan Pertanggungjawaban Program Kerja <tahun>: one kecamatan's year as a Word document (python-docx).

Two steps, as every generated document here: `contents` reads storage and counts (realization.realize, the
same numbers the dashboard and /rekap show) into plain rows, fetching the photos; `render` only lays those rows
out. `build` does both.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.image.exceptions import InvalidImageStreamError, UnexpectedEndOfFileError, UnrecognizedImageError
from docx.image.image import Image
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Emu, Pt, RGBColor
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph

from bot.clock import parse_iso
from bot.dates import long_date, long_wib
from bot.forms.parse import format_date, format_rupiah
from bot.program_kerja import realization
from bot.program_kerja.model import bidang_label, bulan_label, lokasi_label, sumber_label
from bot.program_kerja.realization import ProgramRealization, Totals
from bot.texts import program_kerja as pk
from bot.texts import program_lpj as t
from bot.wilayah import Kecamatan, kecamatan_by_code
from storage import program_kerja
from storage.db import Database
from storage.program_kerja import ACCEPTED, Activity, Plan

PhotoFetcher = Callable[[str], Awaitable[bytes | None]]  # a Telegram file id -> the photo's bytes, or None

WIB = ZoneInfo("Asia/Jakarta")
PHOTOS_PER_ACTIVITY = 2
FETCHING_AT_ONCE = 4  # photos downloaded side by side: a year of them in seconds, without a burst at Telegram


# --- the rows ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Picture:
    data: bytes
    width_px: int
    height_px: int


@dataclass(frozen=True)
class ActivityRow:
    """One linked laporan under its program: its details as (label, value) and up to two photos."""

    number: int  # within its program
    activity: Activity
    details: tuple[tuple[str, str], ...]
    photos: tuple[Picture | None, ...]  # None: Telegram did not give it (or it is not an image)
    more_photos: int  # photos beyond the two shown


@dataclass(frozen=True)
class ProgramRow:
    number: int
    realized: ProgramRealization
    cells: tuple[str, ...]  # the plan table's row, as t.PLAN_HEADERS
    activities: tuple[ActivityRow, ...]


@dataclass(frozen=True)
class Lpj:
    kecamatan: Kecamatan
    year: int
    today: date
    generated: str  # when the document was made, as the cover says it
    plan: Plan | None  # the plan in force, else the latest version (not approved), else None
    plan_lines: tuple[str, ...]  # the cover's lines on the plan: version, submission, approval
    programs: tuple[ProgramRow, ...]
    plan_total: tuple[str, ...]  # the plan table's last row
    summary: Totals
    totals: tuple[tuple[str, str], ...]
    outside: tuple[tuple[str, ...], ...]  # the activities outside the plan, as t.OUTSIDE_HEADERS
    photos_missing: int

    @property
    def approved(self) -> bool:
        return self.plan is not None and self.plan.status == ACCEPTED

    @property
    def empty(self) -> bool:
        return self.plan is None and not self.outside


async def contents(db: Database, kecamatan_code: str, year: int, *, today: date,
                   fetch_photo: PhotoFetcher | None = None, generated_at: datetime | None = None) -> Lpj:  # fmt: skip
    """Everything the LPJ shows, read from storage and counted; the photos fetched."""
    kecamatan = kecamatan_by_code(kecamatan_code)
    if kecamatan is None:
        raise ValueError(kecamatan_code)
    state = (await program_kerja.year_states(db, year, kecamatan_code))[kecamatan_code]
    plan = state.in_force or state.latest
    programs = await program_kerja.programs(db, plan.id) if plan else []
    activities = await program_kerja.activities(db, year, kecamatan_code)
    realized = realization.realize(programs, activities, year=year, today=today)
    summary = realization.totals(realized, activities)
    uids = {p.uid for p in programs}
    outside = [a for a in activities if a.program_uid not in uids]
    shown = [f for r in realized for a in r.activities for f in a.photos[:PHOTOS_PER_ACTIVITY]]
    pictures = await _fetch_all(shown, fetch_photo)
    rows = tuple(_program_row(n, r, kecamatan, pictures) for n, r in enumerate(realized, start=1))
    return Lpj(
        kecamatan=kecamatan, year=year, today=today,
        generated=long_wib(generated_at, WIB) if generated_at else format_date(today),
        plan=plan, plan_lines=_plan_lines(plan), programs=rows, plan_total=_plan_total(realized, summary),
        summary=summary, totals=_totals(realized, summary, outside),
        outside=tuple(_outside_row(n, a) for n, a in enumerate(outside, start=1)),
        photos_missing=sum(p is None for row in rows for a in row.activities for p in a.photos),
    )  # fmt: skip


async def _fetch_all(file_ids: Sequence[str], fetch_photo: PhotoFetcher | None) -> dict[str, Picture | None]:
    if fetch_photo is None:
        return dict.fromkeys(file_ids)
    limit = asyncio.Semaphore(FETCHING_AT_ONCE)

    async def one(file_id: str) -> Picture | None:
        async with limit:
            return _picture(await fetch_photo(file_id))

    found = await asyncio.gather(*(one(f) for f in file_ids))
    return dict(zip(file_ids, found, strict=True))


def _picture(data: bytes | None) -> Picture | None:
    """The photo with its size in pixels, or None when the bytes are not an image Word can show."""
    if not data:
        return None
    try:
        image = Image.from_blob(data)
    except (UnrecognizedImageError, UnexpectedEndOfFileError, InvalidImageStreamError):
        return None
    return Picture(data, image.px_width, image.px_height)


def _plan_lines(plan: Plan | None) -> tuple[str, ...]:
    if plan is None:
        return (t.NO_PLAN,)
    lines = [t.plan_version(plan.version)]
    if plan.submitted_by and plan.submitted_at:
        lines.append(t.plan_submitted(plan.submitted_by, long_wib(parse_iso(plan.submitted_at), WIB)))
    if plan.status == ACCEPTED and plan.reviewed_by and plan.reviewed_at:
        lines.append(t.plan_approved(plan.reviewed_by, long_wib(parse_iso(plan.reviewed_at), WIB)))
    else:
        lines.append(t.plan_not_approved(pk.STATUS_LABELS.get(plan.status, plan.status)))
    return tuple(lines)


def _pair(a: int, b: int) -> str:
    return f"{a} / {b}"


def _program_row(number: int, realized: ProgramRealization, kecamatan: Kecamatan,
                 pictures: dict[str, Picture | None]) -> ProgramRow:  # fmt: skip
    p = realized.program
    cells = (
        str(number), p.nama, bidang_label(p.bidang), bulan_label(p.bulan), lokasi_label(p.lokasi, kecamatan),
        _pair(p.target_peserta, p.target_penerima), format_rupiah(p.anggaran), sumber_label(p.sumber_dana),
        pk.REALIZATION_LABELS[realized.status], _pair(realized.peserta, realized.penerima),
        format_rupiah(realized.dana), bulan_label(realized.late_months) or t.NONE,
    )  # fmt: skip
    activities = tuple(_activity_row(n, a, pictures) for n, a in enumerate(realized.activities, start=1))
    return ProgramRow(number, realized, cells, activities)


def _activity_row(number: int, activity: Activity, pictures: dict[str, Picture | None]) -> ActivityRow:
    values = (long_date(activity.tanggal), activity.lokasi or t.NONE, str(activity.peserta), str(activity.penerima),
              format_rupiah(activity.dana), activity.hasil or t.NONE)  # fmt: skip
    shown = activity.photos[:PHOTOS_PER_ACTIVITY]
    return ActivityRow(
        number=number, activity=activity, details=tuple(zip(t.ACTIVITY_LABELS, values, strict=True)),
        photos=tuple(pictures.get(f) for f in shown), more_photos=len(activity.photos) - len(shown),
    )  # fmt: skip


def _plan_total(realized: Sequence[ProgramRealization], summary: Totals) -> tuple[str, ...]:
    peserta = _pair(sum(r.program.target_peserta for r in realized), sum(r.program.target_penerima for r in realized))
    done = _pair(sum(r.peserta for r in realized), sum(r.penerima for r in realized))
    return ("", t.TOTAL_ROW, "", "", "", peserta, format_rupiah(summary.anggaran), "", "", done,
            format_rupiah(summary.dana), "")  # fmt: skip


def _percent(used: int, planned: int) -> int | None:
    return round(used * 100 / planned) if planned else None


def _totals(realized: Sequence[ProgramRealization], summary: Totals,
            outside: Sequence[Activity]) -> tuple[tuple[str, str], ...]:  # fmt: skip
    target_peserta = sum(r.program.target_peserta for r in realized)
    target_penerima = sum(r.program.target_penerima for r in realized)
    peserta, penerima = sum(r.peserta for r in realized), sum(r.penerima for r in realized)
    labels = t.TOTALS_LABELS
    return (
        (labels["programs"], str(summary.programs)),
        (labels["done"], str(summary.done)),
        (labels["partly"], str(summary.partly)),
        (labels["not_yet"], str(summary.programs - summary.done - summary.partly)),
        (labels["late"], str(summary.late)),
        (labels["activities"], str(summary.activities)),
        (labels["outside"], str(summary.outside)),
        (labels["dana"], t.share(format_rupiah(summary.dana), format_rupiah(summary.anggaran),
                                 _percent(summary.dana, summary.anggaran))),
        (labels["peserta"], t.share(str(peserta), str(target_peserta), _percent(peserta, target_peserta))),
        (labels["penerima"], t.share(str(penerima), str(target_penerima), _percent(penerima, target_penerima))),
        (labels["dana_outside"], format_rupiah(sum(a.dana for a in outside))),
    )  # fmt: skip


def _outside_row(number: int, activity: Activity) -> tuple[str, ...]:
    return (str(number), format_date(activity.tanggal), activity.nama, bidang_label(activity.bidang),
            activity.lokasi or t.NONE, str(activity.peserta), str(activity.penerima),
            format_rupiah(activity.dana))  # fmt: skip


# --- the layout ----------------------------------------------------------------------------------------------

FONT = "Calibri"  # as the Excel export (LibreOffice shows its metric twin, Carlito)
A4 = (Cm(21.0), Cm(29.7))
MARGIN = Cm(2.0)
BINDING = Cm(2.5)  # the left margin of portrait pages, where a printed LPJ is bound
PLAN_WIDTHS_CM = (0.9, 3.4, 2.4, 1.8, 2.3, 1.7, 2.7, 1.8, 2.2, 1.7, 2.7, 2.1)  # 25.7 cm: A4 landscape less margins
PHOTO_BOX = (Cm(7.8), Cm(6.0))  # two side by side across a portrait page
HEADER_FILL = "D9E2F3"


def render(lpj: Lpj) -> bytes:
    """The .docx of these rows: A4; cover, the plan table (landscape), activities, totals, signatures."""
    document = Document()
    _styles(document)
    _properties(document, lpj)
    cover = document.sections[0]
    _page(cover, landscape=False)
    _footer(cover, lpj)
    cover.different_first_page_header_footer = True  # the cover carries no page number
    _cover(document, lpj)
    _page(document.add_section(WD_SECTION.NEW_PAGE), landscape=True)
    _plan(document, lpj)
    _page(document.add_section(WD_SECTION.NEW_PAGE), landscape=False)
    _activities(document, lpj)
    _totals_section(document, lpj)
    _outside(document, lpj)
    _signatures(document, lpj)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


async def build(db: Database, kecamatan_code: str, year: int, *, today: date,
                fetch_photo: PhotoFetcher | None = None, generated_at: datetime | None = None) -> bytes:  # fmt: skip
    """The .docx: cover, the plan with realization per program, every linked activity (up to two photos each),
    totals, and the activities outside the plan."""
    lpj = await contents(db, kecamatan_code, year, today=today, fetch_photo=fetch_photo, generated_at=generated_at)
    # A year of photos laid out takes a moment of CPU: other chats and pages keep being answered meanwhile.
    return await asyncio.to_thread(render, lpj)


def caption(lpj: Lpj) -> str:
    """What the document says in its Telegram caption: the plan and the year's numbers in two lines."""
    s = lpj.summary
    plan = t.plan_state(lpj.plan.version if lpj.plan else None, lpj.approved)
    return t.caption(lpj.kecamatan.name, lpj.year, plan, s.programs, s.done, s.partly, s.late, s.activities,
                     s.outside, lpj.photos_missing)  # fmt: skip


def filename(kecamatan: Kecamatan, year: int) -> str:
    return f"LPJ-program-kerja-{year}-{kecamatan.name.lower().replace(' ', '-')}.docx"


def _styles(document: DocxDocument) -> None:
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(11)
    normal.paragraph_format.space_after = Pt(4)
    for name, size in (("Heading 1", 15), ("Heading 2", 12.5), ("Heading 3", 11)):
        style = document.styles[name]
        style.font.name, style.font.size, style.font.bold = FONT, Pt(size), True
        style.font.color.rgb = RGBColor(0, 0, 0)  # printed in black and white at the kecamatan office
        style.paragraph_format.space_before, style.paragraph_format.space_after = Pt(10), Pt(4)
        # Word's theme font would otherwise win over the style's font for headings.
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attribute), None)


def _properties(document: DocxDocument, lpj: Lpj) -> None:
    properties = document.core_properties
    properties.title = f"LPJ Program Kerja {lpj.year} – Karang Taruna Kecamatan {lpj.kecamatan.name}"
    properties.author = f"{t.BOARD_SHORT} {lpj.kecamatan.name}"
    properties.created = properties.modified = datetime(lpj.today.year, lpj.today.month, lpj.today.day)
    properties.last_modified_by = properties.author
    properties.revision = 1


def _page(section: Section, *, landscape: bool) -> None:
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    section.top_margin = section.bottom_margin = section.right_margin = MARGIN
    section.left_margin = MARGIN if landscape else BINDING


def _field(paragraph: Paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES): the page numbers are Word's to count when it lays the pages out."""
    run = paragraph.add_run()
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), code)
    text = OxmlElement("w:t")
    text.text = "1"
    inner = OxmlElement("w:r")
    inner.append(text)
    field.append(inner)
    run._r.addnext(field)


def _footer(section: Section, lpj: Lpj) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(t.footer(lpj.year, lpj.kecamatan.name))
    _field(paragraph, "PAGE")
    paragraph.add_run(t.FOOTER_OF)
    _field(paragraph, "NUMPAGES")
    for run in paragraph.runs:
        run.font.size = Pt(8)


def _line(document: DocxDocument, text: str, *, size: float = 11, bold: bool = False,
          align: int = WD_ALIGN_PARAGRAPH.CENTER, before: float = 0) -> Paragraph:  # fmt: skip
    paragraph = document.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_before = Pt(before)
    run = paragraph.add_run(text)
    run.font.size, run.font.bold = Pt(size), bold
    return paragraph


def _cover(document: DocxDocument, lpj: Lpj) -> None:
    _line(document, t.TITLE, size=22, bold=True, before=120)
    _line(document, t.title_year(lpj.year), size=18, bold=True)
    _line(document, t.board(lpj.kecamatan.name), size=15, bold=True, before=48)
    _line(document, t.region_line(), size=15, bold=True)
    for number, text in enumerate(lpj.plan_lines):
        _line(document, text, size=11, bold=not lpj.approved and number == len(lpj.plan_lines) - 1,
              before=120 if number == 0 else 0)  # fmt: skip
    _line(document, t.generated(lpj.generated), size=10, before=24)


def _plan(document: DocxDocument, lpj: Lpj) -> None:
    document.add_heading(t.SECTION_PLAN, level=1)
    for line in lpj.plan_lines:
        document.add_paragraph(line)
    if not lpj.programs:
        document.add_paragraph(t.NO_PROGRAMS)
        return
    note = document.add_paragraph(t.PLAN_INTRO)
    note.runs[0].font.size = Pt(9)
    rows = [row.cells for row in lpj.programs] + [lpj.plan_total]
    table = _table(document, t.PLAN_HEADERS, rows, [Cm(w) for w in PLAN_WIDTHS_CM], size=8)
    for cell in table.rows[-1].cells:
        _bold(cell.paragraphs[0])


def _table(document: DocxDocument, headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[Cm],
           *, size: float) -> Table:  # fmt: skip
    """A grid with a shaded header row that Word repeats on every page, rows kept whole across pages."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _repeat_header(table.rows[0])
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        _bold(cell.paragraphs[0])
        _shade(cell._tc, HEADER_FILL)
    for values in rows:
        row = table.add_row()
        _keep_whole(row)
        for cell, text in zip(row.cells, values, strict=True):
            cell.text = text
    # LibreOffice lays a table out by its grid (w:gridCol), Word by the cells: both are set.
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.space_after = Pt(0)
                for run in paragraph.runs:
                    run.font.size = Pt(size)
    return table


def _repeat_header(row: _Row) -> None:
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)
    _keep_whole(row)


def _keep_whole(row: _Row) -> None:
    flag = OxmlElement("w:cantSplit")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _shade(tc: object, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc.get_or_add_tcPr().append(shading)  # type: ignore[attr-defined]


def _bold(paragraph: Paragraph) -> None:
    for run in paragraph.runs:
        run.font.bold = True


def _activities(document: DocxDocument, lpj: Lpj) -> None:
    document.add_heading(t.SECTION_ACTIVITIES, level=1)
    if not lpj.programs:
        document.add_paragraph(t.NO_PROGRAMS)
    for row in lpj.programs:
        document.add_heading(t.program_heading(row.number, row.realized.program.nama), level=2)
        program = row.realized.program
        summary = t.program_summary(bidang_label(program.bidang), bulan_label(program.bulan),
                                    pk.REALIZATION_LABELS[row.realized.status], len(row.activities))  # fmt: skip
        document.add_paragraph(summary)
        if not row.activities:
            document.add_paragraph(t.NO_ACTIVITY).runs[0].font.italic = True
        for activity in row.activities:
            _activity(document, activity)


def _activity(document: DocxDocument, row: ActivityRow) -> None:
    heading = document.add_heading(t.activity_heading(row.number, row.activity.nama, row.activity.number), level=3)
    heading.paragraph_format.keep_with_next = True
    details = document.add_table(rows=0, cols=2)
    details.autofit = False
    for label, value in row.details:
        cells = details.add_row().cells
        cells[0].text, cells[1].text = label, value
        cells[0].width, cells[1].width = Cm(3.5), Cm(13.0)
        for cell in cells:
            cell.paragraphs[0].paragraph_format.space_after = Pt(0)
        _bold(cells[0].paragraphs[0])
    _photos(document, row)


def _photos(document: DocxDocument, row: ActivityRow) -> None:
    if not row.photos:
        document.add_paragraph(t.NO_PHOTO).runs[0].font.italic = True
        return
    shown = [p for p in row.photos if p is not None]
    if shown:
        grid = document.add_table(rows=1, cols=PHOTOS_PER_ACTIVITY)
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
        _keep_whole(grid.rows[0])
        for cell, picture in zip(grid.rows[0].cells, shown, strict=False):
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            width, height = _fit(picture, *PHOTO_BOX)
            paragraph.add_run().add_picture(io.BytesIO(picture.data), width=width, height=height)
    notes = [t.PHOTO_MISSING] * (len(row.photos) - len(shown))
    if row.more_photos:
        notes.append(t.more_photos(row.more_photos))
    for note in notes:
        document.add_paragraph(note).runs[0].font.italic = True


def _fit(picture: Picture, box_width: int, box_height: int) -> tuple[Emu, Emu]:
    """The photo's size scaled to fit the box, its proportions kept (a portrait photo as tall as the box)."""
    scale = min(box_width / max(picture.width_px, 1), box_height / max(picture.height_px, 1))
    return Emu(int(picture.width_px * scale)), Emu(int(picture.height_px * scale))


def _totals_section(document: DocxDocument, lpj: Lpj) -> None:
    document.add_heading(t.SECTION_TOTALS, level=1)
    table = _table(document, t.TOTALS_HEADERS, lpj.totals, (Cm(9.0), Cm(7.5)), size=10)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT


def _outside(document: DocxDocument, lpj: Lpj) -> None:
    document.add_heading(t.SECTION_OUTSIDE, level=1)
    if not lpj.outside:
        document.add_paragraph(t.NO_OUTSIDE)
        return
    widths = [Cm(w) for w in (0.9, 2.6, 4.0, 2.6, 2.3, 1.3, 1.4, 1.9)]  # 17.0 cm
    _table(document, t.OUTSIDE_HEADERS, lpj.outside, widths, size=9)


def _signatures(document: DocxDocument, lpj: Lpj) -> None:
    document.add_heading(t.SECTION_SIGNATURES, level=1).paragraph_format.keep_with_next = True
    place = _line(document, t.signed_at(lpj.kecamatan.name, format_date(lpj.today)), align=WD_ALIGN_PARAGRAPH.RIGHT)
    place.paragraph_format.keep_with_next = True
    board = _line(document, f"{t.BOARD_SHORT} {lpj.kecamatan.name}", bold=True, before=6)
    board.paragraph_format.keep_with_next = True
    table = document.add_table(rows=1, cols=len(t.SIGNERS))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _keep_whole(table.rows[0])
    for cell, signer in zip(table.rows[0].cells, t.SIGNERS, strict=True):
        first = cell.paragraphs[0]
        first.alignment = WD_ALIGN_PARAGRAPH.CENTER
        first.add_run(f"{signer},")
        space = cell.add_paragraph()
        space.add_run().add_break(WD_BREAK.LINE)
        space.add_run().add_break(WD_BREAK.LINE)
        space.add_run().add_break(WD_BREAK.LINE)
        cell.add_paragraph(t.SIGN_LINE).alignment = WD_ALIGN_PARAGRAPH.CENTER
