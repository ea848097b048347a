"""One uploaded form's submissions as a file of its own (the dashboard's Formulir page): the XLSX has the very
sheets /ekspor gives that form (bot/xlsform/export.py), the CSV its main sheet's rows."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.xlsform.export import Submitted, form_sheets
from bot.xlsform.model import Form
from bot.xlsx_export import EVERYTHING, Period, sheets_xlsx


def form_xlsx(form: Form, submitted: list[Submitted], *, tz: ZoneInfo, generated_at: datetime,
              period: Period = EVERYTHING) -> bytes:  # fmt: skip
    made = form_sheets(form, submitted, tz=tz, period=period, taken=set())
    return sheets_xlsx(made, tz=tz, period=period, generated_at=generated_at)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def form_csv(form: Form, submitted: list[Submitted], *, tz: ZoneInfo, period: Period = EVERYTHING) -> bytes:
    """The main sheet (repeats are in the XLSX) as UTF-8 CSV with a BOM, so Excel reads the Indonesian text."""
    [main, *_] = form_sheets(form, submitted, tz=tz, period=period, taken=set())
    columns = main.ordered
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header for c in columns])
    for row in main.rows:
        writer.writerow([_text(c.value(row)) for c in columns])
    return ("\ufeff" + out.getvalue()).encode()
