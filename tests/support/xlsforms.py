"""XLSForm workbooks written by the tests themselves (openpyxl), never copied from another project.

`xlsform(survey=[...], choices=[...], settings={...})` takes rows as dicts keyed by column name, in the
order they should appear, and returns the .xlsx bytes an admin would send; `xls_xlsform` the same as an
Excel 97-2003 .xls (written with xlwt), as KoboToolbox long exported forms.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from openpyxl import Workbook

Row = dict[str, Any]


def _columns(rows: list[Row]) -> list[str]:
    columns: list[str] = []
    for row in rows:
        columns.extend(c for c in row if c not in columns)
    return columns


Sheets = list[tuple[str, list[Row]]]  # (sheet title, its rows), in workbook order; empty sheets left out


def workbook_xlsx(sheets: Sheets) -> bytes:
    """An .xlsx with these sheets, each headed by the columns its rows use."""
    workbook = Workbook()
    assert workbook.active is not None
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        columns = _columns(rows)
        sheet.append(columns)
        for row in rows:
            sheet.append([row.get(c) for c in columns])
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def workbook_xls(sheets: Sheets) -> bytes:
    """The same as an .xls (xlwt), as KoboToolbox long exported XLSForms."""
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    for title, rows in sheets:
        sheet = workbook.add_sheet(title)
        columns = _columns(rows)
        for x, column in enumerate(columns):
            sheet.write(0, x, column)
        for y, row in enumerate(rows, start=1):
            for x, column in enumerate(columns):
                if row.get(column) is not None:
                    sheet.write(y, x, row[column])
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsform(
    survey: list[Row],
    choices: list[Row] | None = None,
    settings: Row | None = None,
    *,
    survey_sheet: str = "survey",
) -> bytes:
    settings = {"form_title": "Formulir uji", "form_id": "uji", "version": "1"} if settings is None else settings
    sheets = [(survey_sheet, survey), ("choices", choices or []), ("settings", [settings] if settings else [])]
    return workbook_xlsx([(title, rows) for title, rows in sheets if rows or title == survey_sheet])


def xls_xlsform(survey: list[Row], choices: list[Row] | None = None, settings: Row | None = None) -> bytes:
    """The same workbook as `xlsform`, as an .xls; settings=None leaves the settings sheet out."""
    sheets = [("survey", survey), ("choices", choices or []), ("settings", [settings] if settings else [])]
    return workbook_xls([(title, rows) for title, rows in sheets if rows])


def q(type_: str, name: str, label: str = "", **columns: Any) -> Row:
    """One survey row; `label` goes in label::Indonesian (id), other columns by their XLSForm name
    (translated columns through **{"hint::English (en)": ...})."""
    row: Row = {"type": type_, "name": name}
    if label:
        row["label::Indonesian (id)"] = label
    row.update(columns)
    return row


def c(list_name: str, name: str, label: str, **columns: Any) -> Row:
    return {"list_name": list_name, "name": name, "label::Indonesian (id)": label, **columns}
