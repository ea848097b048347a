"""Adding or changing one program in the private chat: the view over bot/xlsform/session.py (the controller) and
bot/program_kerja/chat_form.py (the form).

Every step reads the person's draft, lets the session decide, stores the new state (with the update that made
it), then answers: a restart between two messages loses nothing, and an update handled again after a crash only
asks the current question again. Simpan sends the answers through model.read_program (the one check) and stores
the program on the plan's editable version; the menu comes back.

Button data: pf:<draft id>:<screen>:<action>[:<argument>]. <screen> is a short hash of where the person is, so a
button of an earlier question is refused rather than misread. Actions: c choose, t tick, o "Tidak ada", d done
(multiple choice), s skip, k keep the current answer, b back, K Simpan, U Ubah jawaban, e edit one, X Batal
(asks), Y/N confirm or refuse the cancel.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime, timedelta

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update, User
from telegram.constants import ParseMode

from bot import texts
from bot.access import display_name
from bot.clock import parse_iso
from bot.context import BotContext
from bot.program_kerja import chat_form, pengurus
from bot.program_kerja.model import FIELDS, MAX_PROGRAMS, Program, new_uid
from bot.sending import edit_markup, edit_pressed, show_in_place
from bot.texts import program_chat as t
from bot.texts import program_kerja as labels
from bot.wilayah import Kecamatan, kecamatan_by_code
from bot.xlsform import session
from bot.xlsform.model import Kind
from bot.xlsform.session import Refused, State, Step
from handlers import program_kerja_menu as menu
from storage import program_drafts, program_kerja
from storage.program_drafts import ProgramDraft

logger = logging.getLogger(__name__)

CALLBACK_PATTERN = r"^pf:(\d{1,12}):([0-9a-f]{8}):([a-zA-Z])(?::(\d{1,3}))?$"
Move = Callable[[], State]


def _now(context: BotContext) -> datetime:
    return context.now().astimezone(context.config.timezone)


def _kecamatan(draft: ProgramDraft) -> Kecamatan:
    kecamatan = kecamatan_by_code(draft.kecamatan_code)
    assert kecamatan is not None  # the draft's kecamatan was checked when it started
    return kecamatan


# --- opening ----------------------------------------------------------------------------------------------


async def live_draft(context: BotContext, user_id: int) -> tuple[ProgramDraft | None, bool]:
    """(the person's open program draft, or None; whether one expired just now, which they are told).

    A draft untouched for FORM_DRAFT_HOURS expires, as form drafts do: a message days later is not an answer.
    """
    draft = await program_drafts.active(context.db, user_id)
    if draft is None:
        return None, False
    if parse_iso(draft.updated_at) + timedelta(hours=context.config.form_draft_hours) > context.now():
        return draft, False
    if await program_drafts.close(context.db, draft.id, "expired"):
        await context.bot.send_message(user_id, t.expired(context.config.form_draft_hours))
        return None, True
    return None, False


async def begin(context: BotContext, user: User, chat_id: int, code: str, year: int,
                program: Program | None) -> None:  # fmt: skip
    """A fresh draft for a new program (or one starting with `program`'s answers, at the summary), then its
    first question. The caller has checked that `user` is a pengurus of `code` and that no draft is open."""
    now = _now(context)
    state = chat_form.replay(program, code, now) if program else chat_form.start(code, now)
    draft = await program_drafts.start(
        context.db, user_id=user.id, user_name=display_name(user), kecamatan_code=code, year=year,
        program_uid=program.uid if program else new_uid(), changing=program is not None, state=state.to_json(),
        now=context.now(), update_id=context.update_id,
    )  # fmt: skip
    if program is None:
        await context.bot.send_message(chat_id, t.started(year, _kecamatan(draft).name, len(FIELDS)),
                                       parse_mode=ParseMode.HTML)  # fmt: skip
    await ask(context, chat_id, draft)


async def remind(context: BotContext, chat_id: int, draft: ProgramDraft) -> None:
    """/programkerja (or a menu button) while a program is being filled in: that one goes on first."""
    state = State.from_json(draft.state)
    await context.bot.send_message(chat_id, t.still_filling(state.answers.get("nama", "")), parse_mode=ParseMode.HTML)
    await ask(context, chat_id, draft)


# --- asking -----------------------------------------------------------------------------------------------


def _button(draft: ProgramDraft, state: State, label: str, action: str, arg: int | None = None) -> InlineKeyboardButton:
    data = f"pf:{draft.id}:{state.screen()}:{action}" + (f":{arg}" if arg is not None else "")
    return InlineKeyboardButton(label, callback_data=data)


def _head(draft: ProgramDraft) -> str:
    return t.header(draft.year, _kecamatan(draft).name, draft.changing)


async def ask(context: BotContext, chat_id: int, draft: ProgramDraft, *, in_place_of: int | None = None) -> None:
    """Send what is on screen now: the current question, or the summary (in place of a pressed message)."""
    state = State.from_json(draft.state)
    now = _now(context)
    step = session.current(chat_form.form(), state, now)
    if step is None:
        text, markup = _summary(draft, state)
    else:
        text, markup = _question(draft, state, step, now)
    await show_in_place(context, chat_id, text, markup, in_place_of)


def _question(draft: ProgramDraft, state: State, step: Step, now: datetime) -> tuple[str, InlineKeyboardMarkup | None]:
    form = chat_form.form()
    question = step.question
    assert question is not None
    name = question.name
    value = state.answers.get(name, "")
    optional = session.may_skip(form, state, step, now)
    current = chat_form.shown(name, value, _kecamatan(draft)) if value and name not in chat_form.MULTIPLE else ""
    text = t.question(_head(draft), FIELDS.index(name) + 1, len(FIELDS), question.label, question.hint, current,
                      optional)  # fmt: skip
    rows = _choices(draft, state, step, now)
    if current:
        rows.append([_button(draft, state, texts.BUTTON_XF_KEEP, "k")])
    if optional:
        rows.append([_button(draft, state, texts.BUTTON_SKIP, "s")])
    if len(state.history) > 1:
        rows.append([_button(draft, state, texts.BUTTON_XF_BACK, "b")])
    return text, InlineKeyboardMarkup(rows) if rows else None


def _choices(draft: ProgramDraft, state: State, step: Step, now: datetime) -> list[list[InlineKeyboardButton]]:
    question = step.question
    assert question is not None
    if not question.list_name:
        return []
    options = list(enumerate(session.choices(chat_form.form(), state, step, now)))
    if question.kind is Kind.SELECT_ONE:
        buttons = [_button(draft, state, c.label, "c", i) for i, c in options]
        per_row = 2 if question.name == "lokasi" else 1  # desa names are short; bidang and sumber read better alone
        return [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]
    chosen = set(state.answers.get(question.name, "").split())
    ticks = [_button(draft, state, ("✅ " if c.name in chosen else "") + c.label, "t", i)
             for i, c in options if c.name != chat_form.NONE]  # fmt: skip
    per_row = 3 if question.name == "bulan" else 1
    rows = [ticks[i : i + per_row] for i in range(0, len(ticks), per_row)]
    last = [_button(draft, state, texts.BUTTON_DONE, "d")]
    if question.name == "sasaran_ppks":
        last.insert(0, _button(draft, state, t.NONE_LABEL, "o"))
    return [*rows, last]


def _summary(draft: ProgramDraft, state: State) -> tuple[str, InlineKeyboardMarkup]:
    kecamatan = _kecamatan(draft)
    lines = [(labels.FIELD_LABELS[name], chat_form.shown(name, state.answers.get(name, ""), kecamatan))
             for name in FIELDS]  # fmt: skip
    markup = InlineKeyboardMarkup([
        [_button(draft, state, t.BUTTON_SAVE, "K"), _button(draft, state, t.BUTTON_EDIT_ANSWERS, "U"),
         _button(draft, state, t.BUTTON_CANCEL, "X")],
        [_button(draft, state, texts.BUTTON_XF_BACK, "b")],
    ])  # fmt: skip
    return t.summary(_head(draft), lines), markup


# --- answering by message ---------------------------------------------------------------------------------


async def on_message(update: Update, context: BotContext, draft: ProgramDraft) -> None:
    """A private message while a program is being filled in: the answer to the current question."""
    message = update.effective_message
    assert message is not None
    if draft.took(context.update_id):  # taken before a restart cut its handling short
        await ask(context, message.chat.id, draft)
        return
    form, state, now = chat_form.form(), State.from_json(draft.state), _now(context)
    step = session.current(form, state, now)
    if step is None or step.question is None:
        await message.reply_text(t.USE_SUMMARY_BUTTONS)
        return
    if message.text is None:  # a sticker, a photo, a file: nothing any question takes
        await message.reply_text(t.TEXT_EXPECTED)
        return
    try:
        value = chat_form.read_answer(step.question.name, message.text, _kecamatan(draft))
    except ValueError as exc:
        await message.reply_text(t.refused(str(exc)), parse_mode=ParseMode.HTML)
        return
    try:
        new_state = session.answer(form, state, value, now)
    except Refused as exc:
        await message.reply_text(t.refused(exc.message), parse_mode=ParseMode.HTML)
        return
    await _store_and_ask(context, message.chat.id, draft, new_state)


async def _store_and_ask(context: BotContext, chat_id: int, draft: ProgramDraft, state: State, *,
                         pressed: CallbackQuery | None = None) -> None:  # fmt: skip
    """Store the new state first, then show where it leads (in place of the pressed message, if any)."""
    saved = await program_drafts.save(context.db, draft.id, state=state.to_json(), now=context.now(),
                                      update_id=context.update_id)  # fmt: skip
    if saved is None:
        if pressed is not None:
            await edit_markup(pressed, None)
        await context.bot.send_message(chat_id, t.DRAFT_GONE)
        return
    message = pressed.message if pressed is not None else None
    await ask(context, chat_id, saved, in_place_of=message.message_id if message is not None else None)


# --- answering by button ----------------------------------------------------------------------------------


async def on_button(update: Update, context: BotContext) -> None:
    """Every button of the conversation: the presser's own open draft, the screen still showing, then the action."""
    query = update.callback_query
    assert query is not None and query.message is not None
    match = re.match(CALLBACK_PATTERN, query.data or "")
    assert match is not None
    draft_id, screen, action, arg = int(match[1]), match[2], match[3], match[4]
    draft = await program_drafts.get(context.db, draft_id)
    if draft is None or draft.user_id != query.from_user.id:
        await query.answer(t.NOT_YOURS if draft else texts.BUTTON_EXPIRED, show_alert=True)
        return
    if draft.status != "active":
        await query.answer(t.DRAFT_GONE, show_alert=True)
        return
    if draft.took(context.update_id):  # this press was taken before a restart: show where it led
        await query.answer()
        await ask(context, query.message.chat.id, draft, in_place_of=query.message.message_id)
        return
    state = State.from_json(draft.state)
    if screen != state.screen():
        await query.answer(t.STALE_BUTTON, show_alert=True)
        return
    index = int(arg) if arg is not None else None
    if action in "KUeXYN":
        await _summary_action(query, context, draft, state, action, index)
        return
    try:
        move = _step_move(draft, state, action, index, _now(context))
        new_state = move() if move is not None else None
    except (Refused, ValueError) as exc:
        await query.answer(exc.message if isinstance(exc, Refused) else str(exc), show_alert=True)
        return
    if new_state is None:
        await query.answer(texts.BUTTON_EXPIRED, show_alert=True)
        return
    await query.answer()
    await _store_and_ask(context, query.message.chat.id, draft, new_state, pressed=query)


def _step_move(draft: ProgramDraft, state: State, action: str, index: int | None, now: datetime) -> Move | None:
    """The session call a question's button stands for (answers read by the model first), or None if it does not
    fit the question on screen; ValueError or Refused when the answer is refused."""
    form = chat_form.form()
    if action == "b":
        return lambda: session.back(form, state, now)
    step = session.current(form, state, now)
    if step is None or step.question is None:
        return None
    question = step.question
    options = session.choices(form, state, step, now) if question.list_name else []
    kecamatan = _kecamatan(draft)
    chosen = state.answers.get(question.name, "").split()
    if action == "c" and question.kind is Kind.SELECT_ONE and index is not None and index < len(options):
        value = chat_form.read_answer(question.name, options[index].name, kecamatan)
        return lambda: session.answer(form, state, value, now)
    if action == "t" and question.kind is Kind.SELECT_MULTIPLE and index is not None and index < len(options):
        name = options[index].name
        ticked = [n for n in chosen if n != name] if name in chosen else [*chosen, name]
        order = [c.name for c in options]
        value = " ".join(sorted((n for n in ticked if n != chat_form.NONE), key=order.index))
        return lambda: session.hold(form, state, value, now)
    if action == "o" and question.name == "sasaran_ppks":
        return lambda: session.answer(form, state, chat_form.NONE, now)
    if action == "d" and question.kind is Kind.SELECT_MULTIPLE:
        if not chosen:
            raise ValueError(t.PPKS_PICK_OR_NONE if question.name == "sasaran_ppks" else t.PICK_AT_LEAST_ONE)
        value = chat_form.read_answer(question.name, chosen, kecamatan)
        return lambda: session.answer(form, state, value, now)
    if action == "s":
        return lambda: session.answer(form, state, "", now)
    if action == "k":
        return lambda: session.keep(form, state, now)
    return None


async def _summary_action(query: CallbackQuery, context: BotContext, draft: ProgramDraft, state: State, action: str,
                          index: int | None) -> None:  # fmt: skip
    assert query.message is not None
    chat_id = query.message.chat.id
    now = _now(context)
    at_summary = session.current(chat_form.form(), state, now) is None
    if action == "K" and at_summary:
        await _save(query, context, draft, state)
    elif action == "U" and at_summary:
        await query.answer()
        rows = [[_button(draft, state, labels.FIELD_LABELS[name], "e", i)] for i, name in enumerate(FIELDS)]
        await context.bot.send_message(chat_id, t.EDIT_WHICH, reply_markup=InlineKeyboardMarkup(rows))
    elif action == "e" and at_summary and index is not None and index < len(FIELDS):
        await query.answer()
        edited = session.edit(chat_form.form(), state, FIELDS[index], now)
        await _store_and_ask(context, chat_id, draft, edited, pressed=query)
    elif action == "X":
        await query.answer()
        markup = InlineKeyboardMarkup([[_button(draft, state, t.BUTTON_CANCEL_YES, "Y"),
                                        _button(draft, state, t.BUTTON_CANCEL_NO, "N")]])  # fmt: skip
        await context.bot.send_message(chat_id, t.CANCEL_CONFIRM, reply_markup=markup)
    elif action == "Y":
        await program_drafts.close(context.db, draft.id, "cancelled")
        await query.answer()
        await edit_pressed(query, t.CANCELLED)
    elif action == "N":
        await query.answer()
        await edit_pressed(query, t.CONTINUE)
        await ask(context, chat_id, draft)
    else:
        await query.answer(texts.BUTTON_EXPIRED, show_alert=True)


async def cancel_command(context: BotContext, chat_id: int, draft: ProgramDraft) -> None:
    """/batal while a program is being filled in: the draft is dropped, the plan stays as it was."""
    await program_drafts.close(context.db, draft.id, "cancelled")
    await context.bot.send_message(chat_id, t.CANCELLED)


# --- Simpan -----------------------------------------------------------------------------------------------


async def _save(query: CallbackQuery, context: BotContext, draft: ProgramDraft, state: State) -> None:
    """The whole program through read_program, then onto the plan's editable version; the draft closes and the
    menu comes back. A refusal names the field and asks it again."""
    assert query.message is not None
    chat_id, now = query.message.chat.id, _now(context)
    kecamatan = _kecamatan(draft)
    read = chat_form.read(state.answers, kecamatan, draft.program_uid)
    if read.program is None:
        problem = read.problems[0]
        await query.answer()
        await context.bot.send_message(chat_id, t.problem(problem.column, problem.message), parse_mode=ParseMode.HTML)
        edited = session.edit(chat_form.form(), state, problem.field, now)
        await _store_and_ask(context, chat_id, draft, edited)
        return
    if not await pengurus.is_pengurus(context, query.from_user, draft.kecamatan_code):
        await query.answer(t.not_pengurus_of(kecamatan.name), show_alert=True)
        return
    refusal = await _store_program(context, draft, read.program, query.from_user)
    if refusal is not None:
        await query.answer(refusal, show_alert=True)
        return
    await program_drafts.close(context.db, draft.id, "saved")
    await query.answer()
    await edit_pressed(query, t.saved(read.program.nama, draft.changing), parse_mode=ParseMode.HTML)
    await menu.show(context, chat_id, query.from_user, draft.kecamatan_code, draft.year)


async def _store_program(context: BotContext, draft: ProgramDraft, program: Program, user: User) -> str | None:
    """Store the program on the plan's editable version (a new revision of an approved plan); the refusal if
    it cannot be stored now. The uid was fixed when the draft began, so storing it twice changes one program."""
    db = context.db
    try:
        plan = await program_kerja.editable_plan(db, draft.kecamatan_code, draft.year, user_id=user.id,
                                                 user_name=display_name(user), now=context.now())  # fmt: skip
    except program_kerja.NotEditable:
        return t.WAITING
    uids = {p.uid for p in await program_kerja.programs(db, plan.id)}
    if program.uid not in uids and len(uids) >= MAX_PROGRAMS:
        return t.too_many(MAX_PROGRAMS)
    if not await program_kerja.save_program(db, plan.id, program, now=context.now()):
        return t.WAITING  # submitted from the page a moment ago
    logger.info("Program %s saved on plan %s (%s %s)", program.uid, plan.id, draft.kecamatan_code, draft.year)
    return None
