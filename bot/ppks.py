"""The 26 PPKS categories (Pemerlu Pelayanan Kesejahteraan Sosial), from ``bot/data/ppks.json``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

__all__ = ["PpksCategory", "load_ppks", "ppks_by_code"]


@dataclass(frozen=True, slots=True)
class PpksCategory:
    code: str  # "PPKS-01"
    name: str
    abbr: str | None = None


@cache
def load_ppks() -> tuple[PpksCategory, ...]:
    """All PPKS categories, ordered by code (PPKS-01 .. PPKS-26)."""
    raw = json.loads((files("bot") / "data" / "ppks.json").read_text(encoding="utf-8"))
    items = (PpksCategory(code=p["code"], name=p["name"], abbr=p.get("abbr") or None) for p in raw["ppks"])
    return tuple(sorted(items, key=lambda p: p.code))


@cache
def _ppks_index() -> dict[str, PpksCategory]:
    return {p.code: p for p in load_ppks()}


def ppks_by_code(code: str) -> PpksCategory | None:
    """The category with code ``code`` ("PPKS-03"; case and surrounding spaces ignored), or None."""
    if not code:
        return None
    return _ppks_index().get(code.strip().upper())
