"""Reminders for published XLSForm forms, sent at the weekly reminder's slot (handlers/reminders.tick).

Each published form reminds the groups it was published to that have not sent it in its current period (since
publication for a one-off form, until its deadline; this week or this month for a recurring one), and sends
Dinsos a digest of who has. One ledger row per form and slot (storage.xlsforms.record_reminder) is written with
the messages, so a second tick or a restart never reminds twice.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode

from bot import texts
from bot.clock import iso, parse_iso
from bot.context import BotContext
from bot.dates import long_date
from handlers import xlsform_fill
from storage import outbox, registrations, xlsforms
from storage.xlsforms import Publication

logger = logging.getLogger(__name__)

REMINDER_KIND = "xform_reminder"
DIGEST_KIND = "xform_digest"


def period_start(publication: Publication, now: datetime, context: BotContext) -> datetime | None:
    """Where the current period began, or None when a one-off form's deadline has passed."""
    tz = context.config.timezone
    today = now.astimezone(tz).date()
    if publication.schedule == "once":
        if publication.deadline and today > date.fromisoformat(publication.deadline):
            return None
        return parse_iso(publication.published_at)
    first = today - timedelta(days=today.weekday()) if publication.schedule == "weekly" else today.replace(day=1)
    return datetime.combine(first, time(0, 0), tzinfo=tz)


async def remind(context: BotContext, slot_key: str) -> int:
    """Queue every published form's reminders and digest for this slot; returns how many groups were reminded."""
    now = context.now()
    groups = [s.active for s in await registrations.overview(context.db) if s.active is not None]
    reminded = 0
    for form, publication in await xlsforms.published(context.db):
        start = period_start(publication, now, context)
        if start is None:
            continue
        chosen = await xlsforms.targets(context.db, publication)
        expected = [g for g in groups if chosen is None or g.kecamatan_code in chosen]
        done = await xlsforms.submitted_kecamatan(context.db, form.id, since=iso(start))
        missing = [g for g in expected if g.kecamatan_code not in done]
        deadline = long_date(date.fromisoformat(publication.deadline)) if publication.deadline else None
        owed = []
        for group in missing:
            link = (
                f"https://t.me/{context.bot.username}?start={xlsform_fill.payload_for(form.id, group.kecamatan_code)}"
            )
            markup = InlineKeyboardMarkup([[InlineKeyboardButton(texts.BUTTON_FILL_IN_PRIVATE, url=link)]])
            text = texts.xlsform_reminder(group.kecamatan_name, form.title, deadline)
            payload = {"text": text, "parse_mode": ParseMode.HTML, "reply_markup": markup.to_dict()}
            owed.append(outbox.Owed(REMINDER_KIND, 0, group.kecamatan_code, group.chat_id, payload))
        digest = texts.xlsform_digest(form.title, len(expected) - len(missing), len(expected),
                                      [g.kecamatan_name for g in missing])  # fmt: skip
        code = expected[0].kecamatan_code if expected else "32.09.01"
        for admin_id in sorted(context.config.admin_ids):
            owed.append(outbox.Owed(DIGEST_KIND, 0, code, admin_id, {"text": digest, "parse_mode": ParseMode.HTML},
                                    f"admin:{admin_id}"))  # fmt: skip
        if await xlsforms.record_reminder(
            context.db, slot_key=f"xform:{form.id}:{slot_key}", xform_id=form.id, period_start=iso(start),
            reminded=len(missing), now=now, owed=owed,
        ):  # fmt: skip
            reminded += len(missing)
            logger.info("XLSForm %s reminder: %d group(s)", form.form_id, len(missing))
            context.sender.wake()
    return reminded
