"""Charts as PNG bytes, drawn with matplotlib's Agg backend: no display, no pyplot, safe to run in a thread.

Only the object-oriented API is used (a Figure with its own Agg canvas), so nothing global is shared between
two renders running at once in `asyncio.to_thread`.

Sized for a phone: Telegram shows a photo at the width of the chat, about 360 dp. A 540 px wide image is drawn
at two thirds of its size there, so 13-point labels (18 px at 100 dpi) read as 12 dp, the size of chat text.
Forty rows still fit under the 1,280 px Telegram keeps unscaled.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

DPI = 100
WIDTH_INCHES = 5.4
ROW_INCHES = 0.27
FRAME_INCHES = 1.75  # title, axis label and legend around the rows
LABEL_POINTS = 13
SMALL_POINTS = 12
BAR_COLOUR = "#4a6fa5"  # one colour: the bar's length is its only measure
MARKER_GAP = 0.03  # of the axes width, left of the axis


@dataclass(frozen=True)
class Category:
    label: str  # shown in the legend
    colour: str
    marker: str = "s"  # a matplotlib marker; a shape as well as a colour, for readers who confuse red and green


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    category: Category  # shown by the marker beside the label, not by the bar


def horizontal_bars_png(
    bars: Sequence[Bar], *, title: str, xlabel: str, legend: Sequence[Category], legend_title: str = ""
) -> bytes:
    """One labelled row per bar, top to bottom in the given order: the bar's length is its value, and a square
    marker between label and axis carries its category, so each measure has one visual channel."""
    figure = Figure(
        figsize=(WIDTH_INCHES, FRAME_INCHES + ROW_INCHES * max(len(bars), 1)), dpi=DPI, layout="constrained"
    )
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    rows = list(range(len(bars)))
    drawn = axes.barh(rows, [b.value for b in bars], color=BAR_COLOUR, height=0.72)
    axes.bar_label(drawn, padding=3, fontsize=SMALL_POINTS)
    for category in dict.fromkeys(b.category for b in bars):
        at = [row for row, b in zip(rows, bars, strict=True) if b.category == category]
        axes.scatter(
            [-MARKER_GAP] * len(at), at, c=category.colour, marker=category.marker, s=95,
            transform=axes.get_yaxis_transform(), clip_on=False,
        )  # fmt: skip
    axes.set_yticks(rows, [b.label for b in bars], fontsize=LABEL_POINTS)
    axes.set_ylim(max(len(bars), 1) - 0.5, -0.5)  # first bar on top; an empty chart keeps one empty row
    highest = max((b.value for b in bars), default=0)
    axes.set_xlim(0, max(highest * 1.15, highest + 0.8, 1))
    axes.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    axes.tick_params(axis="x", labelsize=SMALL_POINTS)
    axes.tick_params(axis="y", length=0, pad=22)
    axes.grid(axis="x", color="#dddddd", linewidth=0.8)
    axes.set_axisbelow(True)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_xlabel(xlabel, fontsize=SMALL_POINTS)
    handles = [
        Line2D([], [], marker=c.marker, linestyle="", markersize=11, markerfacecolor=c.colour,
               markeredgecolor=c.colour, label=c.label)
        for c in legend
    ]  # fmt: skip
    figure.legend(
        handles=handles, loc="outside lower center", ncols=len(handles), frameon=False, fontsize=SMALL_POINTS,
        title=legend_title or None, title_fontsize=SMALL_POINTS, handletextpad=0.3, columnspacing=1.0,
    )  # fmt: skip
    figure.suptitle(title, fontsize=14, fontweight="bold")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
