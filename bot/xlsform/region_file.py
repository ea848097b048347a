"""`wilayah_desa.csv`: the region's desa/kelurahan as a file every XLSForm may use without attaching it.

A form asks for a village with `select_one_from_file wilayah_desa.csv` and a choice_filter on its `kec` column
(`kec = ${kecamatan}`, the hidden question the bot fills with the group's kecamatan). The bot supplies the file
from its own wilayah data, so the built-in laporan and any uploaded form list the same villages, and a form never
carries a copy that goes stale. The file also holds one row named `kecamatan` ("Tingkat kecamatan", kec
`kecamatan`): the laporan's answer for an activity held for the whole kecamatan, which a form offers only when its
filter asks for it (`or kec = 'kecamatan'`).
"""

from __future__ import annotations

import csv
import io
from functools import cache

from bot import wilayah

NAME = "wilayah_desa.csv"
KECAMATAN_LEVEL = "kecamatan"
KECAMATAN_LEVEL_LABEL = "Tingkat kecamatan"


def supplied(name: str) -> bytes | None:
    """The file's bytes when `name` is the one the bot supplies (its case ignored), else None."""
    if name.lower() != NAME:
        return None
    return _csv(wilayah.current().code)


@cache
def _csv(region: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(("name", "label", "kec"))
    for kecamatan in wilayah.load(region).kecamatan:
        writer.writerows((v.code, v.name, kecamatan.code) for v in kecamatan.villages)
    writer.writerow((KECAMATAN_LEVEL, KECAMATAN_LEVEL_LABEL, KECAMATAN_LEVEL))
    return out.getvalue().encode()
