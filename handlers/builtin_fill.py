"""How /laporan and /evaluasi look while the XLSForm engine asks them: today's wording, checks and buttons.

The conversation is handlers/xlsform_fill.py over bot/xlsform/session.py, like any uploaded form; this module is
the view it switches to for a built-in form, so the people who send a laporan every week see what they know:
the "(3/12)" counter and the example under each question, answers read (and refused) by the same parsers as
before (bot/forms/fields.read_text: the village with small typos, "kemarin", "1,5 juta"), village buttons two a
row, "Tidak ada" beside Selesai, photos sent one after another and then Selesai, and a summary labelled with the
short field names. Every answer still becomes the XLSForm's own string (bot/xlsform/legacy.py), which the
session checks against the workbook's constraints.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot import texts
from bot.forms.definitions import FORMS
from bot.forms.fields import Answering, Field, FieldType, display, example, read_text
from bot.forms.parse import Invalid
from bot.wilayah import kecamatan_by_code
from bot.xlsform import builtin, legacy, session
from bot.xlsform.model import Form
from bot.xlsform.session import State, Step

Button = Callable[..., InlineKeyboardButton]  # (label, action, argument=None): bound to the draft and its screen
Move = Callable[[], State]

# Button actions of their own (the rest are xlsform_fill's): o "Tidak ada" of a multiple choice.
NONE_ACTION = "o"


def is_builtin(form: Form) -> bool:
    return form.form_id in builtin.KEYS


def _field(form: Form, step_key: str) -> tuple[int, Field]:
    """The field of today's form a step belongs to ('foto[2]/foto_file' and 'foto#add2' are the photos)."""
    name = step_key.split("[", 1)[0].split("#", 1)[0]
    fields = FORMS[form.form_id].fields
    index = next(i for i, f in enumerate(fields) if f.key == name)
    return index, fields[index]


def answers(form: Form, state: State, kecamatan_code: str) -> dict[str, Any]:
    """The state's answers in the report's shape (what is stored, reviewed and exported)."""
    return legacy.from_xlsform(form.form_id, {"answers": state.answers, "repeats": state.repeats}, kecamatan_code)


def progress(form: Form, state: State) -> tuple[int, int]:
    """(fields answered or skipped, fields): "2/12 pertanyaan terjawab" when a draft is resumed."""
    fields = FORMS[form.form_id].fields
    done = {_field(form, key)[1].key for key in state.passed if "#add" in key or "[" not in key}
    return sum(1 for f in fields if f.key in done), len(fields)


def started(form: Form, kecamatan_code: str) -> str:
    kecamatan = kecamatan_by_code(kecamatan_code)
    return texts.form_started(form.title, kecamatan.name if kecamatan else "", len(FORMS[form.form_id].fields))


def _photos(state: State, field: Field) -> int:
    return sum(1 for key, value in state.answers.items() if key.startswith(f"{field.key}[") and value)


# --- asking -----------------------------------------------------------------------------------------------


def question(
    form: Form, state: State, step: Step, now: datetime, button: Button, back: list[InlineKeyboardButton]
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The step on screen as today's form asks it."""
    index, field = _field(form, step.key)
    total = len(FORMS[form.form_id].fields)
    if field.type is FieldType.PHOTOS and step.repeat is not None:
        text = texts.esc(texts.form_photo_received(_photos(state, field), field.max_photos))
        return text, InlineKeyboardMarkup([[button(texts.BUTTON_DONE, "d")], *([back] if back else [])])
    text = texts.form_question(index + 1, total, field.prompt, example(field, now.date()), not field.required)
    value = state.answers.get(step.key, "")
    rows = _keyboard(form, state, step, now, field, value, button)
    if value and field.type not in (FieldType.MULTI_CHOICE, FieldType.PHOTOS):
        text += f"\nJawaban sekarang: <b>{texts.esc(_shown(form, state, field))}</b>"
        rows.append([button(texts.BUTTON_XF_KEEP, "k")])
    if not field.required and field.type is not FieldType.PHOTOS:
        rows.append([button(texts.BUTTON_SKIP, "s")])
    if back:
        rows.append(back)
    return text, InlineKeyboardMarkup(rows) if rows else None


def _keyboard(form: Form, state: State, step: Step, now: datetime, field: Field, value: str,
              button: Button) -> list[list[InlineKeyboardButton]]:  # fmt: skip
    if field.type is FieldType.PHOTOS:
        return [[button(texts.BUTTON_DONE, "d")]]
    if field.type not in (FieldType.CHOICE, FieldType.MULTI_CHOICE, FieldType.VILLAGE):
        return []
    options = list(enumerate(session.choices(form, state, step, now)))
    if field.type is FieldType.CHOICE:
        return [[button(c.label, "c", i)] for i, c in options]
    if field.type is FieldType.VILLAGE:
        villages = [button(c.label, "c", i) for i, c in options if c.name != legacy.KECAMATAN]
        rows = [villages[i : i + 2] for i in range(0, len(villages), 2)]
        level = [button(texts.BUTTON_KECAMATAN_LEVEL, "c", i) for i, c in options if c.name == legacy.KECAMATAN]
        return [*rows, level]
    chosen = set(value.split())
    ticks = [(("✅ " if c.name in chosen else "") + c.label, i) for i, c in options if c.name != legacy.NONE]
    rows = [[button(label, "t", i)] for label, i in ticks]
    return [*rows, [button(texts.BUTTON_NONE, NONE_ACTION), button(texts.BUTTON_DONE, "d")]]


def _shown(form: Form, state: State, field: Field) -> str:
    kecamatan = state.answers.get("kecamatan", "")
    return display(field, answers(form, state, kecamatan).get(field.key))


def summary(form: Form, state: State, kecamatan_code: str, button: Button) -> tuple[str, InlineKeyboardMarkup]:
    given = answers(form, state, kecamatan_code)
    fields = FORMS[form.form_id].fields
    kecamatan = kecamatan_by_code(kecamatan_code)
    text = texts.form_summary(form.title, kecamatan.name if kecamatan else "",
                              [(f.label, display(f, given.get(f.key))) for f in fields])  # fmt: skip
    markup = InlineKeyboardMarkup(
        [
            [button(texts.BUTTON_SUBMIT, "K"), button(texts.BUTTON_EDIT, "U"), button(texts.BUTTON_CANCEL, "X")],
            [button(texts.BUTTON_XF_BACK, "b")],
        ]
    )
    return text, markup


def edit_list(form: Form, button: Button) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[button(f.label, "e", i)] for i, f in enumerate(FORMS[form.form_id].fields)])


def edit(form: Form, state: State, index: int, now: datetime) -> Move | None:
    """Ubah → one field: asked again, then back to the summary. Photos are sent again from scratch."""
    fields = FORMS[form.form_id].fields
    if index >= len(fields):
        return None
    field = fields[index]
    if field.type is not FieldType.PHOTOS:
        return lambda: session.edit(form, state, field.key, now)
    inside = f"{field.key}["
    fresh = State(
        answers={k: v for k, v in state.answers.items() if not k.startswith(inside)},
        repeats={**state.repeats, field.key: 1},
        passed=tuple(k for k in state.passed if not k.startswith(field.key)),
        history=state.history, current=state.current, started_at=state.started_at,
    )  # fmt: skip
    return lambda: session.edit(form, fresh, f"{field.key}[1]/{field.key}_file", now)


# --- answering --------------------------------------------------------------------------------------------


def typed(form: Form, state: State, step: Step, message: Message, now: datetime) -> Move:
    """The move a message makes on the step on screen; Invalid (HTML, as today's refusals) if it makes none."""
    _, field = _field(form, step.key)
    if field.type is FieldType.PHOTOS:
        return _photo(form, state, step, message, field, now)
    if field.type is FieldType.MULTI_CHOICE:
        raise Invalid(texts.esc(texts.FORM_USE_BUTTONS))
    if message.text is None:
        raise Invalid(texts.esc(texts.FORM_TEXT_EXPECTED))
    kecamatan = kecamatan_by_code(state.answers.get("kecamatan", ""))
    assert kecamatan is not None
    try:
        value = read_text(field, message.text, Answering(kecamatan, now.date()))
    except Invalid as exc:
        raise Invalid(texts.form_invalid(str(exc), example(field, now.date()))) from None
    odk = legacy.to_xlsform(form.form_id, {field.key: value}, kecamatan.code)["answers"].get(field.key, "")
    return lambda: session.answer(form, state, odk, now)


def _photo(form: Form, state: State, step: Step, message: Message, field: Field, now: datetime) -> Move:
    if not message.photo:
        if (message.text or "").strip().lower() == texts.BUTTON_DONE.lower():
            return _done_with_photos(form, state, step, now)
        raise Invalid(texts.esc(texts.FORM_PHOTO_EXPECTED))
    if step.repeat is None:
        file_id = message.photo[-1].file_id
        return lambda: session.answer(form, state, file_id, now)
    if _photos(state, field) >= field.max_photos:
        raise Invalid(texts.esc(texts.form_photo_limit(field.max_photos)))
    file_id = message.photo[-1].file_id
    return lambda: session.answer(form, session.more(form, state, True, now), file_id, now)


def _done_with_photos(form: Form, state: State, step: Step, now: datetime) -> Move:
    if step.repeat is not None:
        return lambda: session.more(form, state, False, now)
    # Selesai on the photo question itself (none sent yet, or one reached again with Kembali): its instance is
    # passed as it is, then no more are added.
    kept = state.answers.get(step.key, "")
    return lambda: session.more(form, session.answer(form, state, kept, now), False, now)


def pressed(form: Form, state: State, step: Step | None, action: str, now: datetime) -> Move | str | None:
    """The move of Selesai or Tidak ada (the other buttons work as on any form): a move, the alert refusing
    the press, or None when this button is not one of those."""
    if step is None:
        return None
    _, field = _field(form, step.key)
    if field.type is FieldType.PHOTOS and action == "d":
        return _done_with_photos(form, state, step, now)
    if field.type is FieldType.MULTI_CHOICE and action == NONE_ACTION:
        return lambda: session.answer(form, state, legacy.NONE, now)
    if field.type is FieldType.MULTI_CHOICE and action == "d" and not state.answers.get(step.key):
        return texts.FORM_MULTI_EMPTY
    return None
