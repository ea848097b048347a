"""Plain private messages (no command) go to whatever the person is in the middle of, else to a pointer to help."""

from __future__ import annotations

from telegram import Update

from bot import texts
from bot.context import BotContext
from handlers import announcements as compose
from handlers import (
    fallback,
    program_kerja_excel,
    program_kerja_fill,
    program_kerja_review,
    relay,
    review,
    xlsform_admin,
    xlsform_fill,
    xlsform_review,
)
from storage import announcements, plan_review, reviews, xform_review
from storage.program_drafts import ProgramDraft
from storage.xlsforms import XDraft


async def private_message(update: Update, context: BotContext) -> None:
    """Order: a reply to a relayed group message, a review comment (a report's, or a program kerja's note), an
    open form or program kerja program (the one touched last), an announcement draft, help."""
    if await relay.admin_reply(update, context):
        return
    user = update.effective_user
    if user is None:
        return
    if context.is_dinsos_admin(user.id):
        prompt = await reviews.pending_comment(context.db, user.id)
        if prompt is not None:
            await review.comment(update, context, *prompt)
            return
        note = await plan_review.pending_note(context.db, user.id)
        if note is not None:
            await program_kerja_review.note(update, context, note)
            return
        xnote = await xform_review.pending_note(context.db, user.id)
        if xnote is not None:
            await xlsform_review.note(update, context, *xnote)
            return
    xdraft, xexpired = await xlsform_fill.live_draft(context, user.id)
    if xexpired:
        return
    pdraft, pexpired = await program_kerja_fill.live_draft(context, user.id)
    if pexpired:
        return
    announcement = await announcements.draft_of(context.db, user.id) if context.is_dinsos_admin(user.id) else None
    # An .xlsx is a filled program kerja template (known by its hidden marker), else an XLSForm upload, as is an
    # .xls; unless an admin is composing an announcement (then it is its attachment).
    # A CSV, XML or media document from an admin is a file for the form they just uploaded.
    if announcement is None and xlsform_admin.is_attachment_upload(update):
        if await xlsform_admin.attach_document(update, context, busy=xdraft is not None or pdraft is not None):
            return
    if announcement is None and xlsform_admin.is_workbook_upload(update):
        # Fetched once, for both: the template's marker is looked for in the bytes the XLSForm upload then reads.
        data = await program_kerja_excel.downloaded(update) if xlsform_admin.is_xlsx_upload(update) else None
        if data is not None and await program_kerja_excel.upload(update, context, data):
            return
        if await xlsform_admin.upload(update, context, data):
            return
    if pdraft is not None and _program_first(pdraft, xdraft):
        await program_kerja_fill.on_message(update, context, pdraft)
        return
    if xdraft is not None:
        await xlsform_fill.on_message(update, context, xdraft)
        return
    if announcement is not None:
        await compose.receive_content(update, context, announcement)
        return
    await fallback.unknown_private(update, context)


async def group_reply(update: Update, context: BotContext) -> None:
    """A reply to one of the bot's messages in a group: relayed if it answers an announcement; else left alone."""
    await relay.group_reply(update, context)


async def batal(update: Update, context: BotContext) -> None:
    """/batal: drop whatever the person was filling in (a form, or an announcement draft), and say so."""
    message, user = update.effective_message, update.effective_user
    assert message is not None
    if user is None:
        return
    if await reviews.drop_comment(context.db, user.id) or await xform_review.drop_note(context.db, user.id):
        await message.reply_text(texts.REVIEW_CANCELLED)
        return
    if (cancelled := await program_kerja_review.cancel(context, user.id)) is not None:
        await message.reply_text(cancelled)
        return
    xdraft, _ = await xlsform_fill.live_draft(context, user.id)
    pdraft, _ = await program_kerja_fill.live_draft(context, user.id)
    if pdraft is not None and _program_first(pdraft, xdraft):
        await program_kerja_fill.cancel_command(context, message.chat.id, pdraft)
        return
    if xdraft is not None:
        await xlsform_fill.cancel_command(context, message.chat.id, xdraft)
        return
    draft = await announcements.draft_of(context.db, user.id)
    if draft is None or not await announcements.cancel(context.db, draft.id):
        await message.reply_text(texts.NOTHING_TO_CANCEL)
        return
    await message.reply_text(texts.ANN_CANCELLED)


def _program_first(program: ProgramDraft, form: XDraft | None) -> bool:
    """A pengurus may have a laporan and a program open at once: the one touched last is the one being answered."""
    return form is None or program.updated_at >= form.updated_at
