"""Code changes between Kepmendagri editions, read from ``bot/data/wilayah/perubahan_kode.tsv`` and carried into
the database at start (storage/region_recode.py), once per edition.

The file is data, written by scripts/build_wilayah_data.py (``--previous``) or by hand when a new edition's data is
packaged: a header ``edisi<TAB>kode_lama<TAB>kode_baru``, then one line per renamed kecamatan ("32.09.15") or
desa/kelurahan ("32.09.15.1006"), both codes of the same level; editions in the order they came out. A village of
a renamed kecamatan needs no line of its own unless its last part changes too.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from importlib.resources import files
from pathlib import Path

from bot.texts import region_recode as t
from bot.wilayah import Region
from storage import region_recode
from storage.db import Database

logger = logging.getLogger(__name__)

HEADER = ("edisi", "kode_lama", "kode_baru")
_CODE = re.compile(r"\d{2}\.\d{2}\.\d{2}(?:\.\d{4})?")

Edition = tuple[str, list[tuple[str, str]]]


class BadRenames(ValueError):
    """A line of the renames file is not `edisi<TAB>kode_lama<TAB>kode_baru`."""


def packaged() -> Path:
    return Path(str(files("bot") / "data" / "wilayah" / "perubahan_kode.tsv"))


def read_editions(path: Path | None = None) -> list[Edition]:
    """The editions of the file (the packaged one by default), in the file's order, each with its renames."""
    path = path or packaged()
    editions: dict[str, list[tuple[str, str]]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        fields = tuple(part.strip() for part in line.split("\t"))
        if not line.strip() or line.startswith("#") or (number == 1 and fields == HEADER):
            continue
        if (
            len(fields) != 3
            or not fields[0]
            or not all(_CODE.fullmatch(code) for code in fields[1:])
            or (fields[1].count(".") != fields[2].count("."))
        ):
            raise BadRenames(t.bad_line(str(path), number, line))
        editions.setdefault(fields[0], []).append((fields[1], fields[2]))
    return list(editions.items())


async def recode(db: Database, region: Region, now: datetime, path: Path | None = None) -> list[str]:
    """The database's codes as the region's latest edition has them; returns the editions applied now."""
    editions = read_editions(path)
    if not editions:
        return []
    applied = await region_recode.apply_editions(db, region.code, editions, now)
    if applied:
        logger.info(t.editions_applied(applied, region.name))
    return applied
