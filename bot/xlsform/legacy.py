"""A built-in form's report answers ↔ the answers of its XLSForm.

Reports of /laporan and /evaluasi keep their answers typed (ints, ISO dates, choice values, {"code", "name"}
villages, lists of photo file ids): reviews, /rekap, corrections, program kerja and exports read them so.
`to_xlsform` turns them into ODK's strings and repeat instances, to replay a stored report into a conversation;
`from_xlsform` turns a submission back into the report's shape. Both follow the fields of the form version at
hand (bot/forms/schema.py), so a question Dinsos added is stored like the others.
"""

from __future__ import annotations

from typing import Any

from bot.forms import schema
from bot.forms.fields import KECAMATAN_LEVEL, Field, FieldType
from bot.wilayah import kecamatan_by_code
from bot.xlsform import region_file

NONE = schema.NONE  # the "none of these" choice of a select_multiple
KECAMATAN = region_file.KECAMATAN_LEVEL  # the lokasi choice of an activity for the whole kecamatan


def photo_key(field_key: str, index: int) -> str:
    return f"{field_key}[{index}]/{field_key}_file"


def to_xlsform(fields: tuple[Field, ...], answers: dict[str, Any], kecamatan_code: str) -> dict[str, Any]:
    """{"answers": {key: ODK string}, "repeats": {repeat: n}} for one report version's answers."""
    out: dict[str, str] = {"kecamatan": kecamatan_code}
    repeats: dict[str, int] = {}
    for field in fields:
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


def from_xlsform(fields: tuple[Field, ...], data: dict[str, Any], kecamatan_code: str) -> dict[str, Any]:
    """The report's answers for a submission of a built-in form's XLSForm."""
    answers: dict[str, str] = data["answers"]
    out: dict[str, Any] = {}
    for field in fields:
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
