"""The two built-in forms as XLSForm workbooks (bot/data/xlsforms/, written by scripts/build_builtin_xlsforms.py)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from bot.xlsform.model import Form
from bot.xlsform.read import read_xlsform

KEYS = ("laporan", "evaluasi")


def workbook(key: str) -> bytes:
    """The .xlsx of a built-in form, as Dinsos would download and edit it."""
    if key not in KEYS:
        raise KeyError(key)
    return (files("bot") / "data" / "xlsforms" / f"{key}.xlsx").read_bytes()


@cache
def form(key: str) -> Form:
    return read_xlsform(workbook(key))
