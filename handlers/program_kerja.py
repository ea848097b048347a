"""/programkerja: the year's program kerja, wherever it is asked for (issue 17).

- A Dinsos admin in private: the kabupaten's overview, or `tenggat` (handlers/program_kerja_admin.py).
- A registered kecamatan group: the plan as a short list for everyone (privacy mode: only the command reaches the
  bot); a pengurus also gets a button that opens the private chat on that kecamatan (/start pk-<digits>).
- A pengurus in private: the menu of the planning year (handlers/program_kerja_menu.py); one of several
  kecamatan is chosen first. A program is added or changed in a conversation (handlers/program_kerja_fill.py).
- Anyone else in private: who composes a plan, and where to ask.

Every menu button (pm:...) asks Telegram again whether the presser is a pengurus of the kecamatan it names, and
takes only this year or the next: a forged or old button changes nothing and is answered.
"""

from __future__ import annotations

import re

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update, User
from telegram.constants import ParseMode

from bot import texts
from bot.access import display_name, is_group
from bot.context import BotContext
from bot.forms.parse import format_rupiah
from bot.program_kerja import pengurus, review
from bot.program_kerja.model import MAX_PROGRAMS, planning_year
from bot.sending import edit_pressed
from bot.texts import program_chat as t
from bot.texts import program_kerja as labels
from bot.wilayah import kecamatan_by_code
from handlers import program_kerja_admin, program_kerja_fill
from handlers import program_kerja_menu as menu
from storage import program_kerja, registrations

CALLBACK_PATTERN = r"^pm:([a-zA-Z]):(\d{6}):(\d{4})(?::([0-9A-Za-z_-]{1,16}))?$"
PAYLOAD_PATTERN = re.compile(r"^pk-(\d{6})$")


async def programkerja(update: Update, context: BotContext) -> None:
    """/programkerja: the admins' overview, the group's list, or the pengurus's menu."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    assert message is not None and chat is not None
    if is_group(chat):
        await _in_group(update, context)
        return
    if user is None:
        return
    if context.is_dinsos_admin(user.id):
        args = context.args or []
        if args and args[0].lower() == "tenggat":
            await program_kerja_admin.tenggat(update, context, args[1:])
        else:
            await program_kerja_admin.overview(update, context)
        return
    draft, _ = await program_kerja_fill.live_draft(context, user.id)
    if draft is not None:
        await program_kerja_fill.remind(context, chat.id, draft)
        return
    codes = await pengurus.kecamatan_of(context, user)
    year = menu.default_year(context)
    if not codes:
        await message.reply_text(t.NOT_PENGURUS)
    elif len(codes) == 1:
        await menu.show(context, chat.id, user, codes[0], year)
    else:
        rows = [[InlineKeyboardButton(_name(code), callback_data=menu.data("m", code, year))] for code in codes]
        await message.reply_text(t.CHOOSE_KECAMATAN, reply_markup=InlineKeyboardMarkup(rows))


def _name(code: str) -> str:
    kecamatan = kecamatan_by_code(code)
    return kecamatan.name if kecamatan else code


async def start_payload(update: Update, context: BotContext, payload: str) -> bool:
    """/start pk-320915 from the group's button; False if the payload is not ours."""
    match = PAYLOAD_PATTERN.match(payload)
    user = update.effective_user
    if match is None or user is None:
        return False
    code = menu.code_of(match[1])
    kecamatan = kecamatan_by_code(code)
    if kecamatan is None or not await pengurus.is_pengurus(context, user, code):
        text = t.not_pengurus_of(kecamatan.name) if kecamatan else t.NOT_PENGURUS
        await context.bot.send_message(user.id, text)
        return True
    draft, _ = await program_kerja_fill.live_draft(context, user.id)
    if draft is not None:
        await program_kerja_fill.remind(context, user.id, draft)
        return True
    await menu.show(context, user.id, user, code, menu.default_year(context))
    return True


# --- in a group ---------------------------------------------------------------------------------------------


async def _in_group(update: Update, context: BotContext) -> None:
    """The group's plan for the planning year, as a short list; the pengurus's way to the private chat."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    assert message is not None and chat is not None
    registration = await registrations.active_for_chat(context.db, chat.id)
    if registration is None:
        await message.reply_text(t.GROUP_NOT_REGISTERED)
        return
    code = registration.kecamatan_code
    year = planning_year(menu.today(context))
    state = (await program_kerja.year_states(context.db, year, code)).get(code)
    latest = state.latest if state else None
    plan = (state.in_force if state else None) or latest
    newer = None
    if plan is not None and latest is not None and latest.id != plan.id:
        newer = t.newer_version(latest.version, labels.STATUS_LABELS[latest.status])
    programs = await program_kerja.programs(context.db, plan.id) if plan is not None else []
    is_pengurus = await pengurus.is_pengurus(context, user, code)
    text = t.group_plan(
        year, registration.kecamatan_name, labels.STATUS_LABELS[plan.status if plan else "belum"],
        plan.version if plan else None, menu.listing(programs) if plan else t.GROUP_NO_PLAN_YET, newer, is_pengurus,
    )  # fmt: skip
    markup = None
    if is_pengurus:
        link = f"https://t.me/{context.bot.username}?start=pk-{menu.digits(code)}"
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(t.BUTTON_OPEN_PRIVATE, url=link)]])
    await message.reply_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)


# --- the menu's buttons -------------------------------------------------------------------------------------


async def on_button(update: Update, context: BotContext) -> None:
    """A menu button: the presser must be a pengurus of its kecamatan now, the year this one or the next."""
    query = update.callback_query
    assert query is not None and query.message is not None
    match = re.match(CALLBACK_PATTERN, query.data or "")
    assert match is not None
    action, code, year, uid = match[1], menu.code_of(match[2]), int(match[3]), match[4]
    kecamatan = kecamatan_by_code(code)
    if kecamatan is None or year not in menu.years(context):
        await query.answer(texts.BUTTON_EXPIRED, show_alert=True)
        return
    if not await pengurus.is_pengurus(context, query.from_user, code):
        await query.answer(t.not_pengurus_of(kecamatan.name), show_alert=True)
        return
    handler = _ACTIONS.get(action)
    if handler is None:
        await query.answer(texts.BUTTON_EXPIRED, show_alert=True)
        return
    await handler(query, context, code, year, uid)


async def _menu(query: CallbackQuery, context: BotContext, code: str, year: int, uid: str | None) -> None:
    """m: the menu (of another year, or of the kecamatan just chosen), in place of the pressed message."""
    assert query.message is not None
    await query.answer()
    await menu.show(context, query.message.chat.id, query.from_user, code, year, in_place_of=query.message.message_id)


async def _open_draft(query: CallbackQuery, context: BotContext) -> bool:
    """A program being filled in goes on first: an old menu's Tambah must not throw its answers away."""
    assert query.message is not None
    draft, _ = await program_kerja_fill.live_draft(context, query.from_user.id)
    if draft is None:
        return False
    await query.answer()
    if draft.took(context.update_id):  # this press began it before a restart
        await program_kerja_fill.ask(context, query.message.chat.id, draft)
    else:
        await program_kerja_fill.remind(context, query.message.chat.id, draft)
    return True


async def _add(query: CallbackQuery, context: BotContext, code: str, year: int, uid: str | None) -> None:
    """a: Tambah program; refused while the plan waits for Dinsos or is full."""
    assert query.message is not None
    if await _open_draft(query, context):
        return
    shown = await menu.shown_plan(context, code, year)
    if shown.waiting:
        await query.answer(t.WAITING, show_alert=True)
        return
    if len(shown.programs) >= MAX_PROGRAMS:
        await query.answer(t.too_many(MAX_PROGRAMS), show_alert=True)
        return
    await query.answer()
    await program_kerja_fill.begin(context, query.from_user, query.message.chat.id, code, year, None)


async def _pick_to_change(query: CallbackQuery, context: BotContext, code: str, year: int, uid: str | None) -> None:
    """u: which program to change."""
    await _pick(query, context, code, year, "e", t.PICK_TO_CHANGE)


async def _pick_to_remove(query: CallbackQuery, context: BotContext, code: str, year: int, uid: str | None) -> None:
    """h: which program to remove."""
    await _pick(query, context, code, year, "d", t.PICK_TO_REMOVE)


async def _pick(query: CallbackQuery, context: BotContext, code: str, year: int, then: str, text: str) -> None:
    """The programs as buttons, in place of the menu; refused when the plan cannot be edited now."""
    shown = await menu.shown_plan(context, code, year)
    if not shown.editable:
        await query.answer(t.WAITING if shown.waiting else texts.BUTTON_EXPIRED, show_alert=True)
        return
    if not shown.programs:
        await query.answer(t.PROGRAM_GONE, show_alert=True)
        return
    await query.answer()
    await edit_pressed(query, text, reply_markup=menu.pick_program(shown.programs, then, code, year))


async def _change(query: CallbackQuery, context: BotContext, code: str, year: int, uid: str | None) -> None:
    """e: Ubah one program: its answers, at the summary."""
    assert query.message is not None
    if await _open_draft(query, context):
        return
    shown = await menu.shown_plan(context, code, year)
    program = next((p for p in shown.programs if p.uid == uid), None)
    if not shown.editable or program is None:
        await query.answer(t.WAITING if shown.waiting else t.PROGRAM_GONE, show_alert=True)
        return
    await query.answer()
    await edit_pressed(query, t.PICK_TO_CHANGE)
    await program_kerja_fill.begin(context, query.from_user, query.message.chat.id, code, year, program)


async def _ask_remove(query: CallbackQuery, context: BotContext, code: str, year: int, uid: str | None) -> None:
    """d: Hapus one program? (asked first)."""
    shown = await menu.shown_plan(context, code, year)
    program = next((p for p in shown.programs if p.uid == uid), None)
    if not shown.editable or program is None:
        await query.answer(t.WAITING if shown.waiting else t.PROGRAM_GONE, show_alert=True)
        return
    await query.answer()
    markup = menu.confirm(t.BUTTON_REMOVE_YES, menu.data("D", code, year, program.uid), code, year)
    await edit_pressed(query, t.confirm_remove(program.nama), parse_mode=ParseMode.HTML, reply_markup=markup)


async def _remove(query: CallbackQuery, context: BotContext, code: str, year: int, uid: str | None) -> None:
    """D: the program removed from the editable version, then the menu again."""
    assert query.message is not None and uid is not None
    shown = await menu.shown_plan(context, code, year)
    program = next((p for p in shown.programs if p.uid == uid), None)
    if shown.plan is None or not shown.editable or program is None:
        await query.answer(t.WAITING if shown.waiting else t.PROGRAM_GONE, show_alert=True)
        return
    if not await program_kerja.remove_program(context.db, shown.plan.id, uid, now=context.now()):
        await query.answer(t.PROGRAM_GONE, show_alert=True)
        return
    await query.answer()
    await edit_pressed(query, t.removed(program.nama), parse_mode=ParseMode.HTML)
    await menu.show(context, query.message.chat.id, query.from_user, code, year)


async def _ask_submit(query: CallbackQuery, context: BotContext, code: str, year: int, uid: str | None) -> None:
    """s: Ajukan ke Dinsos? Refused when there is nothing to submit or it waits already."""
    shown = await menu.shown_plan(context, code, year)
    refusal = _submit_refusal(shown)
    if refusal is not None:
        await query.answer(refusal, show_alert=True)
        return
    await query.answer()
    anggaran = format_rupiah(sum(p.anggaran for p in shown.programs))
    markup = menu.confirm(t.BUTTON_SUBMIT_YES, menu.data("S", code, year), code, year)
    await edit_pressed(query, t.confirm_submit(len(shown.programs), anggaran), parse_mode=ParseMode.HTML,
                       reply_markup=markup)  # fmt: skip


def _submit_refusal(shown: menu.Shown) -> str | None:
    if shown.waiting:
        return t.ALREADY_WAITING
    if shown.approved:
        return t.NOTHING_TO_SUBMIT
    if not shown.programs:
        return t.CANNOT_SUBMIT_EMPTY
    return None


async def _submit(query: CallbackQuery, context: BotContext, code: str, year: int, uid: str | None) -> None:
    """S: the plan goes to Dinsos (review.submit writes the change and the messages it owes together)."""
    assert query.message is not None
    shown = await menu.shown_plan(context, code, year)
    refusal = _submit_refusal(shown)
    if refusal is not None or shown.plan is None:
        await query.answer(refusal or t.CANNOT_SUBMIT_EMPTY, show_alert=True)
        return
    user: User = query.from_user
    if not await review.submit(context.application, shown.plan, user_id=user.id, user_name=display_name(user)):
        await query.answer(t.ALREADY_WAITING, show_alert=True)
        return
    await query.answer()
    await edit_pressed(query, t.SUBMITTED)
    await menu.show(context, query.message.chat.id, user, code, year)


async def _revise(query: CallbackQuery, context: BotContext, code: str, year: int, uid: str | None) -> None:
    """p: Ajukan perubahan: a new version copying the approved one (editable_plan), then its menu."""
    assert query.message is not None
    user = query.from_user
    try:
        await program_kerja.editable_plan(context.db, code, year, user_id=user.id, user_name=display_name(user),
                                          now=context.now())  # fmt: skip
    except program_kerja.NotEditable:
        await query.answer(t.WAITING, show_alert=True)
        return
    await query.answer()
    await menu.show(context, query.message.chat.id, user, code, year, in_place_of=query.message.message_id)


_ACTIONS = {
    "m": _menu, "a": _add, "u": _pick_to_change, "h": _pick_to_remove, "e": _change, "d": _ask_remove, "D": _remove,
    "s": _ask_submit, "S": _submit, "p": _revise,
}  # fmt: skip
