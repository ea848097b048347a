"""Kirim on a built-in form's summary: one report stored (whatever the taps), and the messages it owes queued."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.constants import ParseMode

from bot import texts
from bot.clock import parse_iso
from bot.context import BotContext
from bot.dates import short_wib, week_range
from bot.forms.fields import FieldType, Form, display
from bot.review_decision import review_keyboard
from bot.sending import edit_markup
from bot.wilayah import kecamatan_by_code
from storage import forms, outbox, program_kerja, registrations, reviews
from storage.forms import ADMIN_COPY_KIND, Report
from storage.xlsforms import XDraft

logger = logging.getLogger(__name__)

# Outbox kinds; their messages are written in full when queued (bot/outbox_sender.PayloadKind). Each is keyed by
# the report version it is about (storage/forms.submit fills in the ref).
NOTE_KIND = "report_note"
ADMIN_ALBUM_KIND = "report_album"
MESSAGE_LIMIT = 4096
_KEYED_BY_STORAGE = 0


def admin_copy_text(
    form: Form, report: Report, kecamatan_name: str, tz: ZoneInfo, programs: Mapping[str, str] | None = None
) -> str:
    """The copy an admin reads (and /tinjau shows): its number, sender and time, the week, every answer.

    `programs` names the program kerja uids (storage.program_kerja.program_names); a laporan never asked about
    its program kerja (no approved plan, or stored before the question) shows no such line. `form` is the form's
    current version: an answer to a question it no longer asks is not shown (the export keeps it)."""
    lines = [
        (f.label, display(f, report.answers.get(f.key), programs))
        for f in form.fields
        if f.type is not FieldType.PROGRAM or report.answers.get(f.key) is not None
    ]
    text = texts.form_admin_copy(
        form.title, kecamatan_name, report.number, report.version, report.submitted_by, lines,
        sent=short_wib(parse_iso(report.updated_at), tz),
        week=week_range(date.fromisoformat(report.week)) if report.week else "",
    )  # fmt: skip
    # Field limits keep a report well under Telegram's limit; this guard only protects against a future field.
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 1] + "…"


def _owed(context: BotContext, form: Form, kecamatan_code: str, group_chat_id: int | None, daily: set[int],  # type: ignore[no-untyped-def]
          programs: Mapping[str, str]):  # fmt: skip
    """The messages a submission owes: a note in the kecamatan group, the full report (and album) to each admin
    who takes copies one by one (`daily` admins read it in /tinjau after their summary)."""
    kecamatan = kecamatan_by_code(kecamatan_code)
    name = kecamatan.name if kecamatan else kecamatan_code
    ref = _KEYED_BY_STORAGE

    def build(report: Report) -> list[outbox.Owed]:
        owed = []
        title_value = report.answers.get("nama_kegiatan") or ""
        if group_chat_id is not None:
            note = texts.form_group_note(form.title, title_value, report.submitted_by, report.version > 1)
            payload = {"text": note, "parse_mode": ParseMode.HTML}  # the note is escaped HTML, like every text
            owed.append(outbox.Owed(NOTE_KIND, ref, kecamatan_code, group_chat_id, payload))
        photos = [p for f in form.fields if f.type is FieldType.PHOTOS for p in report.answers.get(f.key) or []]
        copy = {
            "text": admin_copy_text(form, report, name, context.config.timezone, programs),
            "parse_mode": ParseMode.HTML,
            "reply_markup": review_keyboard(report.id, report.version).to_dict(),
        }
        for admin_id in sorted(context.config.admin_ids - daily):
            recipient = f"admin:{admin_id}"
            owed.append(outbox.Owed(ADMIN_COPY_KIND, ref, kecamatan_code, admin_id, copy, recipient))
            if photos:
                album = {"text": texts.form_album_caption(form.title, report.number), "album": photos}
                owed.append(outbox.Owed(ADMIN_ALBUM_KIND, ref, kecamatan_code, admin_id, album, recipient))
        return owed

    return build


async def submit(update: Update, context: BotContext, draft: XDraft, form: Form, answers: dict[str, Any]) -> None:
    """Store the report (a double tap or a second device finds it already stored), then confirm.

    `form` is the draft's version's; `answers` the draft's, in the report's shape (bot/xlsform/legacy.from_xlsform)."""
    query = update.callback_query
    assert query is not None and query.message is not None and draft.kecamatan_code is not None
    group = await registrations.active_for_kecamatan(context.db, draft.kecamatan_code)
    programs = await program_kerja.program_names(context.db, draft.kecamatan_code) if "program" in answers else {}
    owed = _owed(context, form, draft.kecamatan_code, group.chat_id if group else None,
                 await reviews.daily_admins(context.db), programs)  # fmt: skip
    submission = await forms.submit(context.db, draft.id, answers=answers, now=context.now(), owed=owed)
    if submission is None:
        await query.answer(texts.FORM_GONE, show_alert=True)
        return
    await query.answer()
    report = submission.report
    if not submission.created:
        await context.bot.send_message(query.message.chat.id, texts.form_already_submitted(form.title, report.number))
        return
    logger.info("%s #%s v%s from kecamatan %s", form.key, report.id, report.version, report.kecamatan_code)
    await edit_markup(query, None)
    await context.bot.send_message(
        query.message.chat.id,
        texts.form_submitted(form.title, report.number, report.version),
        parse_mode=ParseMode.HTML,
    )
    context.sender.wake()
