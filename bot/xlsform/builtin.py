"""The two built-in forms as XLSForm workbooks (bot/data/xlsforms/, written by scripts/build_builtin_xlsforms.py):
registered as built-in xform rows at start-up, and stored answers replayed into a conversation state."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import cache
from importlib.resources import files
from typing import Any

from bot.clock import parse_iso
from bot.forms.definitions import FORMS
from bot.forms.fields import FieldType
from bot.xlsform import form_json, legacy, session
from bot.xlsform.model import Form
from bot.xlsform.read import read_xlsform
from bot.xlsform.session import Refused, State
from storage import forms, xlsforms
from storage.db import Database

KEYS = ("laporan", "evaluasi")


def workbook(key: str) -> bytes:
    """The .xlsx of a built-in form, as Dinsos would download and edit it."""
    if key not in KEYS:
        raise KeyError(key)
    return (files("bot") / "data" / "xlsforms" / f"{key}.xlsx").read_bytes()


@cache
def form(key: str) -> Form:
    return read_xlsform(workbook(key))


async def register(db: Database, now: datetime) -> None:
    """At start-up: each built-in form's bundled workbook is its current version (a new version only when the
    file's settings.version changed), so /laporan and /evaluasi drafts are pinned to a stored workbook."""
    for key in KEYS:
        stored = await xlsforms.builtin_version(db, key)
        if stored is not None and stored.workbook == workbook(key) and form_json.current(stored.form_json):
            continue  # registered and kept as read: a start without pyxform (about a second and 23 MiB)
        read = form(key)
        await xlsforms.register_builtin(
            db, form_id=key, title=read.title, version=read.version, workbook=workbook(key), now=now,
            form_json=form_json.dumps(read),
        )  # fmt: skip


def replay(xform: Form, answers: dict[str, Any], known: Mapping[str, str], now: datetime) -> State:
    """A conversation state holding answers in the report's shape (a stored version, or a draft of the previous
    release), given in form order as the person would give them. It stops at the first field not answered yet,
    or one the form refuses now (a date grown too old): that is the question asked next; else at the summary.

    A field the form does not ask here (the program kerja of a kecamatan without an approved plan) is passed
    over; one asked now but missing from answers given after it (a report stored before the question existed) is
    left to answer, the later answers replayed: the state then waits at that question, the rest already done."""
    key = xform.form_id
    given = legacy.to_xlsform(key, answers, known["kecamatan"])
    state = session.start(xform, now, known)
    fields = FORMS[key].fields
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
        state = replay(form(old.form), old.answers, known, now)
        made = await xlsforms.carry_over(
            db, old.id, version_id=version.id, state=state.to_json(), week=old.week, report_id=old.report_id,
            updated_at=parse_iso(old.updated_at),
        )  # fmt: skip
        carried += made is not None
    return carried
