"""The two built-in forms, /laporan and /evaluasi, as XLSForm workbooks: the bundled ones (bot/data/xlsforms/,
edited like any XLSForm) and the versions Dinsos sends in their place. Registered as built-in xform rows at
start-up; stored answers replayed into a conversation state.

A built-in form's questions are whatever its current version's workbook says (bot/forms/schema.py reads the look
from it). What the rest of the bot reads from a laporan (the recap, the dashboard, program kerja, the LPJ) is
DEPENDED: a new version that drops or retypes one of those is refused, naming each.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from importlib.resources import files
from typing import Any

from bot import wilayah
from bot.clock import parse_iso
from bot.forms import schema
from bot.forms.fields import FieldType
from bot.forms.fields import Form as Schema
from bot.texts import xlsform_builtin as t
from bot.xlsform import form_json, legacy, session
from bot.xlsform.model import Form
from bot.xlsform.read import read_xlsform
from bot.xlsform.session import Refused, State
from storage import forms, xlsforms
from storage.db import Database
from storage.xlsforms import XFormVersion

KEYS = ("laporan", "evaluasi")
BUNDLED = 0  # uploaded_by_id of a version that came with the bot, not from a person

# What the rest of the bot reads from each built-in form's answers, by the kind of question it must stay.
DEPENDED: dict[str, dict[str, str]] = {
    "laporan": {
        "nama_kegiatan": "text", "bidang": "select_one", "tanggal": "date", "program": "program",
        "lokasi": "village", "jumlah_peserta": "integer", "jumlah_penerima": "integer", "jumlah_dana": "integer",
        "hasil": "text", "foto": "photos",
    },
    "evaluasi": {},
}  # fmt: skip
_KIND = {
    FieldType.TEXT: "text", FieldType.COUNT: "integer", FieldType.RUPIAH: "integer", FieldType.DATE: "date",
    FieldType.CHOICE: "select_one", FieldType.MULTI_CHOICE: "select_multiple", FieldType.VILLAGE: "village",
    FieldType.PROGRAM: "program", FieldType.PHOTOS: "photos",
}  # fmt: skip


def workbook(key: str) -> bytes:
    """The bundled .xlsx of a built-in form, as the bot ships it."""
    if key not in KEYS:
        raise KeyError(key)
    return (files("bot") / "data" / "xlsforms" / f"{key}.xlsx").read_bytes()


def form(key: str) -> Form:
    """The bundled workbook's form, with the region in use's villages (bot/xlsform/region_file.py)."""
    return _read(key, wilayah.current().code)


@cache
def _read(key: str, region: str) -> Form:
    return read_xlsform(workbook(key))


async def register(db: Database, now: datetime) -> None:
    """At start-up: each built-in form's bundled workbook is its current version (a new version only when the
    file's settings.version changed), so /laporan and /evaluasi drafts are pinned to a stored workbook. A version
    Dinsos sent stays current: a release never replaces it unasked."""
    for key in KEYS:
        stored = await xlsforms.builtin_version(db, key)
        if stored is not None and stored.uploaded_by_id != BUNDLED:
            if not form_json.current(stored.form_json):
                await xlsforms.remember_form_json(db, stored.id, form_json.dumps(form_json.read(stored.workbook, None)))
            continue
        if stored is not None and stored.workbook == workbook(key) and form_json.current(stored.form_json):
            continue  # registered and kept as read: a start without pyxform (about a second and 23 MiB)
        read = form(key)
        await xlsforms.register_builtin(
            db, form_id=key, title=read.title, version=read.version, workbook=workbook(key), now=now,
            form_json=form_json.dumps(read),
        )  # fmt: skip


# The current version's form of each database's built-in forms, by version id: a new version is a new id.
_current: weakref.WeakKeyDictionary[Database, dict[int, Form]] = weakref.WeakKeyDictionary()


async def current(db: Database, key: str) -> Schema:
    """The fields of the built-in form's current version (what a report is shown, reviewed and exported with)."""
    return (await currents(db))[key]


async def currents(db: Database) -> dict[str, Schema]:
    """Both built-in forms' current fields. Each page and review asks: one small read of the version ids, the
    workbook and its stored form read only for a version not met before."""
    ids = await xlsforms.builtin_version_ids(db)
    known = _current.setdefault(db, {})
    found = {}
    for key in KEYS:
        version_id = ids.get(key)
        if version_id is None:
            found[key] = schema.of(form(key))  # before the first start registered it (a CLI export on a new database)
            continue
        if version_id not in known:
            version = await xlsforms.get_version(db, version_id)
            assert version is not None
            version_form(db, version)
        found[key] = schema.of(known[version_id])
    return found


def version_form(db: Database, version: XFormVersion) -> Form:
    known = _current.setdefault(db, {})
    found = known.get(version.id)
    if found is None:
        found = known[version.id] = form_json.read(version.workbook, version.form_json)
    return found


def version_key(version: str) -> tuple[tuple[int, ...], str]:
    """For comparing versions: '3' < '10' < '202612041530' by their numbers, then as text."""
    return tuple(int(n) for n in re.findall(r"\d+", version)), version


def upgrade_problems(key: str, new: Form) -> list[str]:
    """Why an uploaded workbook cannot be the next version of a built-in form (empty: it can): rows the look
    cannot ask, and each question the rest of the bot reads that it drops or retypes."""
    try:
        fields = schema.of(new)
    except schema.Unsupported as exc:
        return exc.problems
    # A built-in version keeps no attached files (only the bot's own wilayah_desa.csv is always there).
    problems = [t.needs_file(name) for name in new.missing_files]
    for name, kind in DEPENDED[key].items():
        field = next((f for f in fields.fields if f.key == name), None)
        if field is None:
            problems.append(t.missing(name, kind))
        elif _KIND[field.type] != kind:
            problems.append(t.retyped(name, kind, _KIND[field.type]))
    return problems


def changes(old: Schema, new: Schema) -> tuple[list[str], list[str]]:
    """(questions added, questions no longer asked), by their short names."""
    before, after = {f.key for f in old.fields}, {f.key for f in new.fields}
    return [f.label for f in new.fields if f.key not in before], [f.label for f in old.fields if f.key not in after]


def replay(xform: Form, answers: dict[str, Any], known: Mapping[str, str], now: datetime) -> State:
    """A conversation state holding answers in the report's shape (a stored version, or a draft of the previous
    release), given in form order as the person would give them. It stops at the first field not answered yet,
    or one the form refuses now (a date grown too old): that is the question asked next; else at the summary.

    A field the form does not ask here (the program kerja of a kecamatan without an approved plan) is passed
    over; one asked now but missing from answers given after it (a report stored before the question existed) is
    left to answer, the later answers replayed: the state then waits at that question, the rest already done."""
    fields = schema.of(xform).fields
    given = legacy.to_xlsform(fields, answers, known["kecamatan"])
    state = session.start(xform, now, known)
    for position, field in enumerate(fields):
        asked = _first_step(xform, state, field.key, now)
        if asked is None:
            continue
        if field.key not in answers:
            if any(later.key in answers for later in fields[position + 1 :]):
                continue
            break
        try:
            if state.current != asked:
                state = session.edit(xform, state, asked, now)
            if field.type is FieldType.PHOTOS:
                state = _replay_photos(xform, state, field.key, given, now)
            else:
                state = session.answer(xform, state, given["answers"].get(field.key, ""), now)
        except Refused:
            break
    return state


def _first_step(xform: Form, state: State, field_key: str, now: datetime) -> str | None:
    """The key of the field's first step now ('foto[1]/foto_file' for the photos), None if it is not asked."""
    for step in session.steps(xform, state, now):
        if step.key.split("[", 1)[0].split("#", 1)[0] == field_key:
            return step.key
    return None


def _replay_photos(xform: Form, state: State, key: str, given: dict[str, Any], now: datetime) -> State:
    count = given["repeats"].get(key, 0)
    for i in range(1, count + 1):
        if i > 1:
            state = session.more(xform, state, True, now)
        state = session.answer(xform, state, given["answers"][legacy.photo_key(key, i)], now)
    if count == 0:
        state = session.answer(xform, state, "", now)
    return session.more(xform, state, False, now)


async def carry_over(db: Database, now: datetime) -> int:
    """At start-up: every form draft the previous release left open becomes an XLSForm draft on the built-in
    version with the same answers, so nobody loses a half-filled laporan at the upgrade. Returns how many."""
    carried = 0
    for old in await forms.open_old_drafts(db):
        version = await xlsforms.builtin_version(db, old.form)
        if version is None:
            continue
        known = {"kecamatan": old.kecamatan_code, session.USERNAME: old.user_name}
        state = replay(version_form(db, version), old.answers, known, now)
        made = await xlsforms.carry_over(
            db, old.id, version_id=version.id, state=state.to_json(), week=old.week, report_id=old.report_id,
            updated_at=parse_iso(old.updated_at),
        )  # fmt: skip
        carried += made is not None
    return carried
