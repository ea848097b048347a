"""Filling in an XLSForm in a private chat: the view over bot/xlsform/session.py (the controller).

Every step reads the draft, lets the session decide, stores the new state, then answers: a restart between two
messages loses nothing. A draft is pinned to the form version it started on (its workbook is kept per version).

Button data: xf:<draft id>:<screen>:<action>[:<argument>]. <screen> is a short hash of what is on screen (the
step and how far the person has come), so a button from an earlier question is refused rather than misread.
Actions: c choose, t tick, d done, s skip, k keep/next, a acknowledge, y/n more instances, b back,
K submit, U edit list, e edit one, X cancel (asks), Y/N confirm or refuse the cancel, L/R resume or restart
a draft when its form is opened again, f a choice in a group asked as one message (`field-list`; its argument
<question>-<choice>), g that group done (Lanjut). The argument is a position, or (handlers/builtin_fill.py's
program buttons) a program kerja uid.

A draft of /laporan gets the kecamatan's approved programs as the choices of its program kerja question each
time it is read (`_load`, `begin`: bot/program_kerja/laporan_question.py).
"""

from __future__ import annotations

import hashlib
import logging
import re
import weakref
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
    User,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from bot import telegram_files, texts
from bot.access import display_name, is_member
from bot.clock import parse_iso
from bot.context import BotContext
from bot.forms import schema
from bot.forms.parse import Invalid
from bot.program_kerja import laporan_question
from bot.sending import edit_markup, edit_pressed, show_in_place
from bot.texts import xlsform_appearance as look_texts
from bot.texts import xlsform_meta as meta_texts
from bot.texts import xlsform_review_fix as fix_texts
from bot.texts import xlsform_types as type_texts
from bot.wilayah import kecamatan_by_code
from bot.xlsform import appearance, barcode, builtin, form_json, legacy, session
from bot.xlsform import review as xform_review
from bot.xlsform.answers import display, match_choice, parse_typed, point_from_location, range_parameters, range_values
from bot.xlsform.model import Form, Kind, Question, Section
from bot.xlsform.read import FormRejected
from bot.xlsform.reopen import reopen
from bot.xlsform.session import Refused, State, Step
from handlers import builtin_fill, form_submission, xlsform_media
from storage import outbox, registrations, xlsforms
from storage import xform_review as xform_store_review
from storage.db import Database
from storage.xlsforms import XDraft, XFormVersion, XSubmission

logger = logging.getLogger(__name__)

CALLBACK_PATTERN = r"^xf:(\d{1,12}):([0-9a-f]{8}):([a-zA-Z])(?::(\d{1,4}|\d{1,3}-\d{1,4}|[0-9a-f]{8}))?$"
PAYLOAD_PATTERN = re.compile(r"^xf(\d{1,9})-(\d{6})$")
ADMIN_COPY_KIND = "xform_admin"
ADMIN_ALBUM_KIND = "xform_album"
ALBUM_SIZE = 10  # Telegram's most photos in one album
_TEXT_KINDS = (Kind.TEXT, Kind.INTEGER, Kind.DECIMAL, Kind.DATE, Kind.TIME, Kind.DATETIME)
# Answers built over several messages or taps, held until Selesai (a tick list, a ranking, a line of points).
_HELD_KINDS = (Kind.SELECT_MULTIPLE, Kind.RANK, Kind.GEOTRACE, Kind.GEOSHAPE)
_FILE_EXPECTED = {Kind.FILE: type_texts.FILE_EXPECTED, Kind.AUDIO: type_texts.AUDIO_EXPECTED,
                  Kind.VIDEO: type_texts.VIDEO_EXPECTED}  # fmt: skip
_HOW = {
    Kind.DATETIME: meta_texts.DATETIME_HOW, Kind.RANK: type_texts.RANK_HOW, Kind.BARCODE: type_texts.BARCODE_HOW,
    Kind.GEOTRACE: type_texts.TRACE_HOW, Kind.GEOSHAPE: type_texts.TRACE_HOW, Kind.FILE: type_texts.FILE_EXPECTED,
    Kind.AUDIO: type_texts.AUDIO_EXPECTED, Kind.VIDEO: type_texts.VIDEO_EXPECTED,
}  # fmt: skip
_forms: dict[bytes, Form] = {}
# A stored version is never changed (a new upload is a new row; only a file attached before it is tried calls
# forget()), so each database's version rows and their forms
# are kept for the life of the process: an answer then costs no read of the workbook and no hashing of it. Keyed
# by the Database object, so another database (a test's, a restored one) never sees this one's versions.
_versions: weakref.WeakKeyDictionary[Database, dict[int, tuple[XFormVersion, Form]]] = weakref.WeakKeyDictionary()


def form_of(version: XFormVersion, attachments: Mapping[str, bytes] | None = None) -> Form:
    """The form of a stored version, read once per process; keyed by the workbook's digest, not its row id,
    so that a restored or different database can never be served another workbook's form. The stored form
    is in the key too: the same file uploaded under two names or at two times is two forms or versions."""
    key = hashlib.sha256(version.workbook + b"\0" + (version.form_json or "").encode()).digest()
    form = _forms.get(key)
    if form is None:
        form = _forms[key] = form_json.read(version.workbook, version.form_json, attachments)
    return form


async def version_and_form(db: Database, version_id: int) -> tuple[XFormVersion, Form] | None:
    """A stored version and its form, read from the database once per process."""
    known = _versions.setdefault(db, {})
    found = known.get(version_id)
    if found is None:
        version = await xlsforms.get_version(db, version_id)
        if version is None:
            return None
        # Read anew from its workbook only when another reader wrote its JSON: then with its attached files.
        files = None if form_json.current(version.form_json) else await xlsforms.attachments(db, version.id)
        found = known[version_id] = (version, form_of(version, files))
        if not form_json.current(version.form_json):  # uploaded before forms were kept as read, or read anew
            await xlsforms.remember_form_json(db, version.id, form_json.dumps(found[1]))
    return found


def forget(db: Database, version_id: int) -> None:
    """A version whose form was read again (a file attached to it): its next use loads the new form."""
    _versions.get(db, {}).pop(version_id, None)


async def warm(db: Database) -> int:
    """Read the current version of every published form at start: the first person to open one after a restart
    would otherwise wait for pyxform to load and read it (about a second for the laporan's 424 desa)."""
    read = 0
    for xform, _ in await xlsforms.published(db):
        if xform.current_version_id is None:
            continue
        try:
            await version_and_form(db, xform.current_version_id)
        except FormRejected as exc:  # a stored form today's reader refuses must not stop the bot's start
            logger.warning("Published form %s not readable at start: %s", xform.form_id, exc)
            continue
        read += 1
    return read


def payload_for(xform_id: int, kecamatan_code: str) -> str:
    return f"xf{xform_id}-{kecamatan_code.replace('.', '')}"


def _now(context: BotContext) -> datetime:
    return context.now().astimezone(context.config.timezone)


# --- opening ----------------------------------------------------------------------------------------------


async def live_draft(context: BotContext, user_id: int) -> tuple[XDraft | None, bool]:
    """(the person's open XLSForm draft, or None; whether one expired just now, which they are told).

    A draft untouched for FORM_DRAFT_HOURS expires, as today's form drafts do.
    """
    draft = await xlsforms.active_draft(context.db, user_id)
    if draft is None:
        return None, False
    if parse_iso(draft.updated_at) + timedelta(hours=context.config.form_draft_hours) > context.now():
        return draft, False
    if not await xlsforms.expire_draft(context.db, draft.id):
        return None, False
    version = await xlsforms.get_version(context.db, draft.version_id)
    title = version.title if version else ""
    if version is not None and builtin_fill.is_builtin(form_of(version)):
        text = texts.form_expired(title, context.config.form_draft_hours)  # again: /laporan, /evaluasi
    else:
        text = texts.form_expired(title, context.config.form_draft_hours, again=texts.XLSFORM_START_AGAIN)
    await context.bot.send_message(user_id, text, parse_mode=ParseMode.HTML)
    return None, True


async def start_payload(update: Update, context: BotContext, payload: str) -> bool:
    """/start xf12-320915 from a publication notice in a group; False if the payload is not ours."""
    match = PAYLOAD_PATTERN.match(payload)
    user = update.effective_user
    if match is None or user is None:
        return False
    xform = await xlsforms.get_form(context.db, int(match[1]))
    digits = match[2]
    code = f"{digits[:2]}.{digits[2:4]}.{digits[4:]}"
    if xform is None or xform.state != "published" or xform.current_version_id is None:
        await context.bot.send_message(user.id, texts.XLSFORM_CLOSED)
        return True
    publication = await xlsforms.latest_publication(context.db, xform.id)
    group = await registrations.active_for_kecamatan(context.db, code)
    allowed = (
        publication is not None and group is not None and await xlsforms.is_target(context.db, publication, code)
        and await is_member(context, group.chat_id, user.id)
    )  # fmt: skip
    if not allowed:
        await context.bot.send_message(user.id, texts.XLSFORM_NOT_FOR_YOU)
        return True
    draft, _ = await live_draft(context, user.id)
    if draft is not None and draft.took(context.update_id):
        await ask(context, user.id, draft)  # this link opened it before a restart; its question may not have gone
        return True
    if draft is not None and not draft.test:
        version = await xlsforms.get_version(context.db, draft.version_id)
        if version is not None and version.xform_id == xform.id and draft.kecamatan_code == code:
            await offer_resume(context, user.id, draft)  # the draft they left stays on its own version
            return True
        # A half-filled laporan, evaluasi or other form: a notice's link must not throw it away unasked.
        await offer_resume(context, user.id, draft)
        await context.bot.send_message(user.id, texts.xlsform_finish_draft_first(xform.title),
                                       parse_mode=ParseMode.HTML)  # fmt: skip
        return True
    version = await xlsforms.get_version(context.db, xform.current_version_id)
    assert version is not None
    await begin(context, user, version, kecamatan_code=code, test=False)
    return True


async def begin(
    context: BotContext, user: User, version: XFormVersion, *, kecamatan_code: str | None, test: bool,
    week: str | None = None, report_id: int | None = None, answers: dict[str, Any] | None = None,
    correcting: XSubmission | None = None,
) -> None:  # fmt: skip
    """A fresh draft on this version, its first question asked. A built-in form's draft may carry the report it
    corrects or updates, whose `answers` (the report's shape) it starts with, and an uploaded form's draft the
    submission it corrects (`correcting`, handlers/xlsform_correction.py): then its summary is shown."""
    form = form_of(version)
    # username stays the name shown everywhere else (with @username when there is one), as forms filled before
    # have it; deviceid names the Telegram account, the one device-like thing the bot knows.
    known = {session.USERNAME: display_name(user), session.DEVICEID: f"telegram:{user.id}"}
    now = _now(context)
    if kecamatan_code is not None:
        known["kecamatan"] = kecamatan_code
        if builtin_fill.is_builtin(form) and laporan_question.asks(form):
            offer = await laporan_question.offer(context.db, kecamatan_code, now.date())
            form = laporan_question.with_offer(form, offer)
            known.update(laporan_question.known(offer))
    if correcting is not None:
        state = reopen(form, correcting.data, now)
    else:
        state = session.start(form, now, known) if answers is None else builtin.replay(form, answers, known, now)
    draft = await xlsforms.start_draft(
        context.db, version_id=version.id, user_id=user.id, user_name=display_name(user),
        kecamatan_code=kecamatan_code, test=test, state=state.to_json(), now=context.now(), week=week,
        report_id=report_id, update_id=context.update_id, submission_id=correcting.id if correcting else None,
    )  # fmt: skip
    if builtin_fill.is_builtin(form) and answers is None and kecamatan_code is not None:
        await context.bot.send_message(user.id, builtin_fill.started(form, state, now, kecamatan_code),
                                       parse_mode=ParseMode.HTML)  # fmt: skip
    await ask(context, user.id, draft)


async def offer_resume(context: BotContext, chat_id: int, draft: XDraft) -> None:
    """The form opened again with its draft open: Lanjutkan or Mulai ulang, as /laporan asks."""
    form, state, _ = await _load(context, draft)
    if builtin_fill.is_builtin(form):
        answered, total = builtin_fill.progress(form, state, _now(context))
    else:
        found = session.steps(form, state, _now(context))
        answered = sum(1 for step in found if step.key in state.passed and step.question is not None)
        total = sum(1 for step in found if step.question is not None)
    kecamatan = kecamatan_by_code(draft.kecamatan_code or "")
    text = texts.form_resume(form.title, kecamatan.name if kecamatan else "", answered, total)
    markup = InlineKeyboardMarkup([[_button(draft, state, texts.BUTTON_RESUME, "L"),
                                    _button(draft, state, texts.BUTTON_RESTART, "R")]])  # fmt: skip
    await context.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup)


async def _resume_or_restart(update: Update, context: BotContext, draft: XDraft, version: XFormVersion,
                             action: str) -> None:  # fmt: skip
    """Lanjutkan asks the draft's current step again; Mulai ulang throws it away and starts the form's
    current version afresh (the old draft's version may have been replaced meanwhile)."""
    query = update.callback_query
    assert query is not None and query.message is not None
    await query.answer()
    await edit_markup(query, None)
    chat_id = query.message.chat.id
    if action == "L":
        await ask(context, chat_id, draft)
        return
    if builtin_fill.is_builtin(form_of(version)):
        await _restart_builtin(context, query.from_user, draft)
        return
    if draft.submission_id is not None:  # a correction starts again from the submission's answers, not afresh
        listed = await xform_store_review.get(context.db, draft.submission_id)
        if listed is None or listed.review is None or listed.review.status != xform_store_review.NEEDS_FIX:
            await xlsforms.cancel_draft(context.db, draft.id)
            await context.bot.send_message(chat_id, fix_texts.not_asked(version.title, draft.submission_id))
            return
        await begin(context, query.from_user, version, kecamatan_code=draft.kecamatan_code, test=False,
                    correcting=listed.submission)  # fmt: skip
        return
    xform = await xlsforms.get_form(context.db, version.xform_id)
    if xform is None or xform.state != "published" or xform.current_version_id is None:
        await context.bot.send_message(chat_id, texts.XLSFORM_CLOSED)
        return
    current = await xlsforms.get_version(context.db, xform.current_version_id)
    assert current is not None
    await begin(context, query.from_user, current, kecamatan_code=draft.kecamatan_code, test=False)


# --- asking -----------------------------------------------------------------------------------------------


async def _load(context: BotContext, draft: XDraft) -> tuple[Form, State, XFormVersion]:
    """The draft's form (a laporan's with its kecamatan's programs of today), its state and its version."""
    found = await version_and_form(context.db, draft.version_id)
    assert found is not None
    version, form = found
    state = State.from_json(draft.state)
    if draft.kecamatan_code is not None and builtin_fill.is_builtin(form):
        today = _now(context).date()
        form, state = await laporan_question.for_draft(context.db, form, state, draft.kecamatan_code, today)
    return form, state, version


def _button(draft: XDraft, state: State, label: str, action: str, arg: int | str | None = None) -> InlineKeyboardButton:
    data = f"xf:{draft.id}:{state.screen()}:{action}" + (f":{arg}" if arg is not None else "")
    return InlineKeyboardButton(label, callback_data=data)


def _header(form: Form, draft: XDraft, step: Step | None) -> str:
    section = ""
    if step is not None:
        name = step.question.name if step.question else (step.repeat.name if step.repeat else "")
        around = form.sections_around(name) if name else ()
        section = " › ".join(s.label for s in around if s.label)
    return texts.xlsform_header(form.title, section, draft.test)


async def ask(context: BotContext, chat_id: int, draft: XDraft, *, in_place_of: int | None = None) -> None:
    """Send what is on screen now: the current step, or the summary.

    After a button answer the pressed message itself becomes the next question (`in_place_of`), as /laporan
    does: one request instead of two (removing the old buttons, then a new message).
    """
    form, state, _ = await _load(context, draft)
    now = _now(context)
    step = session.current(form, state, now)
    if step is None:
        await show_summary(context, chat_id, draft, form, state, in_place_of=in_place_of)
        return
    if step.question is not None and step.question.kind is Kind.START_GEOPOINT:
        await _ask_start_point(context, chat_id, form, draft, step, in_place_of)
        return
    text, markup = (_builtin_question if builtin_fill.is_builtin(form) else _question)(form, draft, state, step, now)
    question = step.question
    if question is not None and xlsform_media.has_media(question) and appearance.field_list(form, question) is None:
        if await xlsform_media.show(context, chat_id, draft.version_id, question, text, markup, in_place_of):
            return
    await show_in_place(context, chat_id, text, markup, in_place_of)


async def _ask_start_point(context: BotContext, chat_id: int, form: Form, draft: XDraft, step: Step,
                           in_place_of: int | None) -> None:  # fmt: skip
    """Where the person is as they start: Telegram's location button on a reply keyboard, or Lewati."""
    if in_place_of is not None:  # a reply keyboard cannot be edited in: the pressed message only loses its buttons
        try:
            await context.bot.edit_message_reply_markup(chat_id, in_place_of, reply_markup=None)
        except BadRequest as exc:
            logger.info("Buttons of %s not removed: %s", in_place_of, exc.message)
    keys = [[KeyboardButton(type_texts.BUTTON_SEND_LOCATION, request_location=True)]]
    if step.question is not None and not step.question.required:
        keys.append([KeyboardButton(type_texts.BUTTON_SKIP_LOCATION)])
    markup = ReplyKeyboardMarkup(keys, resize_keyboard=True, one_time_keyboard=True)
    text = f"{_header(form, draft, step)}\n\n{texts.esc(type_texts.START_POINT_ASK)}"
    await context.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup)


def _question(
    form: Form, draft: XDraft, state: State, step: Step, now: datetime
) -> tuple[str, InlineKeyboardMarkup | None]:
    header = _header(form, draft, step)
    back = [_button(draft, state, texts.BUTTON_XF_BACK, "b")] if len(state.history) > 1 else []
    if step.repeat is not None:
        text = f"{header}\n\n{texts.xlsform_repeat_more(step.repeat.label, step.count)}"
        rows = [[_button(draft, state, texts.BUTTON_XF_YES, "y"), _button(draft, state, texts.BUTTON_XF_NO, "n")]]
        return text, InlineKeyboardMarkup([*rows, back] if back else rows)
    question = step.question
    assert question is not None
    if question.kind is Kind.SELECT_ONE and (group := appearance.field_list(form, question)) is not None:
        return _field_list_question(form, draft, state, step, group, now)
    value = state.answers.get(step.key, "")
    label_only = appearance.is_label_only(question)
    optional = question.kind not in (Kind.NOTE, Kind.ACKNOWLEDGE) and not label_only
    optional = optional and session.may_skip(form, state, step, now)
    options = session.choices(form, state, step, now) if question.list_name else []
    shown = display(question, value, options) if value and question.kind not in _HELD_KINDS else ""
    hint = "\n".join(h for h in (session.hint(form, state, step, now) or _how(question), _more_how(question)) if h)
    text = texts.xlsform_question(header, session.label(form, state, step, now), hint, shown, optional)
    rows: list[list[InlineKeyboardButton]] = []
    if label_only:  # a header of the choices, numbered for the `list-nolabel` questions after it
        text += "\n\n" + texts.esc(look_texts.numbered_choices([c.label for c in options]))
        rows = [[_button(draft, state, texts.BUTTON_XF_NEXT, "k")]]
    elif question.kind is Kind.SELECT_ONE:
        # A tap answers and moves on, with no confirm: what ODK's `quick` asks for is every select_one's way here.
        labels = [_choice_label(question, i, c.label) for i, c in enumerate(options)]
        rows = [[_button(draft, state, labels[i], "c", i) for i in row]
                for row in appearance.choice_rows(question, labels)]  # fmt: skip
        if not options:
            text += "\n\n" + texts.esc(texts.XLSFORM_NO_CHOICES)
    elif question.kind is Kind.SELECT_MULTIPLE:
        chosen = set(value.split())
        labels = [("✅ " if c.name in chosen else "") + _choice_label(question, i, c.label)
                  for i, c in enumerate(options)]  # fmt: skip
        rows = [[_button(draft, state, labels[i], "t", i) for i in row]
                for row in appearance.choice_rows(question, labels)]  # fmt: skip
        rows.append([_button(draft, state, texts.BUTTON_DONE, "d")])
    elif question.kind is Kind.RANK:
        ranked = value.split()
        labels = {c.name: c.label for c in options}
        if ranked:
            text += "\n\n" + texts.esc(type_texts.rank_so_far([labels.get(n, n) for n in ranked]))
        rows = [[_button(draft, state, c.label, "t", i)] for i, c in enumerate(options) if c.name not in ranked]
        if ranked:  # Selesai once every choice has its place: a ranking of some is no ranking
            done = [_button(draft, state, texts.BUTTON_DONE, "d")] if len(rows) == 0 else []
            rows.append([*done, _button(draft, state, type_texts.BUTTON_RANK_RESET, "z")])
    elif question.kind in (Kind.GEOTRACE, Kind.GEOSHAPE):
        points = [p for p in value.split(";") if p]
        text += "\n\n" + texts.esc(type_texts.points_so_far(len(points)))
        if points:  # Selesai once there are enough points for a line (2) or an area (3)
            enough = len(points) >= (3 if question.kind is Kind.GEOSHAPE else 2)
            done = [_button(draft, state, texts.BUTTON_DONE, "d")] if enough else []
            rows = [[*done, _button(draft, state, type_texts.BUTTON_POINTS_RESET, "z")]]
    elif question.kind is Kind.RANGE and (values := range_values(question)) is not None:
        rows = [[_button(draft, state, ("✅ " if v == value else "") + v, "c", i) for i, v in enumerate(values)]]
        rows = [rows[0][i : i + 6] for i in range(0, len(rows[0]), 6)]
    elif question.kind is Kind.NOTE:
        rows = [[_button(draft, state, texts.BUTTON_XF_NEXT, "k")]]
    elif question.kind is Kind.ACKNOWLEDGE:
        rows = [[_button(draft, state, texts.XLSFORM_ACKNOWLEDGED, "a")]]
    elif value:
        rows = [[_button(draft, state, texts.BUTTON_XF_KEEP, "k")]]
    if optional and question.kind not in _HELD_KINDS:
        rows.append([_button(draft, state, texts.BUTTON_SKIP, "s")])
    if back:
        rows.append(back)
    return text, InlineKeyboardMarkup(rows) if rows else None


def _choice_label(question: Question, position: int, label: str) -> str:
    """A choice's button: its label, or (`list-nolabel`) its number in the `label` header shown above."""
    return str(position + 1) if appearance.no_labels(question) else label


def _more_how(question: Question) -> str:
    """What a text question's appearance adds to its hint."""
    if appearance.multiline(question):
        return look_texts.MULTILINE_HINT
    if appearance.numbers_only(question) and not question.hint:
        return look_texts.NUMBERS_HOW
    return ""


def _group_steps(form: Form, state: State, step: Step, group: Section, now: datetime) -> list[Step]:
    """The visible steps of a `field-list` group, in the same repeat instance as the step on screen."""
    return [s for s in session.steps(form, state, now) if s.question is not None and s.prefix == step.prefix
            and any(around.name == group.name for around in form.sections_around(s.question.name))]  # fmt: skip


def _field_list_question(
    form: Form, draft: XDraft, state: State, step: Step, group: Section, now: datetime
) -> tuple[str, InlineKeyboardMarkup]:
    """A group of choices as one message: a line and one row of buttons per question (a `label` header only a
    line); a tap ticks that question's choice, Lanjut once every required one is answered."""
    lines, rows, missing, number = [], [], False, 0
    for position, member in enumerate(_group_steps(form, state, step, group, now)):
        question = member.question
        assert question is not None
        options = session.choices(form, state, member, now)
        label = session.label(form, state, member, now)
        if appearance.is_label_only(question):
            lines.append(
                look_texts.field_list_header_line(label, look_texts.numbered_choices([c.label for c in options]))
            )
            continue
        value = state.answers.get(member.key, "")
        optional = session.may_skip(form, state, member, now)
        missing = missing or (not value and not optional)
        number += 1
        lines.append(look_texts.field_list_line(number, label, display(question, value, options) if value else "",
                                                optional))  # fmt: skip
        buttons = [_button(draft, state, look_texts.field_list_button(number, _choice_label(question, i, c.label),
                                                                      c.name == value), "f", f"{position}-{i}")
                   for i, c in enumerate(options)]  # fmt: skip
        rows.extend(buttons[i : i + appearance.MAX_PER_ROW] for i in range(0, len(buttons), appearance.MAX_PER_ROW))
    text = f"{_header(form, draft, step)}\n\n" + "\n".join(lines) + f"\n\n<i>{texts.esc(look_texts.FIELD_LIST_HOW)}</i>"
    if not missing:
        rows.append([_button(draft, state, texts.BUTTON_XF_NEXT, "g")])
    if len(state.history) > 1:
        rows.append([_button(draft, state, texts.BUTTON_XF_BACK, "b")])
    return text, InlineKeyboardMarkup(rows)


async def show_summary(
    context: BotContext, chat_id: int, draft: XDraft, form: Form, state: State, *, in_place_of: int | None = None
) -> None:
    if builtin_fill.is_builtin(form) and draft.kecamatan_code is not None:
        text, builtin_markup = builtin_fill.summary(form, state, _now(context), draft.kecamatan_code,
                                                    _bound(draft, state))  # fmt: skip
        await show_in_place(context, chat_id, text, builtin_markup, in_place_of)
        return
    lines = [(line.label, line.value) for line in session.summary(form, state, _now(context))]
    markup = InlineKeyboardMarkup(
        [
            [
                _button(draft, state, texts.BUTTON_SUBMIT, "K"),
                _button(draft, state, texts.BUTTON_EDIT, "U"),
                _button(draft, state, texts.BUTTON_CANCEL, "X"),
            ],
            [_button(draft, state, texts.BUTTON_XF_BACK, "b")],
        ]
    )
    await show_in_place(context, chat_id, texts.xlsform_summary(_header(form, draft, None), lines), markup, in_place_of)


# --- answering by message ---------------------------------------------------------------------------------


async def on_message(update: Update, context: BotContext, draft: XDraft) -> None:
    """A private message while an XLSForm draft is open: the answer to the current question."""
    message = update.effective_message
    assert message is not None
    if draft.took(context.update_id):
        # Taken before a restart cut its handling short: taking it again would answer the next question with it.
        await ask(context, message.chat.id, draft)
        return
    form, state, _ = await _load(context, draft)
    now = _now(context)
    step = session.current(form, state, now)
    if draft.confirming_cancel or step is None:
        await message.reply_text(texts.XLSFORM_SUMMARY_BUTTONS if step is None else texts.XLSFORM_USE_BUTTON)
        return
    if builtin_fill.is_builtin(form):
        try:
            move = builtin_fill.typed(form, state, step, message, now)
        except Invalid as exc:
            await message.reply_text(str(exc), parse_mode=ParseMode.HTML)  # today's refusal, already HTML
            return
        await _take(context, message.chat.id, draft, form, state, move)
        return
    kind = step.question.kind if step.question is not None else None
    try:
        if kind in (Kind.GEOTRACE, Kind.GEOSHAPE):
            point = _point_of(message, now)
            held = ";".join(p for p in (state.answers.get(step.key, ""), point) if p)
            await _take(context, message.chat.id, draft, form, state, lambda: session.hold(form, state, held, now))
            return
        if kind is Kind.BARCODE and message.photo:
            value = await _barcode_of(context, message)
        elif kind is Kind.START_GEOPOINT and message.text is not None and message.location is None:
            await _start_point_typed(context, message, draft, form, state, step, now)
            return
        else:
            value = _typed_value(form, state, step, message, now)
    except Invalid as exc:
        await message.reply_text(texts.xlsform_refused(str(exc)), parse_mode=ParseMode.HTML)
        return
    if kind is Kind.START_GEOPOINT:
        await message.reply_text(type_texts.START_POINT_SAVED, reply_markup=ReplyKeyboardRemove())
    await _take(context, message.chat.id, draft, form, state, lambda: session.answer(form, state, value, now))


def _point_of(message: Message, now: datetime) -> str:
    """One point of a line or an area: a location sent, or coordinates typed."""
    if message.location is not None:
        location = message.location
        return point_from_location(location.latitude, location.longitude, location.horizontal_accuracy)
    if message.text is None:
        raise Invalid(type_texts.TRACE_LOCATION_EXPECTED)
    return parse_typed(Question("", Kind.GEOPOINT, "", 0), message.text, now)


async def _barcode_of(context: BotContext, message: Message) -> str:
    """The code in a photo sent for a barcode question; Invalid when it cannot be fetched or read."""
    try:
        data = await telegram_files.download(context.bot, message.photo[-1].file_id)
    except TelegramError as exc:
        logger.info("Barcode photo not fetched: %s", exc.message)
        raise Invalid(type_texts.BARCODE_UNREADABLE) from exc
    code = barcode.decode(data)
    if code is None:
        raise Invalid(type_texts.BARCODE_UNREADABLE)
    return code


async def _start_point_typed(context: BotContext, message: Message, draft: XDraft, form: Form, state: State,
                             step: Step, now: datetime) -> None:  # fmt: skip
    """Text while the starting location is asked: Lewati skips it (when it may be skipped); else how to answer."""
    if message.text.strip().lower() != type_texts.BUTTON_SKIP_LOCATION.lower() or not session.may_skip(
        form, state, step, now
    ):
        await message.reply_text(type_texts.START_POINT_EXPECTED)
        return
    await message.reply_text(type_texts.START_POINT_SKIPPED, reply_markup=ReplyKeyboardRemove())
    await _take(context, message.chat.id, draft, form, state, lambda: session.answer(form, state, "", now))


def _typed_value(form: Form, state: State, step: Step, message: Message, now: datetime) -> str:
    """The answer a message gives for this step, or Invalid with what to send instead."""
    question = step.question
    if question is None or question.kind in (Kind.NOTE, Kind.ACKNOWLEDGE):
        raise Invalid(texts.XLSFORM_USE_BUTTON)
    if question.kind is Kind.IMAGE:
        if not message.photo:
            raise Invalid(texts.XLSFORM_PHOTO_EXPECTED)
        return message.photo[-1].file_id
    if question.kind in (Kind.FILE, Kind.AUDIO, Kind.VIDEO):
        return _file_id(question.kind, message)
    if question.kind is Kind.START_GEOPOINT:
        if message.location is None:
            raise Invalid(type_texts.START_POINT_EXPECTED)
        location = message.location
        return point_from_location(location.latitude, location.longitude, location.horizontal_accuracy)
    if question.kind is Kind.GEOPOINT and message.location is not None:
        location = message.location
        return point_from_location(location.latitude, location.longitude, location.horizontal_accuracy)
    if message.text is None:
        raise Invalid(texts.XLSFORM_TEXT_EXPECTED)
    if appearance.is_label_only(question) or appearance.field_list(form, question) is not None:
        raise Invalid(texts.XLSFORM_USE_BUTTON)  # a header, or a group of choices: its buttons say which is which
    if appearance.numbers_only(question) and not appearance.is_number_text(message.text.strip()):
        raise Invalid(look_texts.NUMBERS_ONLY)
    if question.kind is Kind.SELECT_ONE:
        return match_choice(session.choices(form, state, step, now), message.text).name
    if question.kind in (Kind.SELECT_MULTIPLE, Kind.RANK):
        options = session.choices(form, state, step, now)
        parts = [p for p in re.split(r"[,;\n]", message.text) if p.strip()]
        return " ".join(dict.fromkeys(match_choice(options, p).name for p in parts))
    return parse_typed(question, message.text, now)


def _file_id(kind: Kind, message: Message) -> str:
    """The Telegram file id of a document, a voice note or audio, or a video; Invalid for any other message."""
    if kind is Kind.FILE and message.document is not None:
        return message.document.file_id
    if kind is Kind.AUDIO and (media := message.voice or message.audio) is not None:
        return media.file_id
    if kind is Kind.VIDEO and (media := message.video or message.video_note) is not None:
        return media.file_id
    raise Invalid(_FILE_EXPECTED[kind])


def _how(question: Question) -> str:
    """What to send, for a question whose type needs saying when the form gives no hint."""
    if question.kind is Kind.RANGE:
        return "" if range_values(question) else type_texts.range_how(*range_parameters(question))
    return _HOW.get(question.kind, "")


async def _take(
    context: BotContext, chat_id: int, draft: XDraft, form: Form, state: State, move: Callable[[], State],
    *, pressed: CallbackQuery | None = None,
) -> None:  # fmt: skip
    """Apply one move of the session; a refusal is said and nothing is stored, otherwise store then ask.

    `pressed`: the button press that made the move; its message becomes the next question, or loses its
    buttons when the move is refused or the draft is gone.
    """
    try:
        new_state = move()
    except Refused as exc:
        if pressed is not None:
            await edit_markup(pressed, None)
        await context.bot.send_message(chat_id, texts.xlsform_refused(exc.message), parse_mode=ParseMode.HTML)
        return
    saved = await xlsforms.save_draft(
        context.db, draft.id, state=new_state.to_json(), now=context.now(), update_id=context.update_id
    )
    if saved is None:
        if pressed is not None:
            await edit_markup(pressed, None)
        await context.bot.send_message(chat_id, texts.FORM_GONE)
        return
    if pressed is not None and _is_captioned(pressed) and new_state.current == state.current is not None:
        # A tick on a question shown with its picture: the caption and buttons change, the picture stays.
        assert pressed.message is not None
        if await _recaption(context, chat_id, saved, pressed.message.message_id):
            return
    await ask(context, chat_id, saved, in_place_of=await _in_place(pressed))


def _is_captioned(pressed: CallbackQuery) -> bool:
    message = pressed.message
    return getattr(message, "text", None) is None and getattr(message, "caption", None) is not None


async def _in_place(pressed: CallbackQuery | None) -> int | None:
    """The pressed message, to become the next question; a question sent as a picture with its caption cannot
    become a text, so it only loses its buttons."""
    message = pressed.message if pressed is not None else None
    if pressed is None or message is None:
        return None
    if _is_captioned(pressed):
        await edit_markup(pressed, None)
        return None
    return message.message_id


async def _recaption(context: BotContext, chat_id: int, draft: XDraft, message_id: int) -> bool:
    """The question on screen as the caption of its picture; False if it no longer fits in one."""
    form, state, _ = await _load(context, draft)
    now = _now(context)
    step = session.current(form, state, now)
    if step is None or step.question is None:
        return False
    text, markup = _question(form, draft, state, step, now)
    if len(text) > xlsform_media.CAPTION_LIMIT:
        return False
    try:
        await context.bot.edit_message_caption(chat_id, message_id, caption=text, parse_mode=ParseMode.HTML,
                                               reply_markup=markup)  # fmt: skip
    except BadRequest as exc:
        logger.info("Caption of %s not changed: %s", message_id, exc.message)
    return True


# --- answering by button ----------------------------------------------------------------------------------


async def on_button(update: Update, context: BotContext) -> None:
    """Every fill-in button: the presser's own live draft, the screen still showing, then the action."""
    query = update.callback_query
    assert query is not None and query.message is not None
    match = re.match(CALLBACK_PATTERN, query.data or "")
    assert match is not None
    draft_id, screen, action, arg = int(match[1]), match[2], match[3], match[4]
    draft = await xlsforms.get_draft(context.db, draft_id)
    if draft is None or draft.user_id != query.from_user.id:
        await query.answer(texts.FORM_NOT_YOURS if draft else texts.BUTTON_EXPIRED, show_alert=True)
        return
    if draft.status != "active":
        await query.answer(texts.FORM_GONE, show_alert=True)
        return
    chat_id = query.message.chat.id
    if draft.took(context.update_id):  # this press was taken before a restart: show where it led
        await query.answer()
        await ask(context, chat_id, draft, in_place_of=await _in_place(query))
        return
    form, state, version = await _load(context, draft)
    if screen != state.screen():
        await query.answer(texts.FORM_STALE_BUTTON, show_alert=True)
        return
    index = int(arg) if arg is not None and len(arg) <= 4 and arg.isdigit() else None
    if action in "LR":
        await _resume_or_restart(update, context, draft, version, action)
        return
    if action in "KUeXYN":
        await _summary_action(update, context, draft, form, state, version, action, index)
        return
    if builtin_fill.is_builtin(form) and await _builtin_press(update, context, draft, form, state, action, index,
                                                              arg):  # fmt: skip
        return
    now = _now(context)
    move = _step_move(form, state, action, index, now, arg)
    if action == "g" and move is not None:
        # A group refused (a constraint) keeps its message and buttons: the reason is shown over it.
        try:
            moved = move()
        except Refused as exc:
            await query.answer(exc.message[:200], show_alert=True)
            return
        move = lambda: moved  # noqa: E731
    await query.answer()
    if move is None:
        await edit_markup(query, None)
        await context.bot.send_message(chat_id, texts.BUTTON_EXPIRED)
        return
    # A tick is a move like any other: stored, and the same question shown again (in place) with its ticks.
    await _take(context, chat_id, draft, form, state, move, pressed=query)


def _step_move(form: Form, state: State, action: str, index: int | None, now: datetime,
               arg: str | None = None) -> Callable[[], State] | None:  # fmt: skip
    """The session call a question button stands for, or None if it does not fit the question on screen."""
    step = session.current(form, state, now)
    if action == "b":
        return lambda: session.back(form, state, now)
    if step is None:
        return None
    if action in "yn" and step.repeat is not None:
        return lambda: session.more(form, state, action == "y", now)
    question = step.question
    if question is None:
        return None
    options = session.choices(form, state, step, now) if question.list_name else []
    if action == "c" and question.kind is Kind.SELECT_ONE and index is not None and index < len(options):
        return lambda: session.answer(form, state, options[index].name, now)
    if action in "fg" and question.kind is Kind.SELECT_ONE:
        return _field_list_move(form, state, step, action, arg, now)
    if action == "t" and question.kind is Kind.SELECT_MULTIPLE and index is not None and index < len(options):
        chosen = state.answers.get(step.key, "").split()
        name = options[index].name
        ticked = [n for n in chosen if n != name] if name in chosen else [*chosen, name]
        order = [c.name for c in options]
        value = " ".join(sorted(ticked, key=lambda n: order.index(n) if n in order else len(order)))
        return lambda: session.hold(form, state, value, now)
    if action == "c" and question.kind is Kind.RANGE and index is not None:
        values = range_values(question) or []
        return (lambda: session.answer(form, state, values[index], now)) if index < len(values) else None
    if action == "t" and question.kind is Kind.RANK and index is not None and index < len(options):
        ranked = state.answers.get(step.key, "").split()
        name = options[index].name
        return lambda: session.hold(form, state, " ".join(ranked if name in ranked else [*ranked, name]), now)
    if action == "z" and question.kind in _HELD_KINDS:
        return lambda: session.hold(form, state, "", now)
    if action == "d" and question.kind in _HELD_KINDS:
        return lambda: session.answer(form, state, state.answers.get(step.key, ""), now)
    if action == "s":
        return lambda: session.answer(form, state, "", now)
    if action == "k":
        return lambda: session.keep(form, state, now)
    if action == "a" and question.kind is Kind.ACKNOWLEDGE:
        return lambda: session.answer(form, state, texts.XLSFORM_ACKNOWLEDGED, now)
    return None


def _field_list_move(form: Form, state: State, step: Step, action: str, arg: str | None,
                     now: datetime) -> Callable[[], State] | None:  # fmt: skip
    """A tap in a group asked as one message: tick (or, tapped again, untick) a choice; or Lanjut."""
    assert step.question is not None
    group = appearance.field_list(form, step.question)
    if group is None:
        return None
    members = _group_steps(form, state, step, group, now)
    if action == "g":
        return lambda: session.answer_group(form, state, [m.key for m in members], now)
    at, _, choice = (arg or "").partition("-")
    if not (at.isdigit() and choice.isdigit() and int(at) < len(members)):
        return None
    member = members[int(at)]
    options = session.choices(form, state, member, now)
    if int(choice) >= len(options):
        return None
    name = options[int(choice)].name
    value = "" if state.answers.get(member.key) == name else name
    return lambda: session.set_answer(form, state, member.key, value, now)


async def _summary_action(update: Update, context: BotContext, draft: XDraft, form: Form, state: State,
                          version: XFormVersion, action: str, index: int | None) -> None:  # fmt: skip
    query = update.callback_query
    assert query is not None and query.message is not None
    chat_id = query.message.chat.id
    now = _now(context)
    if action == "K":
        await submit(update, context, draft, form, state, version)
    elif action == "U" and builtin_fill.is_builtin(form):
        await query.answer()
        markup = builtin_fill.edit_list(form, state, now, _bound(draft, state))
        await context.bot.send_message(chat_id, texts.FORM_EDIT_WHICH, reply_markup=markup)
    elif action == "e" and index is not None and builtin_fill.is_builtin(form):
        await query.answer()
        move = builtin_fill.edit(form, state, index, now)
        if move is not None:
            await _take(context, chat_id, draft, form, state, move)
    elif action == "U":
        await query.answer()
        lines = session.summary(form, state, now)
        rows = [[_button(draft, state, line.label[:60], "e", i)] for i, line in enumerate(lines)]
        await context.bot.send_message(chat_id, texts.XLSFORM_EDIT_WHICH, reply_markup=InlineKeyboardMarkup(rows))
    elif action == "e" and index is not None:
        lines = session.summary(form, state, now)
        await query.answer()
        if index < len(lines):
            await _take(context, chat_id, draft, form, state, lambda: session.edit(form, state, lines[index].key, now))
    elif action == "X":
        await query.answer()
        await xlsforms.save_draft(context.db, draft.id, state=draft.state, now=context.now(), confirming_cancel=True)
        markup = InlineKeyboardMarkup([[_button(draft, state, texts.BUTTON_XF_CANCEL_YES, "Y"),
                                        _button(draft, state, texts.BUTTON_XF_CANCEL_NO, "N")]])  # fmt: skip
        await context.bot.send_message(chat_id, texts.XLSFORM_CANCEL_CONFIRM, reply_markup=markup)
    elif action == "Y" and draft.confirming_cancel:
        await xlsforms.cancel_draft(context.db, draft.id)
        await query.answer()
        await edit_pressed(query, texts.XLSFORM_CANCELLED)
    elif action == "N" and draft.confirming_cancel:
        saved = await xlsforms.save_draft(context.db, draft.id, state=draft.state, now=context.now())
        await query.answer()
        await edit_pressed(query, texts.XLSFORM_CONTINUE)
        if saved is not None:
            await ask(context, chat_id, saved)
    else:
        await query.answer(texts.BUTTON_EXPIRED, show_alert=True)


async def cancel_command(context: BotContext, chat_id: int, draft: XDraft) -> None:
    """/batal with an XLSForm draft open: asked first, like the Batal button."""
    _, state, _ = await _load(context, draft)
    await xlsforms.save_draft(context.db, draft.id, state=draft.state, now=context.now(), confirming_cancel=True)
    markup = InlineKeyboardMarkup([[_button(draft, state, texts.BUTTON_XF_CANCEL_YES, "Y"),
                                    _button(draft, state, texts.BUTTON_XF_CANCEL_NO, "N")]])  # fmt: skip
    await context.bot.send_message(chat_id, texts.XLSFORM_CANCEL_CONFIRM, reply_markup=markup)


# --- submitting -------------------------------------------------------------------------------------------


async def submit(update: Update, context: BotContext, draft: XDraft, form: Form, state: State,
                 version: XFormVersion) -> None:  # fmt: skip
    """Store the submission once (a test fill is only closed), with the admins' copies owed in the same write."""
    query = update.callback_query
    assert query is not None and query.message is not None
    chat_id = query.message.chat.id
    now = _now(context)
    xform = await xlsforms.get_form(context.db, version.xform_id)
    # A correction Dinsos asked for is taken even after the form closed to new submissions.
    if not draft.test and draft.submission_id is None and (xform is None or xform.state == "closed"):
        await query.answer()
        await context.bot.send_message(chat_id, texts.xlsform_version_gone(form.title), parse_mode=ParseMode.HTML)
        return
    try:
        if builtin_fill.is_builtin(form):
            builtin_fill.check(form, state, now)
        data = session.finish(form, state, now)
    except Refused as exc:
        await query.answer()
        await context.bot.send_message(chat_id, texts.xlsform_refused(exc.message), parse_mode=ParseMode.HTML)
        where = exc.step
        if where is not None:
            await _take(context, chat_id, draft, form, state, lambda: session.edit(form, state, where, now))
        return
    if builtin_fill.is_builtin(form):
        fields = schema.of(form)
        answers = legacy.from_xlsform(fields.fields, data, draft.kecamatan_code or "")
        await form_submission.submit(update, context, draft, fields, answers)
        return
    lines = [(line.label, line.value) for line in session.summary(form, state, now)]
    owed = _admin_copies(context, draft, form, version, lines, _photos(form, data["answers"]))
    submission, created = await xlsforms.submit(context.db, draft.id, data=data, now=context.now(), owed=owed)
    await query.answer()
    if not created and submission is None and draft.submission_id is not None:
        await edit_markup(query, None)
        await context.bot.send_message(chat_id, fix_texts.not_applied(form.title, draft.submission_id))
        return
    if not created:
        await context.bot.send_message(chat_id, texts.xlsform_already_submitted(form.title))
        return
    await edit_markup(query, None)
    if submission is None:
        await context.bot.send_message(chat_id, texts.XLSFORM_TEST_DONE)
        return
    logger.info("XLSForm %s submission #%s v%s from %s", form.form_id, submission.id, submission.version,
                submission.kecamatan_code)  # fmt: skip
    if submission.version > 1:
        text = fix_texts.submitted(form.title, submission.id, submission.version)
    else:
        text = texts.xlsform_submitted(form.title, submission.id)
    await context.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML)
    context.sender.wake()


def _photos(form: Form, answers: dict[str, str]) -> list[str]:
    """The Telegram file ids of every photo answer, in form order (repeat instances included)."""
    names = {q.name for q in form.questions() if q.kind is Kind.IMAGE}
    return [value for key, value in answers.items() if key.rsplit("/", 1)[-1] in names and value]


def _admin_copies(
    context: BotContext, draft: XDraft, form: Form, version: XFormVersion, lines: list[tuple[str, str]],
    photos: list[str],
) -> Callable[[XSubmission], list[outbox.Owed]]:  # fmt: skip
    """The admins' copies of a submission, written when its number is known (inside the storing write)."""
    kecamatan = kecamatan_by_code(draft.kecamatan_code or "")
    name = kecamatan.name if kecamatan else (draft.kecamatan_code or "")

    def build(submission: XSubmission) -> list[outbox.Owed]:
        text = texts.xlsform_admin_copy(form.title, version.version, name, submission.id, draft.user_name, lines)
        if submission.version > 1:
            text = f"{fix_texts.admin_copy_line(submission.version)}\n{text}"
        payload = {
            "text": text if len(text) <= 4096 else text[:4095] + "…",
            "parse_mode": ParseMode.HTML,
            "reply_markup": xform_review.review_keyboard(submission.id, submission.version).to_dict(),
        }
        owed = []
        for admin_id in sorted(context.config.admin_ids):
            # A corrected version's copies are owed anew: the outbox keeps one row per (kind, ref, recipient).
            recipient = f"admin:{admin_id}" + (f":v{submission.version}" if submission.version > 1 else "")
            owed.append(outbox.Owed(ADMIN_COPY_KIND, submission.id, submission.kecamatan_code, admin_id, payload,
                                    recipient))  # fmt: skip
            # One album per ten photos; the outbox keeps one row per (kind, ref, recipient), so each album of a
            # submission gets its own ref: the submission id times 100 plus the album's number.
            for n, first in enumerate(range(0, len(photos), ALBUM_SIZE)):
                album = {"text": f"Foto {form.title} #{submission.id}", "album": photos[first : first + ALBUM_SIZE]}
                owed.append(outbox.Owed(ADMIN_ALBUM_KIND, submission.id * 100 + n, submission.kecamatan_code,
                                        admin_id, album, recipient))  # fmt: skip
        return owed

    return build


# --- the built-in forms (/laporan, /evaluasi): today's look, through handlers/builtin_fill.py ---------------


def _bound(draft: XDraft, state: State) -> builtin_fill.Button:
    def button(label: str, action: str, arg: int | str | None = None) -> InlineKeyboardButton:
        return _button(draft, state, label, action, arg)

    return button


def _builtin_question(
    form: Form, draft: XDraft, state: State, step: Step, now: datetime
) -> tuple[str, InlineKeyboardMarkup | None]:
    back = [_button(draft, state, texts.BUTTON_XF_BACK, "b")] if len(state.history) > 1 else []
    return builtin_fill.question(form, state, step, now, _bound(draft, state), back)


async def _builtin_press(update: Update, context: BotContext, draft: XDraft, form: Form, state: State,
                         action: str, index: int | None, arg: str | None) -> bool:  # fmt: skip
    """Selesai, Tidak ada, a program kerja, and a tick (its question keeps its place, its buttons show the
    tick): False for every other button, which works as on any form."""
    query = update.callback_query
    assert query is not None and query.message is not None
    now = _now(context)
    step = session.current(form, state, now)
    if action == "t":
        move = _step_move(form, state, action, index, now)
        if move is None:
            return False
        saved = await xlsforms.save_draft(
            context.db, draft.id, state=move().to_json(), now=context.now(), update_id=context.update_id
        )
        await query.answer()
        if saved is None:
            await context.bot.send_message(query.message.chat.id, texts.FORM_GONE)
            return True
        new_state = State.from_json(saved.state)
        current = session.current(form, new_state, now)
        if current is not None:
            await edit_markup(query, _builtin_question(form, saved, new_state, current, now)[1])
        return True
    outcome = builtin_fill.pressed(form, state, step, action, arg, now)
    if outcome is None:
        return False
    if isinstance(outcome, str):
        await query.answer(outcome, show_alert=True)
        return True
    if isinstance(outcome, builtin_fill.Again):
        await query.answer(outcome.alert, show_alert=True)
        await ask(context, query.message.chat.id, draft, in_place_of=query.message.message_id)
        return True
    await query.answer()
    await _take(context, query.message.chat.id, draft, form, state, outcome, pressed=query)
    return True


async def _restart_builtin(context: BotContext, user: User, draft: XDraft) -> None:
    """Mulai ulang of /laporan or /evaluasi: afresh on the form's current version, same kecamatan and week."""
    old = await xlsforms.get_version(context.db, draft.version_id)
    key = form_of(old).form_id if old is not None else ""
    version = await xlsforms.builtin_version(context.db, key)
    assert version is not None
    await begin(context, user, version, kecamatan_code=draft.kecamatan_code, test=False, week=draft.week)
