"""How /laporan and /evaluasi look while the XLSForm engine asks them.

The conversation is handlers/xlsform_fill.py over bot/xlsform/session.py, like any uploaded form; this module is
the view it switches to for a built-in form, so the people who send a laporan every week see what they know:
the "(3/12)" counter and the example under each question, answers read by the same parsers as before
(bot/forms/fields.read_text: the village with small typos, "kemarin", "1,5 juta"), village buttons two a row,
"Tidak ada" beside Selesai, photos sent one after another and then Selesai, and a summary labelled with the
short names. What each question is comes from the form version's workbook (bot/forms/schema.py); every answer
becomes the XLSForm's own string (bot/xlsform/legacy.py), which the session checks against the workbook's
constraints.

The program kerja question is asked only where the form asks it (an approved plan for the activity's year): the
counter, the summary and the Ubah list count it only then. Its buttons carry the program's uid, not a position
in the list, so a press after a revision of the plan can never pick another program.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot import texts
from bot.dates import MONTHS
from bot.forms import schema
from bot.forms.fields import OUTSIDE, Answering, Field, FieldType, display, example, read_text
from bot.forms.parse import Invalid
from bot.program_kerja import laporan_question
from bot.texts import program_laporan as t
from bot.wilayah import kecamatan_by_code
from bot.xlsform import builtin, legacy, session
from bot.xlsform.answers import match_choice
from bot.xlsform.model import Form
from bot.xlsform.session import Refused, State, Step

Button = Callable[..., InlineKeyboardButton]  # (label, action, argument=None): bound to the draft and its screen
Move = Callable[[], State]

# Button actions of their own (the rest are xlsform_fill's): o "Tidak ada" of a multiple choice and "Di luar
# program kerja"; p a program, by its uid.
NONE_ACTION = "o"
PROGRAM_ACTION = "p"
UID = re.compile(r"[0-9a-f]{8}")  # bot/program_kerja/model.new_uid; xlsform_fill.CALLBACK_PATTERN takes it


@dataclass(frozen=True)
class Again:
    """A press that cannot be taken: the alert, then the question shown again as it is now."""

    alert: str


def is_builtin(form: Form) -> bool:
    return form.form_id in builtin.KEYS


def _field(form: Form, step_key: str) -> tuple[int, Field]:
    """The field a step belongs to ('foto[2]/foto_file' and 'foto#add2' are the photos)."""
    name = step_key.split("[", 1)[0].split("#", 1)[0]
    fields = schema.of(form).fields
    index = next(i for i, f in enumerate(fields) if f.key == name)
    return index, fields[index]


def answers(form: Form, state: State, kecamatan_code: str) -> dict[str, Any]:
    """The state's answers in the report's shape (what is stored, reviewed and exported)."""
    data = {"answers": state.answers, "repeats": state.repeats}
    return legacy.from_xlsform(schema.of(form).fields, data, kecamatan_code)


def asked(form: Form, state: State, now: datetime) -> tuple[Field, ...]:
    """The fields this draft asks: all but the program kerja question, unless the form asks it here (or, the
    date not given yet, the kecamatan has programs it will likely be asked about)."""
    fields = schema.of(form).fields
    if not any(f.type is FieldType.PROGRAM for f in fields):
        return fields
    if not laporan_question.asks(form):
        program = False
    elif state.answers.get("tanggal"):
        program = any(step.key == laporan_question.PROGRAM for step in session.steps(form, state, now))
    else:
        program = laporan_question.expected(state)
    return tuple(f for f in fields if f.type is not FieldType.PROGRAM or program)


def progress(form: Form, state: State, now: datetime) -> tuple[int, int]:
    """(fields answered or skipped, fields): "2/12 pertanyaan terjawab" when a draft is resumed."""
    fields = asked(form, state, now)
    done = {_field(form, key)[1].key for key in state.passed if "#add" in key or "[" not in key}
    return sum(1 for f in fields if f.key in done), len(fields)


def started(form: Form, state: State, now: datetime, kecamatan_code: str) -> str:
    kecamatan = kecamatan_by_code(kecamatan_code)
    return texts.form_started(form.title, kecamatan.name if kecamatan else "", len(asked(form, state, now)))


def _photos(state: State, field: Field) -> int:
    return sum(1 for key, value in state.answers.items() if key.startswith(f"{field.key}[") and value)


# --- asking -----------------------------------------------------------------------------------------------


def question(
    form: Form, state: State, step: Step, now: datetime, button: Button, back: list[InlineKeyboardButton]
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The step on screen as today's form asks it."""
    _, field = _field(form, step.key)
    fields = asked(form, state, now)
    index, total = fields.index(field), len(fields)
    if field.type is FieldType.PHOTOS and step.repeat is not None:
        text = texts.esc(texts.form_photo_received(_photos(state, field), field.max_photos))
        return text, InlineKeyboardMarkup([[button(texts.BUTTON_DONE, "d")], *([back] if back else [])])
    text = texts.form_question(index + 1, total, field.prompt, example(field, now.date()), not field.required)
    if field.type is FieldType.PROGRAM:
        text += "\n" + _program_hint(form, state, step, now)
    value = state.answers.get(step.key, "")
    rows = _keyboard(form, state, step, now, field, value, button)
    if value and field.type not in (FieldType.MULTI_CHOICE, FieldType.PHOTOS):
        text += f"\nJawaban sekarang: <b>{texts.esc(_shown(form, state, field, now))}</b>"
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
    if field.type is FieldType.PROGRAM:
        return _program_buttons(form, state, step, now, button)
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


def _program_buttons(form: Form, state: State, step: Step, now: datetime,
                     button: Button) -> list[list[InlineKeyboardButton]]:  # fmt: skip
    """The activity month's programs first, then the others, then "Di luar program kerja"."""
    rows = []
    for position, choice in laporan_question.ordered(session.choices(form, state, step, now),
                                                     state.answers.get("tanggal", "")):  # fmt: skip
        label = choice.label if len(choice.label) <= 60 else choice.label[:59] + "…"
        if choice.name == OUTSIDE:
            rows.append([button(label, NONE_ACTION)])
        elif UID.fullmatch(choice.name):
            rows.append([button(label, PROGRAM_ACTION, choice.name)])
        else:  # a uid of another shape (never written by this bot): by its position, as any choice
            rows.append([button(label, "c", position)])
    return rows


def _program_hint(form: Form, state: State, step: Step, now: datetime) -> str:
    tanggal = state.answers.get("tanggal", "")
    month = datetime.fromisoformat(tanggal).month if tanggal else 0
    if any(laporan_question.planned(c, month) for c in session.choices(form, state, step, now)):
        return t.program_month_first(MONTHS[month - 1])
    return t.PROGRAM_TYPE_OR_PRESS


def _names(form: Form, state: State, now: datetime) -> dict[str, str]:
    """The program names the draft can show; a chosen program no longer offered says so."""
    known = laporan_question.names(form)
    chosen = state.answers.get(laporan_question.PROGRAM, "")
    if chosen and laporan_question.chosen_gone(form, state, now):
        known[chosen] = t.PROGRAM_NOT_OFFERED
    return known


def _shown(form: Form, state: State, field: Field, now: datetime) -> str:
    kecamatan = state.answers.get("kecamatan", "")
    return display(field, answers(form, state, kecamatan).get(field.key), _names(form, state, now))


def summary(form: Form, state: State, now: datetime, kecamatan_code: str,
            button: Button) -> tuple[str, InlineKeyboardMarkup]:  # fmt: skip
    given = answers(form, state, kecamatan_code)
    fields = asked(form, state, now)
    kecamatan = kecamatan_by_code(kecamatan_code)
    programs = _names(form, state, now)
    text = texts.form_summary(form.title, kecamatan.name if kecamatan else "",
                              [(f.label, display(f, given.get(f.key), programs)) for f in fields])  # fmt: skip
    markup = InlineKeyboardMarkup(
        [
            [button(texts.BUTTON_SUBMIT, "K"), button(texts.BUTTON_EDIT, "U"), button(texts.BUTTON_CANCEL, "X")],
            [button(texts.BUTTON_XF_BACK, "b")],
        ]
    )
    return text, markup


def edit_list(form: Form, state: State, now: datetime, button: Button) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[button(f.label, "e", i)] for i, f in enumerate(asked(form, state, now))])


def edit(form: Form, state: State, index: int, now: datetime) -> Move | None:
    """Ubah → one field: asked again, then back to the summary. Photos are sent again from scratch."""
    fields = asked(form, state, now)
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
    if field.type is FieldType.PROGRAM:
        try:
            name = match_choice(session.choices(form, state, step, now), message.text).name
        except Invalid as exc:
            raise Invalid(texts.form_invalid(str(exc), "")) from None
        return lambda: session.answer(form, state, name, now)
    kecamatan = kecamatan_by_code(state.answers.get("kecamatan", ""))
    assert kecamatan is not None
    try:
        value = read_text(field, message.text, Answering(kecamatan, now.date()))
    except Invalid as exc:
        raise Invalid(texts.form_invalid(str(exc), example(field, now.date()))) from None
    odk = legacy.to_xlsform((field,), {field.key: value}, kecamatan.code)["answers"].get(field.key, "")
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


def pressed(
    form: Form, state: State, step: Step | None, action: str, arg: str | None, now: datetime
) -> Move | str | Again | None:
    """The move of Selesai, Tidak ada, a program or Di luar program kerja (the other buttons work as on any
    form): a move, the alert refusing the press, or None when this button is not one of those."""
    if step is None:
        return None
    _, field = _field(form, step.key)
    if field.type is FieldType.PROGRAM and action == NONE_ACTION:
        return lambda: session.answer(form, state, OUTSIDE, now)
    if field.type is FieldType.PROGRAM and action == PROGRAM_ACTION:
        if arg not in {c.name for c in session.choices(form, state, step, now)}:
            return Again(t.PROGRAM_GONE_PRESS)  # the plan was revised while the buttons were on screen
        return lambda: session.answer(form, state, arg, now)
    if field.type is FieldType.PHOTOS and action == "d":
        return _done_with_photos(form, state, step, now)
    if field.type is FieldType.MULTI_CHOICE and action == NONE_ACTION:
        return lambda: session.answer(form, state, legacy.NONE, now)
    if field.type is FieldType.MULTI_CHOICE and action == "d" and not state.answers.get(step.key):
        return texts.FORM_MULTI_EMPTY
    return None


def check(form: Form, state: State, now: datetime) -> None:
    """Before Kirim: Refused (naming the question) if the program chosen is no longer offered."""
    if laporan_question.chosen_gone(form, state, now):
        raise Refused(t.PROGRAM_GONE, laporan_question.PROGRAM)
