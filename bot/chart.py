"""Charts as PNG bytes, drawn with matplotlib's Agg backend: no display, no pyplot, safe to run in a thread.

Only the object-oriented API is used (a Figure with its own Agg canvas), so nothing global is shared between
two renders running at once in `asyncio.to_thread`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

# Telegram shows a photo at most 1280 px on its long side; staying under that keeps the labels sharp.
DPI = 100
WIDTH_INCHES = 8.0
ROW_INCHES = 0.26
FRAME_INCHES = 1.9  # title, axis label and legend around the rows
MARKER_GAP = 0.018  # of the axes width, left of the axis


@dataclass(frozen=True)
class Category:
    label: str  # shown in the legend
    colour: str


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    category: Category


def horizontal_bars_png(
    bars: Sequence[Bar], *, title: str, xlabel: str, legend: Sequence[Category], legend_title: str = ""
) -> bytes:
    """One labelled row per bar, top to bottom in the given order, each bar in its category's colour."""
    figure = Figure(
        figsize=(WIDTH_INCHES, FRAME_INCHES + ROW_INCHES * max(len(bars), 1)), dpi=DPI, layout="constrained"
    )
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    rows = range(len(bars))
    colours = [b.category.colour for b in bars]
    # A square of the category colour between each label and the axis keeps the status visible for a bar of 0.
    axes.scatter(
        [-MARKER_GAP] * len(bars), list(rows), c=colours, marker="s", s=42,
        transform=axes.get_yaxis_transform(), clip_on=False,
    )  # fmt: skip
    drawn = axes.barh(list(rows), [b.value for b in bars], color=colours, height=0.7)
    axes.bar_label(drawn, padding=3, fontsize=8)
    axes.set_yticks(list(rows), [b.label for b in bars], fontsize=9)
    axes.set_ylim(len(bars) - 0.5, -0.5)  # first bar on top
    highest = max((b.value for b in bars), default=0)
    axes.set_xlim(0, max(highest * 1.12, highest + 0.6, 1))
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.tick_params(axis="y", length=0, pad=16)
    axes.grid(axis="x", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_xlabel(xlabel)
    handles = [Patch(facecolor=c.colour, label=c.label) for c in legend]
    figure.legend(
        handles=handles, loc="outside lower center", ncols=len(handles), frameon=False, fontsize=9,
        title=legend_title or None, title_fontsize=9,
    )  # fmt: skip
    figure.suptitle(title, fontsize=12, fontweight="bold")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
