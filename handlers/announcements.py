"""/pengumuman: a Dinsos admin composes, previews, targets and sends an announcement to the kecamatan groups.

The draft lives in SQLite from the first step (composing → ready → sending), so a restart mid-compose loses
nothing and a double tap on Kirim finds the draft already sent. Delivery itself is the outbox sender's job.
"""

from __future__ import annotations

import logging
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, MessageEntity, Update
from telegram.constants import MessageLimit, ParseMode

from bot import texts
from bot.access import dinsos_admin_command, display_name
from bot.context import BotContext
from bot.outbox_sender import Outgoing
from bot.sending import edit_pressed
from handlers.ann_delivery import render_announcement
from storage import announcements, registrations
from storage.announcements import Announcement, AnnStatus, Content, SendResult

logger = logging.getLogger(__name__)

CALLBACK_PATTERN = r"^ann:(send|cancel|pick|all|done|tog):(\d{1,12})(?::(\d{2}\.\d{2}\.\d{2}))?$"
PICKER_COLUMNS = 2


@dinsos_admin_command
async def pengumuman(update: Update, context: BotContext) -> None:
    """/pengumuman [teks]: starts a draft; with text, the draft is ready and previewed at once."""
    message, user = update.effective_message, update.effective_user
    assert message is not None
    draft = await announcements.start_draft(
        context.db, admin_id=user.id, admin_name=display_name(user), now=context.now()
    )
    inline = _inline_content(message)
    if inline is None:
        await message.reply_text(texts.ANN_ASK_CONTENT)
        return
    await _accept_content(message, context, draft, inline)


async def receive_content(update: Update, context: BotContext, draft: Announcement) -> None:
    """The admin's next private message is the content (text, photo or document); anything else is refused."""
    message = update.effective_message
    assert message is not None
    content = content_of(message)
    if content is None:
        await message.reply_text(texts.ANN_UNSUPPORTED)
        return
    await _accept_content(message, context, draft, content)


async def _accept_content(message: Message, context: BotContext, draft: Announcement, content: Content) -> None:
    problem = check_limits(content)
    if problem is not None:
        await message.reply_text(problem)
        return
    ready = await announcements.set_content(context.db, draft.id, content)
    if ready is None:
        await message.reply_text(texts.ANN_NOT_A_DRAFT)
        return
    await _preview(message, context, ready)


async def _preview(message: Message, context: BotContext, ann: Announcement) -> None:
    """Show the announcement exactly as groups get it, then the control message with Kirim / Batal."""
    out = render_announcement(ann)
    chat_id = message.chat.id
    await _send_outgoing(context, chat_id, out)
    text, markup = await _control(context, ann)
    await context.bot.send_message(
        chat_id, texts.ANN_PREVIEW_ABOVE + "\n\n" + text, parse_mode=ParseMode.HTML, reply_markup=markup
    )


async def _send_outgoing(context: BotContext, chat_id: int, out: Outgoing) -> None:
    if out.kind == "photo":
        await context.bot.send_photo(
            chat_id, out.file_id, caption=out.text, caption_entities=out.entities, reply_markup=out.reply_markup
        )
    elif out.kind == "document":
        await context.bot.send_document(
            chat_id, out.file_id, caption=out.text, caption_entities=out.entities, reply_markup=out.reply_markup
        )
    else:
        await context.bot.send_message(chat_id, out.text, entities=out.entities, reply_markup=out.reply_markup)


async def _control(context: BotContext, ann: Announcement) -> tuple[str, InlineKeyboardMarkup]:
    active = {s.code: s.name for s in await registrations.overview(context.db) if s.active is not None}
    names = None if ann.target_codes is None else [active.get(c, c) for c in ann.target_codes]
    markup = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(texts.BUTTON_SEND, callback_data=f"ann:send:{ann.id}")],
            [InlineKeyboardButton(texts.BUTTON_PICK_TARGETS, callback_data=f"ann:pick:{ann.id}")],
            [InlineKeyboardButton(texts.BUTTON_CANCEL, callback_data=f"ann:cancel:{ann.id}")],
        ]
    )
    return texts.ann_control(names, len(active)), markup


async def on_button(update: Update, context: BotContext) -> None:
    """Kirim, Batal and the target picker of a draft; only its own admin's presses count."""
    query = update.callback_query
    assert query is not None
    match = re.match(CALLBACK_PATTERN, query.data or "")
    assert match is not None
    action, ann_id, code = match[1], int(match[2]), match[3]
    ann = await announcements.get(context.db, ann_id)
    if not context.is_dinsos_admin(query.from_user.id) or ann is None or ann.admin_id != query.from_user.id:
        await query.answer(texts.ADMIN_ONLY if ann is not None else texts.BUTTON_EXPIRED, show_alert=True)
        return
    if action == "send":
        await _send(update, context, ann)
    elif action == "cancel":
        await _cancel(update, context, ann)
    else:
        await _targets(update, context, ann, action, code)


async def _send(update: Update, context: BotContext, ann: Announcement) -> None:
    query = update.callback_query
    assert query is not None and query.message is not None
    if ann.target_codes is not None and not ann.target_codes:
        await query.answer(texts.ANN_NO_TARGET_CHOSEN, show_alert=True)
        return
    result, total = await announcements.send(
        context.db, ann.id, now=context.now(), progress_message_id=query.message.message_id
    )
    if result is SendResult.NOT_A_DRAFT:
        await query.answer(texts.ANN_ALREADY_SENT if ann.status is not AnnStatus.CANCELLED else texts.ANN_NOT_A_DRAFT)
        return
    if result is SendResult.NO_TARGETS:
        await query.answer(texts.ANN_NO_ACTIVE_GROUPS, show_alert=True)
        return
    await query.answer()
    logger.info("Announcement %s queued for %d group(s)", ann.id, total)
    await edit_pressed(query, texts.ann_progress(ann.id, 0, total))
    context.sender.wake()


async def _cancel(update: Update, context: BotContext, ann: Announcement) -> None:
    query = update.callback_query
    assert query is not None
    if not await announcements.cancel(context.db, ann.id):
        await query.answer(texts.ANN_ALREADY_SENT if ann.status is not AnnStatus.CANCELLED else texts.ANN_NOT_A_DRAFT)
        return
    await query.answer()
    await edit_pressed(query, texts.ANN_CANCELLED)


async def _targets(update: Update, context: BotContext, ann: Announcement, action: str, code: str | None) -> None:
    """The multi-select: tog flips one kecamatan, all resets to every active group, done returns to Kirim."""
    query = update.callback_query
    assert query is not None
    if ann.status is not AnnStatus.READY:
        await query.answer(texts.ANN_NOT_A_DRAFT, show_alert=True)
        return
    active = [s for s in await registrations.overview(context.db) if s.active is not None]
    if action == "tog":
        if code not in {s.code for s in active}:
            await query.answer(texts.BUTTON_EXPIRED, show_alert=True)
            return
        chosen = set(ann.target_codes if ann.target_codes is not None else (s.code for s in active))
        chosen ^= {code}
        ann = await announcements.set_targets(context.db, ann.id, sorted(chosen)) or ann
    elif action == "all":
        ann = await announcements.set_targets(context.db, ann.id, None) or ann
    await query.answer()
    if action == "done":
        text, markup = await _control(context, ann)
        await edit_pressed(query, text, parse_mode=ParseMode.HTML, reply_markup=markup)
        return
    chosen_now = set(ann.target_codes) if ann.target_codes is not None else {s.code for s in active}
    await edit_pressed(
        query, texts.ANN_PICK_TARGETS, parse_mode=ParseMode.HTML, reply_markup=_picker(ann.id, active, chosen_now)
    )


def _picker(ann_id: int, active: list[registrations.KecamatanStatus], chosen: set[str]) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(("✅ " if s.code in chosen else "▫️ ") + s.name, callback_data=f"ann:tog:{ann_id}:{s.code}")
        for s in active
    ]
    rows = [buttons[i : i + PICKER_COLUMNS] for i in range(0, len(buttons), PICKER_COLUMNS)]
    rows.append(
        [
            InlineKeyboardButton(texts.BUTTON_ALL_TARGETS, callback_data=f"ann:all:{ann_id}"),
            InlineKeyboardButton(texts.BUTTON_TARGETS_DONE, callback_data=f"ann:done:{ann_id}"),
        ]
    )
    return InlineKeyboardMarkup(rows)


def content_of(message: Message) -> Content | None:
    """Text, photo or document with its formatting entities; None for anything else (stickers, voice...)."""
    if message.text is not None:
        return Content("text", message.text, _entities(message.entities))
    if message.photo:
        return Content("photo", message.caption or "", _entities(message.caption_entities), message.photo[-1].file_id)
    if message.document is not None:
        return Content("document", message.caption or "", _entities(message.caption_entities), message.document.file_id)
    return None


def _inline_content(message: Message) -> Content | None:
    """The text after '/pengumuman ', with its entities shifted to start at the text (offsets are UTF-16)."""
    text = message.text or ""
    match = re.match(r"^/\S+\s+", text)
    if match is None or not text[match.end() :].strip():
        return None
    shift = _utf16_len(text[: match.end()])
    entities = [
        {**e.to_dict(), "offset": e.offset - shift}
        for e in message.entities
        if e.type != MessageEntity.BOT_COMMAND and e.offset >= shift
    ]
    return Content("text", text[match.end() :], entities)


def _entities(entities: tuple[MessageEntity, ...]) -> list[dict]:
    return [e.to_dict() for e in entities]


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def check_limits(content: Content) -> str | None:
    """Telegram's limits, told before anything is sent: text 1-4096, caption 0-1024 characters."""
    if content.kind == "text":
        if not content.text.strip():
            return texts.ANN_EMPTY
        limit = MessageLimit.MAX_TEXT_LENGTH
    else:
        limit = MessageLimit.CAPTION_LENGTH
    length = _utf16_len(content.text)
    if length > limit:
        return texts.ann_too_long(content.kind, length, limit)
    return None
