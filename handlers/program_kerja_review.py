"""Dinsos decides a submitted program kerja in chat: the buttons on each admin's copy (pk:ok|fix:<plan>) and on its
turn in /tinjau (pkq:ok|fix|skip:<plan>). Diterima decides at once; Perlu perbaikan asks for a note, and the admin's
next private text is it (stored, so it survives a restart; /batal drops it). The decision itself, its messages and
the marking of every admin's copy are bot/program_kerja/review.decide, which the dashboard calls too.
"""

from __future__ import annotations

import logging
import re

from telegram import Update
from telegram.constants import ParseMode

from bot import texts
from bot.access import display_name
from bot.clock import parse_iso
from bot.context import BotContext
from bot.dates import short_wib
from bot.program_kerja import review as plan_review
from bot.texts import program_dinsos as t
from handlers import review
from storage import plan_review as prompts
from storage import program_kerja
from storage.program_kerja import Plan

logger = logging.getLogger(__name__)

# pk: a copy's buttons (made by bot/program_kerja/review.decision_keyboard); pkq: the same in /tinjau, plus Lewati.
PATTERN = r"^(pk|pkq):(ok|fix|skip):(\d{1,12})$"


async def on_button(update: Update, context: BotContext) -> None:
    """Diterima, Perlu perbaikan (asks for the note) or Lewati; refused for anyone but a Dinsos admin."""
    query = update.callback_query
    assert query is not None
    if not context.is_dinsos_admin(query.from_user.id):
        await query.answer(texts.ADMIN_ONLY, show_alert=True)
        return
    match = re.match(PATTERN, query.data or "")
    assert match is not None
    in_queue, action = match[1] == review.PLAN_QUEUE_PREFIX, match[2]
    plan = await program_kerja.get_plan(context.db, int(match[3]))
    if plan is None or (action == "skip" and not in_queue):
        await query.answer(t.PLAN_GONE, show_alert=True)
    elif action == "skip":
        await query.answer()
        await _next(update, context, plan)
    elif plan.status != program_kerja.SUBMITTED:
        await query.answer(_not_waiting(context, plan), show_alert=True)
        if in_queue:
            # Another admin decided it meanwhile: the queue moves on instead of showing it again.
            await _next(update, context, plan)
    elif action == "ok":
        await _accept(update, context, plan, in_queue=in_queue)
    else:
        assert plan.submitted_at is not None
        await prompts.ask_note(context.db, query.from_user.id, plan.id, plan.submitted_at, context.now())
        await query.answer()
        await context.bot.send_message(query.from_user.id, t.ask_note(plan_review.title(plan)),
                                       parse_mode=ParseMode.HTML)  # fmt: skip


async def _accept(update: Update, context: BotContext, plan: Plan, *, in_queue: bool) -> None:
    query = update.callback_query
    assert query is not None
    decided = await plan_review.decide(
        context.application, plan.id, status=program_kerja.ACCEPTED, note=None, admin_id=query.from_user.id,
        admin_name=display_name(query.from_user),
    )  # fmt: skip
    if not decided:
        fresh = await program_kerja.get_plan(context.db, plan.id)
        await query.answer(_not_waiting(context, fresh or plan), show_alert=True)
        return
    await prompts.drop_note(context.db, query.from_user.id)
    await query.answer(t.ACCEPTED_TOAST)
    if in_queue:
        await _next(update, context, plan)


async def _next(update: Update, context: BotContext, plan: Plan) -> None:
    """The /tinjau message shows what waits after this plan."""
    query = update.callback_query
    assert query is not None
    message_id = query.message.message_id if query.message is not None else None
    await review.show_queue(context, query.from_user.id, after=review.plan_key(plan), in_place_of=message_id)


def _not_waiting(context: BotContext, plan: Plan) -> str:
    """Why a decision is refused: who decided it and when, if someone did."""
    if plan.status in (program_kerja.ACCEPTED, program_kerja.NEEDS_FIX, program_kerja.REPLACED) and plan.reviewed_at:
        status = program_kerja.ACCEPTED if plan.status == program_kerja.REPLACED else plan.status
        when = short_wib(parse_iso(plan.reviewed_at), context.config.timezone)
        return t.plan_already_decided(status, plan.reviewed_by or "", when)
    return t.PLAN_NOT_WAITING


async def note(update: Update, context: BotContext, prompt: prompts.NotePrompt) -> None:
    """The admin's text after Perlu perbaikan: the decision, sent to the group and the submitter."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    text = (message.text or "").strip()
    if not text:
        await message.reply_text(t.NOTE_EMPTY)
        return
    plan = await program_kerja.get_plan(context.db, prompt.plan_id)
    if plan is None:
        await prompts.drop_note(context.db, user.id)
        await message.reply_text(t.PLAN_GONE)
        return
    decided = plan.submitted_at == prompt.submitted_at and await plan_review.decide(
        context.application, plan.id, status=program_kerja.NEEDS_FIX, note=text, admin_id=user.id,
        admin_name=display_name(user),
    )  # fmt: skip
    await prompts.drop_note(context.db, user.id)
    title = plan_review.title(plan)
    await message.reply_text(t.note_sent(title) if decided else t.note_too_late(title), parse_mode=ParseMode.HTML)


async def cancel(context: BotContext, user_id: int) -> str | None:
    """/batal while a note is asked for: dropped; the answer to give, or None if no note was asked."""
    return t.NOTE_CANCELLED if await prompts.drop_note(context.db, user_id) else None
