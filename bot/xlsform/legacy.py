"""Answers of today's Python forms ↔ answers of their XLSForm versions (bot/data/xlsforms/).

The bridge for moving /laporan and /evaluasi onto the XLSForm engine: `to_xlsform` turns a stored report's
answers (ints, ISO dates, choice values, {"code", "name"} villages, lists of photo file ids) into ODK's strings
and repeat instances; `from_xlsform` turns a submission back into today's shape, so reviews, /rekap, corrections
and exports that read report answers keep working while they move over.
"""

from __future__ import annotations

from typing import Any

from bot.forms.definitions import FORMS
from bot.forms.fields import KECAMATAN_LEVEL, FieldType
from bot.wilayah import kecamatan_by_code

NONE = "tidak_ada"  # the "none of these" choice of a select_multiple (scripts/build_builtin_xlsforms.py)
KECAMATAN = "kecamatan"  # the lokasi choice of an activity for the whole kecamatan


def photo_key(field_key: str, index: int) -> str:
    return f"{field_key}[{index}]/{field_key}_file"


def to_xlsform(form_key: str, answers: dict[str, Any], kecamatan_code: str) -> dict[str, Any]:
    """{"answers": {key: ODK string}, "repeats": {repeat: n}} for one report version's answers."""
    form = FORMS[form_key]
    out: dict[str, str] = {"kecamatan": kecamatan_code}
    repeats: dict[str, int] = {}
    for field in form.fields:
        value = answers.get(field.key)
        if value is None:
            continue
        if field.type is FieldType.MULTI_CHOICE:
            out[field.key] = " ".join(value) if value else (NONE if field.none_label else "")
        elif field.type is FieldType.VILLAGE:
            out[field.key] = KECAMATAN if value["code"] == KECAMATAN_LEVEL else value["code"]
        elif field.type is FieldType.PHOTOS:
            repeats[field.key] = len(value)
            out.update({photo_key(field.key, i): file_id for i, file_id in enumerate(value, start=1)})
        else:
            out[field.key] = str(value)
    return {"answers": {k: v for k, v in out.items() if v != ""}, "repeats": repeats}


def from_xlsform(form_key: str, data: dict[str, Any], kecamatan_code: str) -> dict[str, Any]:
    """Today's answers dict for a submission of a built-in form's XLSForm."""
    form = FORMS[form_key]
    answers: dict[str, str] = data["answers"]
    out: dict[str, Any] = {}
    for field in form.fields:
        if field.type is FieldType.PHOTOS:
            count = int(data.get("repeats", {}).get(field.key, 0))
            photos = [
                answers[photo_key(field.key, i)] for i in range(1, count + 1) if photo_key(field.key, i) in answers
            ]
            if photos or field.key in data.get("repeats", {}):
                out[field.key] = photos
            continue
        value = answers.get(field.key)
        if value is None:
            if not field.required:
                out[field.key] = None
            continue
        if field.type in (FieldType.COUNT, FieldType.RUPIAH):
            out[field.key] = int(value)
        elif field.type is FieldType.MULTI_CHOICE:
            out[field.key] = [] if value == NONE else value.split()
        elif field.type is FieldType.VILLAGE:
            out[field.key] = _village(value, kecamatan_code)
        else:
            out[field.key] = value
    return out


def _village(value: str, kecamatan_code: str) -> dict[str, str]:
    kecamatan = kecamatan_by_code(kecamatan_code)
    if value == KECAMATAN:
        return {"code": KECAMATAN_LEVEL, "name": f"Tingkat Kecamatan {kecamatan.name if kecamatan else ''}".strip()}
    village = next((v for v in kecamatan.villages if v.code == value), None) if kecamatan else None
    return {"code": value, "name": village.name if village else value}
