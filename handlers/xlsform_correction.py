"""Correcting a submission of an uploaded XLSForm after Dinsos asked for it (Perlu perbaikan, bot/xlsform/review.py).

The Perbaiki button in the private chat (xk:<submission id>), or the group's link (/start xkoreksi-<submission id>),
opens the submission again as a draft on its own form version, filled with its answers and shown at the summary;
its Kirim stores the submission's next version (storage.xlsforms.submit), which waits for Dinsos's decision anew
while the version it replaces is kept. As for a laporan, the submitter and the members of the kecamatan's group may
correct it, while the decision on its current version is Perlu perbaikan.
"""

from __future__ import annotations

import re

from telegram import Update, User
from telegram.constants import ParseMode

from bot import texts
from bot.access import is_member
from bot.context import BotContext
from bot.texts import xlsform_review_fix as fix_texts
from bot.xlsform.review import CORRECT_PREFIX, START_PREFIX
from handlers import xlsform_fill
from storage import registrations, xform_review
from storage.xlsforms import XSubmission

PATTERN = rf"^{CORRECT_PREFIX}:(\d{{1,12}})$"
START_PATTERN = re.compile(rf"^{START_PREFIX}(\d{{1,12}})$")


async def on_button(update: Update, context: BotContext) -> None:
    """Perbaiki under the decision in the submitter's private chat."""
    query = update.callback_query
    assert query is not None
    match = re.match(PATTERN, query.data or "")
    assert match is not None
    await query.answer()
    await open_correction(context, query.from_user, int(match[1]))


async def start_payload(update: Update, context: BotContext, payload: str) -> bool:
    """/start xkoreksi-12 from the group's Perbaiki link; False if the payload is not one."""
    match = START_PATTERN.match(payload)
    user = update.effective_user
    if match is None or user is None:
        return False
    await open_correction(context, user, int(match[1]))
    return True


async def _may_correct(context: BotContext, user_id: int, submission: XSubmission) -> bool:
    if user_id == submission.submitted_by_id:
        return True
    group = await registrations.active_for_kecamatan(context.db, submission.kecamatan_code)
    return group is not None and await is_member(context, group.chat_id, user_id)


async def open_correction(context: BotContext, user: User, submission_id: int) -> None:
    """The submission as a draft at its summary, or the reason it cannot be corrected (by this person, now)."""
    listed = await xform_review.get(context.db, submission_id)
    found = await xlsform_fill.version_and_form(context.db, listed.submission.version_id) if listed else None
    if listed is None or found is None:
        await context.bot.send_message(user.id, texts.BUTTON_EXPIRED)
        return
    version, form = found
    submission = listed.submission
    draft, _ = await xlsform_fill.live_draft(context, user.id)
    if draft is not None and draft.took(context.update_id):
        await xlsform_fill.ask(context, user.id, draft)  # opened by this press before a restart cut it short
        return
    if listed.review is None or listed.review.status != xform_review.NEEDS_FIX:
        await context.bot.send_message(user.id, fix_texts.not_asked(form.title, submission.id))
        return
    if not await _may_correct(context, user.id, submission):
        await context.bot.send_message(user.id, fix_texts.not_member(form.title, submission.id))
        return
    if draft is not None:
        # This correction left half done is resumed; another form's draft is not thrown away unasked.
        await xlsform_fill.offer_resume(context, user.id, draft)
        if draft.submission_id != submission.id:
            await context.bot.send_message(user.id, texts.xlsform_finish_draft_first(form.title),
                                           parse_mode=ParseMode.HTML)  # fmt: skip
        return
    await context.bot.send_message(user.id, fix_texts.opened(form.title, submission.id), parse_mode=ParseMode.HTML)
    await xlsform_fill.begin(context, user, version, kecamatan_code=submission.kecamatan_code, test=False,
                             correcting=submission)  # fmt: skip
