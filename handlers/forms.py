"""The form engine: asks each Field in turn, validates, saves after every answer, shows a summary, submits once.

A draft's state is all in SQLite (storage/forms.py): the field being asked (`position`), the answers so far,
and whether one field is being answered again from the summary (`editing`). Every step reads the draft,
stores the result, then answers: a restart between two messages loses nothing.

Button data: fm:<draft id>:<field index or ->:<action>[:<argument>]; the field index makes a button from an
earlier question harmless.
"""

from __future__ import annotations

import logging
import re
from datetime import date, timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot import texts
from bot.context import BotContext
from bot.forms.definitions import FORMS, Form
from bot.forms.fields import KECAMATAN_LEVEL, Answering, Field, FieldType, display, example, read_text
from bot.forms.parse import Invalid
from bot.sending import edit_markup, edit_pressed
from bot.wilayah import Kecamatan, kecamatan_by_code
from handlers import form_submission
from storage import forms
from storage.forms import Draft

logger = logging.getLogger(__name__)

CALLBACK_PATTERN = r"^fm:(\d{1,12}):(\d{1,3}|-):([a-zA-Z])(?::(\d{1,3}))?$"
SUMMARY = "-"


def form_of(draft: Draft) -> Form:
    return FORMS[draft.form]


def _kecamatan(draft: Draft) -> Kecamatan:
    kecamatan = kecamatan_by_code(draft.kecamatan_code)
    assert kecamatan is not None
    return kecamatan


def _today(context: BotContext) -> date:
    return context.now().astimezone(context.config.timezone).date()


def ttl(context: BotContext) -> timedelta:
    return timedelta(hours=context.config.form_draft_hours)


# --- asking ------------------------------------------------------------------------------------------------


async def ask(context: BotContext, chat_id: int, draft: Draft, *, in_place_of: int | None = None) -> None:
    """Send the current question (or the summary once every field is answered).

    After a button answer the question message itself becomes the next question (`in_place_of`): one request
    instead of two, and the chat keeps one live question with buttons.
    """
    form = form_of(draft)
    if draft.position >= len(form.fields):
        await show_summary(context, chat_id, draft, in_place_of=in_place_of)
        return
    field = form.fields[draft.position]
    shown = example(field, _today(context))
    text = texts.form_question(draft.position + 1, len(form.fields), field.prompt, shown, not field.required)
    await _show(context, chat_id, text, _question_keyboard(draft, field), in_place_of)


async def _show(
    context: BotContext, chat_id: int, text: str, markup: InlineKeyboardMarkup | None, in_place_of: int | None
) -> None:
    if in_place_of is not None:
        try:
            await context.bot.edit_message_text(
                text, chat_id=chat_id, message_id=in_place_of, parse_mode=ParseMode.HTML, reply_markup=markup
            )
            return
        except BadRequest as exc:
            # Too old to edit, or deleted by the person: a new message serves as well.
            logger.info("Question %s not edited in place: %s", in_place_of, exc.message)
    await context.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup)


def _button(draft: Draft, label: str, action: str, arg: int | None = None) -> InlineKeyboardButton:
    """A button bound to this draft and to the question now on screen (or the summary)."""
    where = SUMMARY if draft.position >= len(form_of(draft).fields) else str(draft.position)
    data = f"fm:{draft.id}:{where}:{action}" + (f":{arg}" if arg is not None else "")
    return InlineKeyboardButton(label, callback_data=data)


def _question_keyboard(draft: Draft, field: Field) -> InlineKeyboardMarkup | None:
    rows: list[list[InlineKeyboardButton]] = []
    if field.type is FieldType.CHOICE:
        rows = [[_button(draft, c.label, "c", i)] for i, c in enumerate(field.choices)]
    elif field.type is FieldType.MULTI_CHOICE:
        chosen = set(draft.answers.get(field.key) or [])
        rows = [
            [_button(draft, ("✅ " if c.value in chosen else "") + c.label, "t", i)]
            for i, c in enumerate(field.choices)
        ]
        rows.append([_button(draft, texts.BUTTON_NONE, "n"), _button(draft, texts.BUTTON_DONE, "d")])
    elif field.type is FieldType.VILLAGE:
        villages = _kecamatan(draft).villages
        buttons = [_button(draft, v.name, "v", i) for i, v in enumerate(villages)]
        rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
        rows.append([_button(draft, texts.BUTTON_KECAMATAN_LEVEL, "k")])
    elif field.type is FieldType.PHOTOS:
        rows = [[_button(draft, texts.BUTTON_DONE, "d")]]
    if not field.required and field.type is not FieldType.PHOTOS:
        rows.append([_button(draft, texts.BUTTON_SKIP, "s")])
    return InlineKeyboardMarkup(rows) if rows else None


async def show_summary(context: BotContext, chat_id: int, draft: Draft, *, in_place_of: int | None = None) -> None:
    form = form_of(draft)
    lines = [(f.label, display(f, draft.answers.get(f.key))) for f in form.fields]
    markup = InlineKeyboardMarkup(
        [[
            _button(draft, texts.BUTTON_SUBMIT, "K"),
            _button(draft, texts.BUTTON_EDIT, "U"),
            _button(draft, texts.BUTTON_CANCEL, "X"),
        ]]
    )  # fmt: skip
    text = texts.form_summary(form.title, _kecamatan(draft).name, lines)
    await _show(context, chat_id, text, markup, in_place_of)


# --- answering by message ----------------------------------------------------------------------------------


async def on_message(update: Update, context: BotContext, draft: Draft) -> None:
    """A private message while a draft is open: the answer to the current question."""
    message = update.effective_message
    assert message is not None
    form = form_of(draft)
    if draft.position >= len(form.fields):
        await message.reply_text(texts.FORM_SUMMARY_USE_BUTTONS)
        await show_summary(context, message.chat.id, draft)
        return
    field = form.fields[draft.position]
    if field.type is FieldType.PHOTOS:
        await _photo(message, context, draft, field)
        return
    if field.type is FieldType.MULTI_CHOICE:
        await message.reply_text(texts.FORM_USE_BUTTONS)
        return
    if message.text is None:
        await message.reply_text(texts.FORM_TEXT_EXPECTED)
        return
    today = _today(context)
    try:
        value = read_text(field, message.text, Answering(_kecamatan(draft), today))
    except Invalid as exc:
        await message.reply_text(texts.form_invalid(str(exc), example(field, today)), parse_mode=ParseMode.HTML)
        return
    await advance(context, message.chat.id, draft, field, value)


async def _photo(message: Message, context: BotContext, draft: Draft, field: Field) -> None:
    photos = list(draft.answers.get(field.key) or [])
    if not message.photo:
        if (message.text or "").strip().lower() == "selesai":
            await advance(context, message.chat.id, draft, field, photos)
        else:
            await message.reply_text(texts.FORM_PHOTO_EXPECTED)
        return
    if len(photos) >= field.max_photos:
        await message.reply_text(texts.form_photo_limit(field.max_photos))
        return
    photos.append(message.photo[-1].file_id)
    saved = await forms.save(
        context.db, draft.id, position=draft.position, editing=draft.editing, now=context.now(), ttl=ttl(context),
        answer=(field.key, photos),
    )  # fmt: skip
    if saved is None:
        await message.reply_text(texts.FORM_GONE)
        return
    keyboard = InlineKeyboardMarkup([[_button(saved, texts.BUTTON_DONE, "d")]])
    await message.reply_text(texts.form_photo_received(len(photos), field.max_photos), reply_markup=keyboard)


async def advance(
    context: BotContext, chat_id: int, draft: Draft, field: Field, value: Any, *, in_place_of: int | None = None
) -> None:
    """Store the answer and move on: to the next field, or back to the summary after an edit."""
    total = len(form_of(draft).fields)
    position = total if draft.editing else draft.position + 1
    saved = await forms.save(
        context.db, draft.id, position=position, editing=False, now=context.now(), ttl=ttl(context),
        answer=(field.key, value),
    )  # fmt: skip
    if saved is None:
        await context.bot.send_message(chat_id, texts.FORM_GONE)
        return
    await ask(context, chat_id, saved, in_place_of=in_place_of)


# --- answering by button -----------------------------------------------------------------------------------


async def on_button(update: Update, context: BotContext) -> None:
    """Every form button: checks it is the presser's own live draft and the current question, then acts."""
    query = update.callback_query
    assert query is not None
    match = re.match(CALLBACK_PATTERN, query.data or "")
    assert match is not None
    draft_id, where, action, arg = int(match[1]), match[2], match[3], match[4]
    draft = await forms.get_draft(context.db, draft_id)
    if draft is None or draft.user_id != query.from_user.id:
        await query.answer(texts.FORM_NOT_YOURS if draft else texts.BUTTON_EXPIRED, show_alert=True)
        return
    if action in ("L", "R"):
        await _resume_or_restart(update, context, draft, action)
        return
    live, _ = await forms.active_draft(context.db, draft.user_id, now=context.now())
    if live is None or live.id != draft.id:
        await query.answer(texts.FORM_GONE, show_alert=True)
        return
    at_summary = draft.position >= len(form_of(draft).fields)
    current = SUMMARY if at_summary else str(draft.position)
    if where != current:
        await query.answer(texts.FORM_STALE_BUTTON, show_alert=True)
        return
    if at_summary:
        await _summary_action(update, context, draft, action, arg)
    else:
        await _field_action(update, context, draft, action, int(arg) if arg is not None else None)


async def _field_action(update: Update, context: BotContext, draft: Draft, action: str, arg: int | None) -> None:
    query = update.callback_query
    assert query is not None and query.message is not None
    field = form_of(draft).fields[draft.position]
    if action == "t" and field.type is FieldType.MULTI_CHOICE and arg is not None and arg < len(field.choices):
        await _toggle(update, context, draft, field, field.choices[arg].value)
        return
    value = _button_value(draft, field, action, arg)
    if value is _REFUSED:
        await query.answer(texts.BUTTON_EXPIRED, show_alert=True)
        return
    if value is _EMPTY_CHOICE:
        await query.answer(texts.FORM_MULTI_EMPTY, show_alert=True)
        return
    await query.answer(display(field, value) if field.type is not FieldType.PHOTOS else None)
    await advance(context, query.message.chat.id, draft, field, value, in_place_of=query.message.message_id)


_REFUSED = object()
_EMPTY_CHOICE = object()


def _button_value(draft: Draft, field: Field, action: str, arg: int | None) -> Any:
    """The answer a button press gives for this field, or a marker for a press that does not fit."""
    if action == "s" and not field.required:
        return None
    if action == "c" and field.type is FieldType.CHOICE and arg is not None and arg < len(field.choices):
        return field.choices[arg].value
    if action == "n" and field.type is FieldType.MULTI_CHOICE:
        return []
    if action == "d" and field.type is FieldType.MULTI_CHOICE:
        return draft.answers.get(field.key) or _EMPTY_CHOICE
    if action == "d" and field.type is FieldType.PHOTOS:
        return draft.answers.get(field.key) or []
    if field.type is FieldType.VILLAGE:
        kecamatan = _kecamatan(draft)
        if action == "k":
            return {"code": KECAMATAN_LEVEL, "name": f"Tingkat Kecamatan {kecamatan.name}"}
        if action == "v" and arg is not None and arg < len(kecamatan.villages):
            village = kecamatan.villages[arg]
            return {"code": village.code, "name": village.name}
    return _REFUSED


async def _toggle(update: Update, context: BotContext, draft: Draft, field: Field, value: str) -> None:
    query = update.callback_query
    assert query is not None
    chosen = list(draft.answers.get(field.key) or [])
    chosen = [v for v in chosen if v != value] if value in chosen else [*chosen, value]
    order = [c.value for c in field.choices]
    chosen.sort(key=order.index)
    saved = await forms.save(
        context.db, draft.id, position=draft.position, editing=draft.editing, now=context.now(), ttl=ttl(context),
        answer=(field.key, chosen),
    )  # fmt: skip
    await query.answer()
    if saved is not None:
        await edit_markup(query, _question_keyboard(saved, field))


async def _summary_action(update: Update, context: BotContext, draft: Draft, action: str, arg: str | None) -> None:
    query = update.callback_query
    assert query is not None and query.message is not None
    chat_id = query.message.chat.id
    form = form_of(draft)
    if action == "K":
        await form_submission.submit(update, context, draft)
    elif action == "U":
        await query.answer()
        rows = [[_button(draft, f.label, "e", i)] for i, f in enumerate(form.fields)]
        await context.bot.send_message(chat_id, texts.FORM_EDIT_WHICH, reply_markup=InlineKeyboardMarkup(rows))
    elif action == "e" and arg is not None and int(arg) < len(form.fields):
        await query.answer()
        field = form.fields[int(arg)]
        # Photos are sent again from scratch; every other answer is simply replaced by the new one.
        reset = (field.key, []) if field.type is FieldType.PHOTOS else None
        saved = await forms.save(
            context.db, draft.id, position=int(arg), editing=True, now=context.now(), ttl=ttl(context), answer=reset
        )
        if saved is not None:
            await ask(context, chat_id, saved)
    elif action == "X":
        await forms.cancel(context.db, draft.id)
        await query.answer()
        await edit_pressed(query, texts.FORM_CANCELLED)
    else:
        await query.answer(texts.BUTTON_EXPIRED, show_alert=True)


async def _resume_or_restart(update: Update, context: BotContext, draft: Draft, action: str) -> None:
    """Lanjutkan asks the draft's current question again; Mulai ulang starts the same form afresh."""
    query = update.callback_query
    assert query is not None and query.message is not None
    live, _ = await forms.active_draft(context.db, draft.user_id, now=context.now())
    if live is None or live.id != draft.id:
        await query.answer(texts.FORM_GONE, show_alert=True)
        return
    await query.answer()
    await edit_markup(query, None)
    if action == "L":
        await ask(context, query.message.chat.id, draft)
        return
    fresh = await forms.start(
        context.db, form=draft.form, user_id=draft.user_id, user_name=draft.user_name,
        kecamatan_code=draft.kecamatan_code, week=draft.week, now=context.now(), ttl=ttl(context),
    )  # fmt: skip
    await begin_asking(context, query.message.chat.id, fresh)


async def begin_asking(context: BotContext, chat_id: int, draft: Draft) -> None:
    form = form_of(draft)
    await context.bot.send_message(
        chat_id, texts.form_started(form.title, _kecamatan(draft).name, len(form.fields)), parse_mode=ParseMode.HTML
    )
    await ask(context, chat_id, draft)


def resume_keyboard(draft: Draft) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[
            InlineKeyboardButton(texts.BUTTON_RESUME, callback_data=f"fm:{draft.id}:-:L"),
            InlineKeyboardButton(texts.BUTTON_RESTART, callback_data=f"fm:{draft.id}:-:R"),
        ]]
    )  # fmt: skip


def answered_count(draft: Draft) -> int:
    return sum(1 for f in form_of(draft).fields if f.key in draft.answers)
