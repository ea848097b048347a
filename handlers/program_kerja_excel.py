"""Program kerja through the Excel template, in the private chat: the template sent from /programkerja's button,
a filled one read back when a pengurus sends it, every problem named by row and column, else a preview with
Simpan sebagai draf / Simpan dan ajukan ke Dinsos / Batal.

Button data: pkx:tpl:<kecamatan code digits>:<year> sends the template; pkx:d:<upload> saves the preview as a
draft, pkx:a:<upload> saves and submits it, pkx:x:<upload> cancels it. The preview is stored (storage/
program_uploads.py), so its buttons work after a restart, and a second press changes nothing.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message, Update, User
from telegram.constants import ParseMode
from telegram.error import Forbidden

from bot import texts
from bot.access import display_name
from bot.context import BotContext
from bot.forms.parse import format_rupiah
from bot.program_kerja import review
from bot.program_kerja.model import Program, bulan_label
from bot.program_kerja.pengurus import is_pengurus
from bot.sending import edit_markup
from bot.texts import program_excel as t
from bot.texts import program_kerja as pk
from bot.wilayah import Kecamatan, kecamatan_by_code
from storage import program_kerja, program_uploads
from storage.program_kerja import Plan
from storage.program_uploads import Applied, Upload

if TYPE_CHECKING:
    from bot.program_kerja.template import CellProblem

logger = logging.getLogger(__name__)

CALLBACK_PATTERN = r"^pkx:(?:tpl:(\d{6}):(\d{4})|([dax]):(\d{1,12}))$"
MESSAGE_LIMIT = 4000  # under Telegram's 4096, with room for characters counted twice (emoji in what was typed)
YEARS = range(2020, 2100)


def tpl_callback(kecamatan_code: str, year: int) -> str:
    """The button data that sends a kecamatan's template: 'pkx:tpl:320915:2027'."""
    return f"pkx:tpl:{kecamatan_code.replace('.', '')}:{year}"


# --- the template, sent -------------------------------------------------------------------------------------


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    match = re.match(CALLBACK_PATTERN, query.data or "")
    assert match is not None
    if match[1] is not None:
        digits = match[1]
        await _send_template(query, context, f"{digits[:2]}.{digits[2:4]}.{digits[4:]}", int(match[2]))
    else:
        await _answer_preview(query, context, match[3], int(match[4]))


async def _send_template(query: CallbackQuery, context: BotContext, code: str, year: int) -> None:
    """The template of the kecamatan's plan for the year, holding its programs so far, to the presser's chat."""
    # openpyxl brings numpy along (about 20 MiB): loaded when a template is first made or read, not at start.
    from bot.program_kerja import template

    kecamatan = kecamatan_by_code(code)
    if kecamatan is None or year not in YEARS:
        await query.answer(texts.BUTTON_EXPIRED, show_alert=True)
        return
    if not await is_pengurus(context, query.from_user, code):
        await query.answer(t.NOT_PENGURUS_ALERT, show_alert=True)
        return
    latest = await _latest(context, code, year)
    programs = await program_kerja.programs(context.db, latest.id) if latest else []
    data = await asyncio.to_thread(template.workbook, kecamatan, year, programs)
    under_review = latest is not None and latest.status == program_kerja.SUBMITTED
    caption = t.template_caption(kecamatan.name, year, len(programs), under_review)
    try:
        document = InputFile(data, filename=template.filename(kecamatan, year))
        await context.bot.send_document(query.from_user.id, document, caption=caption, parse_mode=ParseMode.HTML)
    except Forbidden:
        # Pressed in a group by someone who never opened the bot's private chat.
        await query.answer(t.START_PRIVATE_ALERT, show_alert=True)
        return
    await query.answer()


async def _latest(context: BotContext, code: str, year: int) -> Plan | None:
    """The newest version: the one being edited or waiting, else the one in force."""
    plans = await program_kerja.versions(context.db, code, year)
    return plans[0] if plans else None


# --- a filled template, received ----------------------------------------------------------------------------


async def downloaded(update: Update) -> bytes | None:
    """The document's bytes when it may be a template (small enough to be one); None when not worth fetching."""
    from bot.program_kerja import template

    message = update.effective_message
    if message is None or message.document is None or (message.document.file_size or 0) > template.MAX_BYTES:
        return None  # far larger than any template: not one, and not worth downloading to find out
    file = await message.document.get_file()
    return bytes(await file.download_as_bytearray())


async def upload(update: Update, context: BotContext, data: bytes) -> bool:
    """A document in the private chat (its bytes `data`) that is a filled template: read, checked, answered with
    its problems or a preview. False when it is no template (another workbook goes on to the XLSForm upload with
    the same bytes, not fetched again)."""
    from bot.program_kerja import template

    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.document is None:
        return False
    marker = await asyncio.to_thread(template.marker, data)
    if marker is None:
        return False
    await _read_template(message, user, context, data, marker.kecamatan_code)
    return True


async def _read_template(message: Message, user: User, context: BotContext, data: bytes, code: str) -> None:
    """Refused, or its problems by row and column, or (all rows fine) its preview."""
    from bot.program_kerja import template

    kecamatan = kecamatan_by_code(code)
    if kecamatan is None:
        await message.reply_text(t.refused(t.NOT_A_TEMPLATE), parse_mode=ParseMode.HTML)
        return
    if not await is_pengurus(context, user, kecamatan.code):
        await message.reply_text(t.not_pengurus(kecamatan.name))
        return
    read = await asyncio.to_thread(template.read, data, kecamatan)
    if read.refused is not None or read.year is None:
        await message.reply_text(t.refused(read.refused or t.NOT_A_TEMPLATE), parse_mode=ParseMode.HTML)
        return
    assert message.document is not None
    name = message.document.file_name or template.filename(kecamatan, read.year)
    if read.problems:
        await message.reply_text(_problems_text(name, read.problems), parse_mode=ParseMode.HTML)
        return
    await _preview(message, user, context, kecamatan, read.year, read.programs)


async def _preview(message: Message, user: User, context: BotContext, kecamatan: Kecamatan, year: int,
                   programs: list[Program]) -> None:  # fmt: skip
    """Stored with what the plan is now, then shown with Simpan / Ajukan / Batal; nothing of the plan changes."""
    assert message.document is not None
    plans = await program_kerja.versions(context.db, kecamatan.code, year)
    base = plans[0] if plans else None
    if base is not None and base.status == program_kerja.SUBMITTED:
        await message.reply_text(t.UNDER_REVIEW)
        return
    upload_id = await program_uploads.add(
        context.db, user_id=user.id, user_name=display_name(user), kecamatan_code=kecamatan.code, year=year,
        file_id=message.document.file_id, file_name=message.document.file_name or "", programs=programs,
        base=base, now=context.now(),
    )  # fmt: skip
    replacing = len(await program_kerja.programs(context.db, base.id)) if base else 0
    in_force = any(p.status == program_kerja.ACCEPTED for p in plans)
    version = base.version if base and base.editable else (base.version + 1 if base else 1)
    title = pk.plan_title(year, kecamatan.name, version)
    await message.reply_text(_preview_text(title, programs, replacing, in_force), parse_mode=ParseMode.HTML,
                             reply_markup=_preview_keyboard(upload_id))  # fmt: skip
    logger.info("Program kerja template of %s %s from %s previewed: %s programs", kecamatan.code, year, user.id,
                len(programs))  # fmt: skip


def _fitted(lines: list[str], render: Callable[[list[str], int], str]) -> str:
    """As many lines as fit in one message, then '… dan N lagi' for the rest."""
    shown: list[str] = []
    for line in lines:
        if len(render([*shown, line], len(lines) - len(shown) - 1)) > MESSAGE_LIMIT:
            break
        shown.append(line)
    return render(shown, len(lines) - len(shown))


def _problems_text(file_name: str, problems: Sequence[CellProblem]) -> str:
    lines = [t.problem_line(p.row, p.column, p.message) for p in problems]
    return _fitted(lines, lambda shown, more: t.problems(file_name, shown, more))


def _preview_text(title: str, programs: Sequence[Program], replacing: int, in_force: bool) -> str:
    lines = [t.preview_line(p.nama, bulan_label(p.bulan), format_rupiah(p.anggaran)) for p in programs]
    total = format_rupiah(sum(p.anggaran for p in programs))
    return _fitted(lines, lambda shown, more: t.preview(title, len(programs), total, shown, more, replacing,
                                                         in_force))  # fmt: skip


def _preview_keyboard(upload_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(t.BUTTON_SAVE, callback_data=f"pkx:d:{upload_id}")],
        [InlineKeyboardButton(t.BUTTON_SUBMIT, callback_data=f"pkx:a:{upload_id}")],
        [InlineKeyboardButton(t.BUTTON_CANCEL, callback_data=f"pkx:x:{upload_id}")],
    ])  # fmt: skip


# --- the preview's buttons ----------------------------------------------------------------------------------


async def _answer_preview(query: CallbackQuery, context: BotContext, action: str, upload_id: int) -> None:
    upload = await program_uploads.get(context.db, upload_id)
    if upload is None or upload.user_id != query.from_user.id:
        await query.answer(texts.BUTTON_EXPIRED, show_alert=True)
        return
    if upload.status != program_uploads.PREVIEW:
        await _done(query, context, t.STALE if upload.status == program_uploads.STALE else t.ALREADY_DONE)
        return
    if action == "x":
        await program_uploads.close(context.db, upload.id, program_uploads.CANCELLED, now=context.now())
        await _done(query, context, t.CANCELLED)
        return
    kecamatan = kecamatan_by_code(upload.kecamatan_code)
    assert kecamatan is not None
    if not await is_pengurus(context, query.from_user, kecamatan.code):
        await query.answer(t.NOT_PENGURUS_ALERT, show_alert=True)
        return
    await _save(query, context, upload, kecamatan, submit=action == "a")


async def _save(query: CallbackQuery, context: BotContext, upload: Upload, kecamatan: Kecamatan, *,
                submit: bool) -> None:  # fmt: skip
    """The preview's programs become the plan (a draft, or a new version of the plan in force), then Ajukan."""
    latest = await _latest(context, kecamatan.code, upload.year)
    if latest is not None and latest.status == program_kerja.SUBMITTED:
        await _done(query, context, t.UNDER_REVIEW, keep_buttons=True)
        return
    if _stamp(latest) != (upload.base_plan_id, upload.base_updated_at):
        # Saving would overwrite what was changed since the file was read (on the page, or another file).
        await program_uploads.close(context.db, upload.id, program_uploads.STALE, now=context.now())
        await _done(query, context, t.STALE)
        return
    user, name = query.from_user, display_name(query.from_user)
    try:
        plan = await program_kerja.editable_plan(context.db, kecamatan.code, upload.year, user_id=user.id,
                                                 user_name=name, now=context.now())  # fmt: skip
    except program_kerja.NotEditable:
        await _done(query, context, t.UNDER_REVIEW, keep_buttons=True)
        return
    status = program_uploads.SUBMITTED if submit else program_uploads.SAVED
    applied = await program_uploads.apply(context.db, upload.id, plan.id, plan_updated_at=plan.updated_at,
                                          status=status, now=context.now())  # fmt: skip
    if applied is not Applied.DONE:
        answer = {Applied.TAKEN: t.ALREADY_DONE, Applied.CHANGED: t.STALE, Applied.NOT_EDITABLE: t.UNDER_REVIEW}
        await _done(query, context, answer[applied])
        return
    title, count = review.title(plan), len(upload.programs)
    if not submit:
        await _done(query, context, t.saved(title, count))
        return
    fresh = await program_kerja.get_plan(context.db, plan.id)
    assert fresh is not None
    if await review.submit(context.application, fresh, user_id=user.id, user_name=name):
        await _done(query, context, t.submitted(title, count))
    else:
        await _done(query, context, t.SAVED_NOT_SUBMITTED)


def _stamp(plan: Plan | None) -> tuple[int | None, str | None]:
    """Which version, as last changed: what a preview compares to the plan it was read against."""
    return (plan.id, plan.updated_at) if plan else (None, None)


async def _done(query: CallbackQuery, context: BotContext, text: str, *, keep_buttons: bool = False) -> None:
    """Answer the press, take the buttons off a preview that is settled, and say what happened."""
    await query.answer()
    if not keep_buttons:
        await edit_markup(query, None)
    await context.bot.send_message(query.from_user.id, text, parse_mode=ParseMode.HTML)
