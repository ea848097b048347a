"""Dinsos's own forms: an XLSForm (.xlsx or .xls) sent in private is read and stored; Coba isi, Terbitkan; /formulir.

Button data: xa:<action>:<id>[:<schedule>[:<chosen>]] with t (test fill, version id), p (publish: ask the
schedule), P (schedule o/w/m chosen: ask for whom), A (publish to all), C (choose kecamatan: toggle one), G
(publish to the chosen), d (download, form id), c (close, form id). <chosen> is a bitmap of the kecamatan in
code order as 13 hex digits (10 in older buttons): the choice lives in the button itself, nothing half-chosen is stored.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import date, timedelta
from pathlib import PurePosixPath

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.constants import ParseMode

from bot import texts
from bot.access import dinsos_admin_command
from bot.context import BotContext
from bot.dates import long_date
from bot.forms import schema
from bot.sending import edit_markup, edit_pressed
from bot.texts import xlsform_attachments as ta
from bot.texts import xlsform_builtin as bt
from bot.texts import xlsform_types as type_texts
from bot.wilayah import load_kecamatan
from bot.xlsform import attachments as files
from bot.xlsform import builtin, form_json
from bot.xlsform.model import Form
from bot.xlsform.read import MAX_BYTES, FormRejected, read_xlsform, workbook_suffix
from handlers import xlsform_fill
from storage import outbox, registrations, xlsforms
from storage.xlsforms import XFormVersion

logger = logging.getLogger(__name__)

# The bitmap's hex digits: 10 hold 40 kecamatan (Kabupaten Cirebon); 13 hold the most any kabupaten/kota has (51).
_HEX = 13
CALLBACK_PATTERN = r"^xa:([tpPACGdc]):(\d{1,12})(?::([owm]))?(?::([0-9a-f]{10,13}))?(?::(\d{1,2}))?$"
NOTICE_KIND = "xform_notice"
ONE_OFF_DAYS = 7
_SCHEDULES = {"o": "once", "w": "weekly", "m": "monthly"}


def is_xlsx_upload(update: Update) -> bool:
    return _document_name(update).endswith((".xlsx", ".xlsm"))


def is_workbook_upload(update: Update) -> bool:
    """An Excel document (.xlsx, .xlsm or the older .xls, as KoboToolbox long exported XLSForms), or a ZIP
    holding one with its media and CSV files."""
    return _document_name(update).endswith((".xlsx", ".xlsm", ".xls", ".zip"))


def is_attachment_upload(update: Update) -> bool:
    """A CSV, XML or media document: a file for the form just uploaded, as Kobo's media tab takes them."""
    return files.is_attachment_name(_document_name(update))


def _document_name(update: Update) -> str:
    document = update.effective_message.document if update.effective_message else None
    return (document.file_name or "").lower() if document is not None else ""


async def upload(update: Update, context: BotContext, data: bytes | None = None) -> bool:
    """An admin's .xlsx or .xls in private: read, stored as a version, answered; False if not an upload for us.
    `data`: the document's bytes when the caller fetched them already (to look for a program kerja template)."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.document is None or not is_workbook_upload(update):
        return False
    if not context.is_dinsos_admin(user.id):
        await message.reply_text(texts.XLSFORM_UPLOAD_ADMIN_ONLY)
        return True
    if (message.document.file_size or 0) > MAX_BYTES:
        await message.reply_text(texts.xlsform_rejected([texts.XLSFORM_TOO_BIG.format(
            size=texts.file_size(message.document.file_size or 0))]))  # fmt: skip
        return True
    if data is None:
        file = await message.document.get_file()
        data = bytes(await file.download_as_bytearray())
    name, attached = message.document.file_name, dict[str, bytes]()
    if _document_name(update).endswith(".zip"):
        try:
            name, data, attached = files.unzip(data)
        except files.ZipRefused as exc:
            await message.reply_text(ta.zip_refused(exc.message), parse_mode=ParseMode.HTML)
            return True
    try:
        uploaded_at = context.now().astimezone(context.config.timezone)
        form = read_xlsform(data, name, uploaded_at=uploaded_at, attachments=attached)
    except FormRejected as exc:
        await message.reply_text(exc.message)
        return True
    if form.form_id in builtin.KEYS:
        await _new_builtin_version(update, context, form, data, sorted(attached))
        return True
    stored = await xlsforms.store_version(
        context.db, form_id=form.form_id, title=form.title, version=form.version, workbook=data, by=user.id,
        now=context.now(), form_json=form_json.dumps(form), attachments=attached,
    )  # fmt: skip
    if not stored.created:
        await message.reply_text(texts.XLSFORM_SAME_VERSION)
        return True
    new_version = stored.form.current_version_id is not None
    asked = [q for q in form.questions() if q.asked]
    logger.info("XLSForm %s version %s uploaded by %s", form.form_id, form.version, user.id)
    text = texts.xlsform_uploaded(form.title, form.version, len(asked), len(form.sections()), new_version)
    if form.ignored:
        text += "\n\n" + type_texts.ignored_notice(form.ignored)
    if attached:
        text += "\n\n" + ta.attached_files(sorted(attached))
    if form.missing_files:
        text += "\n\n" + ta.missing_files(form.missing_files)
    markup = None if form.missing_files else _try_or_publish(stored.version.id)
    await message.reply_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
    return True


async def _new_builtin_version(
    update: Update, context: BotContext, form: Form, data: bytes, attached: list[str]
) -> None:
    """A workbook with form_id laporan or evaluasi: the next version of that built-in form, if it is newer and
    keeps what the recap, dashboard and program kerja read (bot/xlsform/builtin.DEPENDED)."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    current = await xlsforms.builtin_version(context.db, form.form_id)
    if current is not None and builtin.version_key(form.version) <= builtin.version_key(current.version):
        await message.reply_text(bt.not_newer(form.title, form.version, current.version), parse_mode=ParseMode.HTML)
        return
    problems = [*map(bt.needs_file, attached), *builtin.upgrade_problems(form.form_id, form)]
    if problems:
        await message.reply_text(bt.refused(form.title, problems)[:4096], parse_mode=ParseMode.HTML)
        return
    old = await builtin.current(context.db, form.form_id)
    await xlsforms.register_builtin(
        context.db, form_id=form.form_id, title=form.title, version=form.version, workbook=data, now=context.now(),
        form_json=form_json.dumps(form), by=user.id,
    )  # fmt: skip
    logger.info("Built-in %s version %s sent by %s", form.form_id, form.version, user.id)
    new = schema.of(form)
    added, removed = builtin.changes(old, new)
    text = bt.adopted(form.title, form.form_id, form.version, len(new.fields), added, removed)
    await message.reply_text(text, parse_mode=ParseMode.HTML)


def _try_or_publish(version_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[
            InlineKeyboardButton(texts.BUTTON_XF_TEST, callback_data=f"xa:t:{version_id}"),
            InlineKeyboardButton(texts.BUTTON_XF_PUBLISH, callback_data=f"xa:p:{version_id}"),
        ]]
    )  # fmt: skip


async def attach_document(update: Update, context: BotContext, *, busy: bool) -> bool:
    """An admin's CSV, XML or media document: attached to the form version they uploaded last, within
    ATTACH_MINUTES and not yet published. False when there is none and the admin is busy filling a form (the
    document may be an answer)."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.document is None or not context.is_dinsos_admin(user.id):
        return False
    since = context.now() - timedelta(minutes=ta.ATTACH_MINUTES)
    version = await xlsforms.latest_unpublished_upload(context.db, user.id, since)
    if version is None:
        if not busy:
            await message.reply_text(ta.NO_FORM_TO_ATTACH)
        return not busy
    if (message.document.file_size or 0) > MAX_BYTES:
        await message.reply_text(texts.xlsform_rejected([texts.XLSFORM_TOO_BIG.format(
            size=texts.file_size(message.document.file_size or 0))]))  # fmt: skip
        return True
    name = PurePosixPath((message.document.file_name or "").replace("\\", "/")).name
    data = bytes(await (await message.document.get_file()).download_as_bytearray())
    attached = {**await xlsforms.attachments(context.db, version.id), name: data}
    try:
        form = _reread(version, attached)
    except FormRejected as exc:
        await message.reply_text(exc.message)
        return True
    await xlsforms.attach(context.db, version.id, {name: data}, now=context.now(), form_json=form_json.dumps(form))
    xlsform_fill.forget(context.db, version.id)
    logger.info("File %s attached to XLSForm version %s by %s", name, version.id, user.id)
    text = ta.attached_to(version.title, version.version, name) + "\n\n"
    text += ta.missing_files(form.missing_files) if form.missing_files else ta.ATTACH_READY
    markup = None if form.missing_files else _try_or_publish(version.id)
    await message.reply_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
    return True


def _reread(version: XFormVersion, attached: dict[str, bytes]) -> Form:
    """A stored version read again with its files, under the form_id, title and version it was stored with
    (they may have come from the upload's file name and time)."""
    form = read_xlsform(version.workbook, attachments=attached)
    stored = form_json.loads(version.form_json)
    if stored is None:
        return form
    return replace(form, form_id=stored.form_id, title=stored.title, version=stored.version)


async def _missing_refused(query: CallbackQuery, version: XFormVersion) -> bool:
    """A button of a version whose files are not all attached yet: answered with what is missing."""
    stored = form_json.loads(version.form_json)
    if stored is None or not stored.missing_files:
        return False
    await query.answer(ta.still_missing_alert(stored.missing_files), show_alert=True)
    return True


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and query.message is not None
    if not context.is_dinsos_admin(query.from_user.id):
        await query.answer(texts.ADMIN_ONLY, show_alert=True)
        return
    match = re.match(CALLBACK_PATTERN, query.data or "")
    assert match is not None
    action, ref, arg, bits = match[1], int(match[2]), match[3], int(match[4] or "0", 16)
    flip = int(match[5]) if match[5] is not None else None
    if action == "t":
        await _test_fill(update, context, ref)
    elif action == "p":
        await _ask_schedule(update, context, ref)
    elif action == "P" and arg is not None:
        await _ask_audience(update, context, ref, arg)
    elif action == "A" and arg is not None:
        await _publish(update, context, ref, _SCHEDULES[arg], None)
    elif action == "C" and arg is not None:
        await _choose(
            update, context, ref, arg, bits ^ (1 << flip) if flip is not None and flip < len(load_kecamatan()) else bits
        )
    elif action == "G" and arg is not None and bits:
        codes = [k.code for i, k in enumerate(load_kecamatan()) if bits >> i & 1]
        await _publish(update, context, ref, _SCHEDULES[arg], codes)
    elif action == "d":
        await _download(update, context, ref)
    elif action == "c":
        await _close(update, context, ref)
    else:
        await query.answer(texts.BUTTON_EXPIRED, show_alert=True)


async def _version_or_refuse(query: CallbackQuery, context: BotContext, version_id: int) -> XFormVersion | None:
    """The form version a button names; a button of a version that is gone is answered as expired, and so is
    one naming a built-in form's version (never shown: those are filled with /laporan and /evaluasi)."""
    version = await xlsforms.get_version(context.db, version_id)
    if version is None or await xlsforms.builtin_form_id(context.db, version.id) is not None:
        await query.answer(texts.BUTTON_EXPIRED, show_alert=True)
        return None
    return version


async def _test_fill(update: Update, context: BotContext, version_id: int) -> None:
    query = update.callback_query
    assert query is not None
    version = await _version_or_refuse(query, context, version_id)
    if version is None or await _missing_refused(query, version):
        return
    await query.answer()
    draft, _ = await xlsform_fill.live_draft(context, query.from_user.id)
    if draft is not None and not draft.test:  # the admin's own laporan or form: not thrown away for a test
        await xlsform_fill.offer_resume(context, query.from_user.id, draft)
        await context.bot.send_message(query.from_user.id, texts.xlsform_finish_draft_before_test(version.title),
                                       parse_mode=ParseMode.HTML)  # fmt: skip
        return
    await xlsform_fill.begin(context, query.from_user, version, kecamatan_code=None, test=True)


async def _ask_schedule(update: Update, context: BotContext, version_id: int) -> None:
    query = update.callback_query
    assert query is not None
    version = await _version_or_refuse(query, context, version_id)
    if version is None or await _missing_refused(query, version):
        return
    await query.answer()
    rows = [
        [InlineKeyboardButton(label, callback_data=f"xa:P:{version_id}:{code}")]
        for code, label in (("o", texts.BUTTON_XF_ONCE), ("w", texts.BUTTON_XF_WEEKLY), ("m", texts.BUTTON_XF_MONTHLY))
    ]
    await context.bot.send_message(
        query.from_user.id, texts.xlsform_publish_how(version.title), parse_mode=ParseMode.HTML,
        reply_markup=InlineKeyboardMarkup(rows),
    )  # fmt: skip


async def _ask_audience(update: Update, context: BotContext, version_id: int, schedule: str) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    rows = [
        [InlineKeyboardButton(texts.BUTTON_XF_ALL, callback_data=f"xa:A:{version_id}:{schedule}")],
        [InlineKeyboardButton(texts.BUTTON_XF_CHOOSE, callback_data=f"xa:C:{version_id}:{schedule}:{0:0{_HEX}x}")],
    ]
    await edit_pressed(query, texts.XLSFORM_FOR_WHOM, reply_markup=InlineKeyboardMarkup(rows))


async def _choose(update: Update, context: BotContext, version_id: int, schedule: str, bits: int) -> None:
    """The region's kecamatan as buttons, the chosen ones ticked; each press edits the same message."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    buttons = [
        InlineKeyboardButton(("✅ " if bits >> i & 1 else "") + k.name,
                             callback_data=f"xa:C:{version_id}:{schedule}:{bits:0{_HEX}x}:{i}")
        for i, k in enumerate(load_kecamatan())
    ]  # fmt: skip
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    if bits:
        rows.append([InlineKeyboardButton(texts.xlsform_publish_chosen(bin(bits).count("1")),
                                          callback_data=f"xa:G:{version_id}:{schedule}:{bits:0{_HEX}x}")])  # fmt: skip
    await edit_pressed(query, texts.XLSFORM_CHOOSE_KECAMATAN, reply_markup=InlineKeyboardMarkup(rows))


async def _publish(
    update: Update, context: BotContext, version_id: int, schedule: str, chosen: list[str] | None
) -> None:
    """Publish to every active kecamatan group (or the chosen ones): one notice each, owed in the same write."""
    query = update.callback_query
    assert query is not None and query.message is not None
    version = await _version_or_refuse(query, context, version_id)
    if version is None or await _missing_refused(query, version):
        return
    now = context.now()
    deadline = None
    if schedule == "once":
        deadline = (now.astimezone(context.config.timezone).date() + timedelta(days=ONE_OFF_DAYS)).isoformat()
    shown_deadline = long_date(date.fromisoformat(deadline)) if deadline else None
    groups = [s.active for s in await registrations.overview(context.db) if s.active is not None]
    groups = [g for g in groups if chosen is None or g.kecamatan_code in chosen]
    owed = []
    for group in groups:
        payload_text = xlsform_fill.payload_for(version.xform_id, group.kecamatan_code)
        link = f"https://t.me/{context.bot.username}?start={payload_text}"
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(texts.BUTTON_FILL_IN_PRIVATE, url=link)]])
        text = texts.xlsform_group_notice(version.title, group.kecamatan_name, schedule, shown_deadline)
        payload = {"text": text, "parse_mode": ParseMode.HTML, "reply_markup": markup.to_dict()}
        owed.append(outbox.Owed(NOTICE_KIND, 0, group.kecamatan_code, group.chat_id, payload))
    await xlsforms.publish(
        context.db, version_id=version_id, schedule=schedule, deadline=deadline, kecamatan_codes=chosen,
        by=query.from_user.id, now=now, owed=owed,
    )  # fmt: skip
    await query.answer()
    await edit_markup(query, None)
    done = texts.xlsform_published(version.title, version.version, schedule, shown_deadline, len(groups))
    await context.bot.send_message(query.from_user.id, done, parse_mode=ParseMode.HTML)
    context.sender.wake()


@dinsos_admin_command
async def formulir(update: Update, context: BotContext) -> None:
    """/formulir: every XLSForm with its state, versions and submissions; Unduh and Tutup for each."""
    message = update.effective_message
    assert message is not None
    forms = await xlsforms.all_forms(context.db)
    # The built-in forms, as templates to download (they are filled with /laporan and /evaluasi).
    templates = [[InlineKeyboardButton(texts.xlsform_builtin_download(f.title), callback_data=f"xa:d:{f.id}")]
                 for f in await xlsforms.builtin_forms(context.db)]  # fmt: skip
    if not forms:
        await message.reply_text(f"{texts.XLSFORM_NONE}\n\n{texts.XLSFORM_BUILTIN_NOTE}",
                                 reply_markup=InlineKeyboardMarkup(templates) if templates else None)  # fmt: skip
        return
    rows, buttons = [], []
    for number, form in enumerate(forms, start=1):
        versions = await xlsforms.versions(context.db, form.id)
        submitted = len(await xlsforms.submissions(context.db, form.id))
        rows.append((number, form.title, form.state, ", ".join(v.version for v in versions), submitted))
        line = [InlineKeyboardButton(f"{number}. {texts.BUTTON_XF_DOWNLOAD}", callback_data=f"xa:d:{form.id}")]
        if form.state != "closed":
            line.append(InlineKeyboardButton(f"{number}. {texts.BUTTON_XF_CLOSE}", callback_data=f"xa:c:{form.id}"))
        buttons.append(line)
    await message.reply_text(
        f"{texts.xlsform_list(rows)}\n\n{texts.esc(texts.XLSFORM_BUILTIN_NOTE)}", parse_mode=ParseMode.HTML,
        reply_markup=InlineKeyboardMarkup(buttons + templates),
    )  # fmt: skip


async def _download(update: Update, context: BotContext, xform_id: int) -> None:
    query = update.callback_query
    assert query is not None
    versions = await xlsforms.versions(context.db, xform_id)
    if not versions:
        await query.answer(texts.BUTTON_EXPIRED, show_alert=True)
        return
    await query.answer()
    form = await xlsforms.get_form(context.db, xform_id)
    assert form is not None
    # The version in use (a built-in form's current one), else the newest uploaded.
    latest = next((v for v in versions if v.id == form.current_version_id), versions[-1])
    name = f"{form.form_id}-v{latest.version}{workbook_suffix(latest.workbook) or '.xlsx'}"
    await context.bot.send_document(query.from_user.id, InputFile(latest.workbook, filename=name))


async def _close(update: Update, context: BotContext, xform_id: int) -> None:
    query = update.callback_query
    assert query is not None
    form = await xlsforms.get_form(context.db, xform_id)
    if form is None or not await xlsforms.close(context.db, xform_id):
        await query.answer(texts.BUTTON_EXPIRED, show_alert=True)
        return
    await query.answer()
    await context.bot.send_message(query.from_user.id, texts.xlsform_closed(form.title), parse_mode=ParseMode.HTML)
