"""The Excel template of a program kerja: written for a kecamatan and year, and read back when a pengurus sends it
filled in. (Interface fixed by the core; the helper building the Excel path fills it in.)"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.program_kerja.model import Program
from bot.wilayah import Kecamatan


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


def workbook(kecamatan: Kecamatan, year: int, programs: Sequence[Program] = ()) -> bytes:
    """The template as an .xlsx, holding `programs` when given (the plan so far)."""
    raise NotImplementedError


def read(data: bytes, kecamatan: Kecamatan) -> TemplateRead:
    """A filled template: its programs, or every problem by row and column."""
    raise NotImplementedError


def filename(kecamatan: Kecamatan, year: int) -> str:
    return f"program-kerja-{year}-{kecamatan.name.lower().replace(' ', '-')}.xlsx"
