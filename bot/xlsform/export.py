"""XLSForm submissions in the /ekspor workbook: one sheet per form, one more per repeat, linked by submission.

Columns follow the form: one per question that can hold an answer (everything but notes; calculates and
metadata included), labelled as the form labels them, in form order. A repeat's sheet has one row per
instance: the submission's number, then which instance ("2", or "1.3" inside a nested repeat). The columns are
the latest version's: an answer to a question only an older version had is left out of the sheet (it stays in
the JSON export).

/ekspor, the dashboard's export and the command line's `export` all read the stored forms with
`exported_forms` and turn them into sheets (`workbook_sheets`) and ZIP photos (`photos`), so the three give
the same workbook.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot import texts
from bot.clock import parse_iso
from bot.wilayah import load_kecamatan
from bot.xlsform import form_json
from bot.xlsform.answers import display
from bot.xlsform.model import FILE_KINDS, Form, Kind, Question, Section
from bot.xlsx_export import Column, Period, Photo, Sheet
from bot.xlsx_export import Kind as CellKind
from storage import xlsforms
from storage.db import Database
from storage.xlsforms import XFormVersion

_NOT_EXPORTED = (Kind.NOTE,)
_TITLE_LIMIT = 31  # Excel's limit on a sheet name
_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Submitted:
    """One submission with what the export shows beside its answers."""

    number: int
    kecamatan: str
    submitted_by: str
    submitted_at: str
    version: str
    answers: dict[str, str]
    repeats: dict[str, int]


def _cell(question: Question, value: str, form: Form) -> Any:
    if value == "":
        return None
    if question.kind is Kind.INTEGER:
        try:
            return int(value)
        except ValueError:
            return value
    if question.kind is Kind.DECIMAL:
        try:
            return float(value)
        except ValueError:
            return value
    if question.kind is Kind.DATE:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return value
    if question.kind is Kind.DATETIME:
        try:
            return datetime.fromisoformat(value).replace(tzinfo=None)  # the wall time in WIB, as it was typed
        except ValueError:
            return value
    if question.kind in FILE_KINDS:
        return value  # the Telegram file id, as today's export keeps photos
    if question.kind in (Kind.GEOTRACE, Kind.GEOSHAPE):
        return value  # ODK's 'lat lon alt acc;...': every point, which a GIS reads back
    if question.kind is Kind.CALCULATE and re.fullmatch(r"-?\d+(\.\d+)?", value):
        return float(value) if "." in value else int(value)  # a number Excel can sum
    return display(question, value, form.choice_list(question))


def _columns_of(form: Form, around: tuple[Section, ...]) -> list[Question]:
    """The questions whose answers sit directly in this repeat (or outside every repeat, for ())."""
    found = []
    for node, sections in form.walk():
        if not isinstance(node, Question) or node.kind in _NOT_EXPORTED:
            continue
        repeats = tuple(s for s in sections if s.repeat)
        if repeats == around:
            found.append(node)
    return found


def _title(wanted: str, taken: set[str]) -> str:
    base = _TITLE_FORBIDDEN.sub(" ", wanted)[:_TITLE_LIMIT].strip() or "Formulir"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: _TITLE_LIMIT - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def _moment(stamp: str, tz: ZoneInfo) -> datetime:
    return parse_iso(stamp).astimezone(tz).replace(tzinfo=None, microsecond=0)


def form_sheets(
    form: Form, submitted: list[Submitted], *, tz: ZoneInfo, period: Period, taken: set[str]
) -> list[Sheet]:
    """The main sheet of a form and one sheet per repeat, for the submissions made in the period."""
    rows = [s for s in submitted if period.covers(s.submitted_at, tz)]
    head = [
        Column(texts.XLSFORM_EXPORT_NUMBER, CellKind.NUMBER, lambda r: r["submission"].number),
        Column(texts.XLSFORM_EXPORT_KECAMATAN, CellKind.TEXT, lambda r: r["submission"].kecamatan),
        Column(texts.XLSFORM_EXPORT_BY, CellKind.TEXT, lambda r: r["submission"].submitted_by),
        Column(texts.XLSFORM_EXPORT_AT, CellKind.MOMENT, lambda r: _moment(r["submission"].submitted_at, tz)),
        Column(texts.XLSFORM_EXPORT_VERSION, CellKind.TEXT, lambda r: r["submission"].version),
    ]
    sheets = [Sheet(_title(form.title, taken), [*head, *_answer_columns(form, ())],
                    [{"submission": s, "prefix": ""} for s in rows], subject=form.title)]  # fmt: skip
    for section in (s for s in form.sections() if s.repeat):
        around = (*(a for a in form.sections_around(section.name) if a.repeat), section)
        columns = [
            head[0], head[1],
            Column(texts.XLSFORM_EXPORT_INSTANCE, CellKind.TEXT, lambda r: r["instance"]),
            *_answer_columns(form, around),
        ]  # fmt: skip
        instances = [{"submission": s, "prefix": p, "instance": i} for s in rows for p, i in _instances(s, around)]
        title = _title(f"{form.title[:18]} - {section.label or section.name}", taken)
        sheets.append(Sheet(title, columns, instances, subject=f"{form.title}: {section.label or section.name}"))
    return sheets


def _answer_columns(form: Form, around: tuple[Section, ...]) -> list[Column]:
    columns = []
    for question in _columns_of(form, around):
        kind = CellKind.NUMBER if question.kind is Kind.INTEGER else CellKind.TEXT
        if question.kind is Kind.DATE:
            kind = CellKind.DATE
        elif question.kind is Kind.DATETIME:
            kind = CellKind.MOMENT

        def value(row: dict[str, Any], q: Question = question) -> Any:
            return _cell(q, row["submission"].answers.get(row["prefix"] + q.name, ""), form)

        columns.append(Column(question.title or question.name, kind, value))
    return columns


def _instances(submission: Submitted, around: tuple[Section, ...]) -> list[tuple[str, str]]:
    """(key prefix, instance label) of every instance of the innermost repeat of `around` in a submission."""
    found: list[tuple[str, str]] = [("", "")]
    for section in around:
        deeper = []
        for prefix, label in found:
            count = submission.repeats.get(prefix + section.name, 0)
            deeper += [
                (f"{prefix}{section.name}[{i}]/", f"{label}.{i}" if label else str(i)) for i in range(1, count + 1)
            ]
        found = deeper
    return found


# --- Stored forms, for every export --------------------------------------------------------------------------


@dataclass(frozen=True)
class Exported:
    """An uploaded form as the export shows it: its latest version's questions and every submission."""

    form: Form
    submitted: list[Submitted]


def _read(version: XFormVersion, attachments: Mapping[str, bytes] | None = None) -> Form:
    return form_json.read(version.workbook, version.form_json, attachments)


async def exported_forms(
    db: Database, read: Callable[[XFormVersion, Mapping[str, bytes] | None], Form] = _read
) -> list[Exported]:
    """Every uploaded form (not the built-in ones, whose reports have sheets of their own) with its submissions;
    `read` turns a stored version into its form (the bot passes its cache). Test fills are never submissions."""
    names = {k.code: k.name for k in load_kecamatan()}
    found = []
    for xform in await xlsforms.uploaded_forms(db):
        stored = await xlsforms.versions(db, xform.id)
        if not stored:
            continue
        by_id = {v.id: v.version for v in stored}
        submitted = [
            Submitted(s.id, names.get(s.kecamatan_code, s.kecamatan_code), s.submitted_by, s.submitted_at,
                      by_id.get(s.version_id, ""), s.data.get("answers", {}), s.data.get("repeats", {}))
            for s in await xlsforms.submissions(db, xform.id)
        ]  # fmt: skip
        latest = stored[-1]
        # A version whose stored form an older reader wrote is read again from its workbook, with its CSVs.
        files = None if form_json.current(latest.form_json) else await xlsforms.attachments(db, latest.id)
        found.append(Exported(read(latest, files), submitted))
    return found


def workbook_sheets(exported: list[Exported], *, tz: ZoneInfo, period: Period) -> list[Sheet]:
    """The sheets of every form, in upload order, with titles unique in the workbook."""
    taken: set[str] = set()
    return [sheet for e in exported for sheet in form_sheets(e.form, e.submitted, tz=tz, period=period, taken=taken)]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def photos(exported: list[Exported], *, tz: ZoneInfo, period: Period) -> list[Photo]:
    """Every photo answer of the period's submissions, repeats included, in form order.

    'foto/<form_id>-<submission>-<kecamatan>/<question>.jpg', and inside a repeat
    '.../<repeat>-<instance>-<question>.jpg': a person finds a photo by kecamatan, form, submission and question
    without opening the workbook."""
    found = []
    for e in exported:
        images = [q.name for q in e.form.questions() if q.kind is Kind.IMAGE]
        for s in e.submitted:
            if not period.covers(s.submitted_at, tz):
                continue
            keys = [k for name in images for k in s.answers if k.rsplit("/", 1)[-1] == name and s.answers[k]]
            folder = f"foto/{_slug(e.form.form_id)}-{s.number}-{_slug(s.kecamatan)}"
            report = f"{e.form.title} #{s.number} ({s.kecamatan})"
            for number, key in enumerate(keys, start=1):
                found.append(Photo(report, f"{folder}/{_slug(key)}.jpg", number, s.answers[key]))
    return found
