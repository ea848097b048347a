"""Write the two built-in forms (Laporan kegiatan, Evaluasi mingguan) as XLSForm workbooks.

    python scripts/build_builtin_xlsforms.py        # writes bot/data/xlsforms/{laporan,evaluasi}.xlsx

The questions, wording and validation come from bot/forms/definitions.py (today's forms), so the XLSForm files
say exactly what the Python forms say; the village question becomes a select_one of the 424 desa/kelurahan of
bot/data/cirebon_wilayah.json, filtered by the group's kecamatan (the hidden `kecamatan` question, which the bot
fills in). The program kerja question is a select_one of the list `program_kerja`, which holds only "Di luar
program kerja" here: the bot adds the kecamatan's approved programs (columns tahun and bulan) when a draft is
read, and fills the hidden `program_tahun` with the years that have them, which makes the question relevant
(bot/program_kerja/laporan_question.py). Run it again after changing a form's wording in definitions.py (and raise
the form's version there); tests/test_xlsform_builtin.py checks that the committed workbooks are what this script
writes.
"""

from __future__ import annotations

import sys
from io import BytesIO
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.forms.definitions import EVALUASI, LAPORAN, Form  # noqa: E402
from bot.forms.fields import OUTSIDE, Field, FieldType  # noqa: E402
from bot.wilayah import load_kecamatan  # noqa: E402

LABEL = "label::Indonesian (id)"
HINT = "hint::Indonesian (id)"
CONSTRAINT_MESSAGE = "constraint_message::Indonesian (id)"
SURVEY_COLUMNS = ("type", "name", LABEL, HINT, "required", "relevant", "constraint", CONSTRAINT_MESSAGE,
                  "choice_filter", "appearance", "calculation")  # fmt: skip
CHOICE_COLUMNS = ("list_name", "name", LABEL, "kec")
NONE = "tidak_ada"
KECAMATAN_LEVEL = "kecamatan"  # the lokasi choice for an activity of the whole kecamatan
PROGRAM_LIST = "program_kerja"
PROGRAM_YEARS = "program_tahun"


def _row(type_: str, name: str, label: str = "", **columns: Any) -> dict[str, Any]:
    return {"type": type_, "name": name, LABEL: label, **columns}


def _field_rows(field: Field) -> list[dict[str, Any]]:
    hint = f"Contoh: {field.example}" if field.example else ""
    common: dict[str, Any] = {HINT: hint, "required": "yes" if field.required else ""}
    if field.type is FieldType.TEXT:
        return [
            _row(
                "text",
                field.key,
                field.prompt,
                **common,
                constraint=f"string-length(.) >= {field.min_length} and string-length(.) <= {field.max_length}",
                **{CONSTRAINT_MESSAGE: f"Jawaban {field.min_length} sampai {field.max_length} karakter."},
            )
        ]
    if field.type in (FieldType.COUNT, FieldType.RUPIAH):
        appearance = "rupiah" if field.type is FieldType.RUPIAH else ""
        return [
            _row(
                "integer",
                field.key,
                field.prompt,
                **common,
                appearance=appearance,
                constraint=f". >= {field.min_value} and . <= {field.max_value}",
                **{CONSTRAINT_MESSAGE: f"Angka {field.min_value} sampai {field.max_value:,}.".replace(",", ".")},
            )
        ]
    if field.type is FieldType.DATE:
        return [
            _row(
                "date",
                field.key,
                field.prompt,
                **common,
                constraint=f". <= today() and . >= today() - {field.max_days_back}",
                **{
                    CONSTRAINT_MESSAGE: "Tanggal tidak boleh di masa depan atau lebih dari "
                    f"{field.max_days_back} hari yang lalu."
                },
            )
        ]
    if field.type is FieldType.CHOICE:
        return [_row(f"select_one {field.key}", field.key, field.prompt, **common)]
    if field.type is FieldType.MULTI_CHOICE:
        constraint = f"not(selected(., '{NONE}')) or count-selected(.) = 1" if field.none_label else ""
        return [
            _row(
                f"select_multiple {field.key}",
                field.key,
                field.prompt,
                **common,
                constraint=constraint,
                **{
                    CONSTRAINT_MESSAGE: f"'{field.none_label}' tidak bisa dipilih bersama yang lain."
                    if field.none_label
                    else ""
                },
            )
        ]
    if field.type is FieldType.VILLAGE:
        return [
            _row(
                "select_one desa",
                field.key,
                field.prompt,
                **common,
                choice_filter=f"kec = ${{kecamatan}} or kec = '{KECAMATAN_LEVEL}'",
            )
        ]
    if field.type is FieldType.PROGRAM:
        return [
            _row(
                f"select_one {PROGRAM_LIST}",
                field.key,
                field.prompt,
                **common,
                relevant=f"selected(${{{PROGRAM_YEARS}}}, substr(${{tanggal}}, 0, 4))",
                choice_filter=f"tahun = substr(${{tanggal}}, 0, 4) or name = '{OUTSIDE}'",
            )
        ]
    if field.type is FieldType.PHOTOS:
        return [
            _row("begin_repeat", field.key, field.label),
            _row("image", f"{field.key}_file", field.prompt),
            _row("end_repeat", ""),
        ]
    raise ValueError(f"no XLSForm row for {field.type}")  # a new FieldType needs its row here


def _choice_rows(form: Form) -> list[dict[str, Any]]:
    rows = []
    for field in form.fields:
        if field.type in (FieldType.CHOICE, FieldType.MULTI_CHOICE):
            rows += [{"list_name": field.key, "name": c.value, LABEL: c.label} for c in field.choices]
            if field.none_label:
                rows.append({"list_name": field.key, "name": NONE, LABEL: field.none_label})
        if field.type is FieldType.VILLAGE and not any(r["list_name"] == "desa" for r in rows):
            for kecamatan in load_kecamatan():
                rows += [{"list_name": "desa", "name": v.code, LABEL: v.name, "kec": kecamatan.code}
                         for v in kecamatan.villages]  # fmt: skip
            rows.append({"list_name": "desa", "name": KECAMATAN_LEVEL, LABEL: "Tingkat kecamatan",
                         "kec": KECAMATAN_LEVEL})  # fmt: skip
        if field.type is FieldType.PROGRAM:
            rows.append({"list_name": PROGRAM_LIST, "name": OUTSIDE, LABEL: field.none_label})
    return rows


def workbook(form: Form) -> bytes:
    """The XLSForm workbook of one built-in form."""
    survey = [_row("start", "mulai"), _row("end", "selesai"), _row("username", "pengisi"),
              _row("hidden", "kecamatan")]  # fmt: skip
    if any(field.type is FieldType.PROGRAM for field in form.fields):
        survey.append(_row("hidden", PROGRAM_YEARS))
    for field in form.fields:
        survey += _field_rows(field)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "survey"
    sheet.append(SURVEY_COLUMNS)
    for row in survey:
        sheet.append([row.get(c) or None for c in SURVEY_COLUMNS])
    choices = book.create_sheet("choices")
    choices.append(CHOICE_COLUMNS)
    for row in _choice_rows(form):
        choices.append([row.get(c) for c in CHOICE_COLUMNS])
    settings = book.create_sheet("settings")
    settings.append(("form_title", "form_id", "version", "default_language"))
    settings.append((form.title, form.key, form.version, "Indonesian (id)"))
    out = BytesIO()
    book.save(out)
    return out.getvalue()


BUILTIN = {"laporan": LAPORAN, "evaluasi": EVALUASI}


def main() -> None:
    folder = ROOT / "bot" / "data" / "xlsforms"
    folder.mkdir(parents=True, exist_ok=True)
    for key, form in BUILTIN.items():
        path = folder / f"{key}.xlsx"
        if path.exists() and _cells(path.read_bytes()) == _cells(workbook(form)):
            continue  # unchanged: the same bytes stay, so the bot does not read the workbook anew at its start
        path.write_bytes(workbook(form))
        print(path)


def _cells(data: bytes) -> dict[str, list[tuple[Any, ...]]]:
    book = load_workbook(BytesIO(data), read_only=True)
    return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}


if __name__ == "__main__":
    main()
