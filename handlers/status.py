"""/status_bot (Dinsos admins, private chat): uptime, version, database size, messages still owed, forms being
filled in, the last backup and the next reminder, so an admin can tell from Telegram that the bot is well."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from importlib import metadata
from pathlib import Path
from weakref import WeakKeyDictionary

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application

from bot import backup, texts
from bot.context import BotContext
from bot.dates import long_wib
from handlers import reminders
from storage import maintenance, xlsforms
from storage.reminders import holidays

PACKAGE = "karangtaruna-bot"
# The daily backup runs every 24 hours; older than this, one was missed.
BACKUP_OVERDUE = timedelta(hours=26)

# When each running application finished starting (post_init), on the bot's clock.
_started: WeakKeyDictionary[Application, datetime] = WeakKeyDictionary()  # type: ignore[type-arg]


def mark_started(application: Application, now: datetime) -> None:  # type: ignore[type-arg]
    _started[application] = now


async def status_bot(update: Update, context: BotContext) -> None:
    """Replies with the figures; anyone but a Dinsos admin in a private chat gets ADMIN_ONLY."""
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    assert message is not None and chat is not None
    if user is None or not context.is_dinsos_admin(user.id) or chat.type != chat.PRIVATE:
        await message.reply_text(texts.ADMIN_ONLY)
        return
    config, now = context.config, context.now()
    figures = await maintenance.figures(context.db)
    # XLSForm drafts count as forms being filled in too; they expire FORM_DRAFT_HOURS after their last answer.
    xlsform_drafts = await xlsforms.live_draft_count(
        context.db, touched_since=now - timedelta(hours=config.form_draft_hours)
    )
    size = await asyncio.to_thread(_database_size, config.database_path)
    newest = await asyncio.to_thread(backup.latest, config.backup_dir, config.timezone)
    next_reminder = await _next_reminder(context, now)
    started = _started.get(context.application)
    text = texts.bot_status(
        uptime=texts.duration((now - started).total_seconds()) if started else None,
        started=long_wib(started, config.timezone) if started else None,
        version=_version(),
        database_size=texts.file_size(size),
        pending_outbox=figures.pending_outbox,
        active_drafts=xlsform_drafts,
        last_backup=long_wib(newest.taken_at, config.timezone) if newest else None,
        backup_overdue=newest is None or now - newest.taken_at > BACKUP_OVERDUE,
        next_reminder=long_wib(next_reminder, config.timezone) if next_reminder else None,
    )
    await message.reply_text(text, parse_mode=ParseMode.HTML)


async def _next_reminder(context: BotContext, now: datetime) -> datetime | None:
    """As /pengingat shows it: the reminder schedule moved past the holidays Dinsos marked."""
    today = now.astimezone(context.config.timezone).date()
    marked = {h.day for h in await holidays(context.db, since=today - timedelta(days=60))}
    return reminders.schedule(context).next_due(now, marked)


def _database_size(path: Path) -> int:
    """The file and its WAL: between checkpoints, recent writes live in the WAL."""
    return sum(p.stat().st_size for p in (path, path.with_name(path.name + "-wal")) if p.exists())


def _version() -> str:
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return texts.STATUS_VERSION_UNKNOWN
