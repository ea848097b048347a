"""The month-by-month chart of programs planned against realized, as an inline SVG: no image to fetch, no script,
and readable at 390 px (the page's CSP forbids style attributes, but SVG geometry is plain attributes)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.program_kerja.model import BULAN_PENDEK

WIDTH, HEIGHT = 360, 190
TOP, BOTTOM = 22, 160  # the bars stand on BOTTOM; the tallest reaches TOP
SLOT = WIDTH / 12
BAR = 11


@dataclass(frozen=True)
class MonthBars:
    month: int
    label: str  # 'Jan'
    planned: int
    realized: int
    x: float  # left edge of the planned bar; the realized one stands right beside it
    planned_top: float
    planned_height: float
    realized_top: float
    realized_height: float

    @property
    def centre(self) -> float:
        return self.x + BAR

    @property
    def realized_x(self) -> float:
        return self.x + BAR


@dataclass(frozen=True)
class Chart:
    months: tuple[MonthBars, ...]
    width: int = WIDTH
    height: int = HEIGHT
    baseline: int = BOTTOM

    @property
    def empty(self) -> bool:
        return not any(m.planned for m in self.months)


def chart(by_month: Sequence[tuple[int, int, int]]) -> Chart:
    """From realization.by_month: (month, programs planned in it, of those realized in it)."""
    most = max((planned for _, planned, _ in by_month), default=0) or 1
    scale = (BOTTOM - TOP) / most
    months = []
    for month, planned, realized in by_month:
        x = (month - 1) * SLOT + (SLOT - 2 * BAR) / 2
        months.append(
            MonthBars(
                month=month, label=BULAN_PENDEK[month - 1], planned=planned, realized=realized, x=round(x, 1),
                planned_top=round(BOTTOM - planned * scale, 1), planned_height=round(planned * scale, 1),
                realized_top=round(BOTTOM - realized * scale, 1), realized_height=round(realized * scale, 1),
            )
        )  # fmt: skip
    return Chart(tuple(months))
