"""/start and /bantuan: what the bot does, told to the person asking (Dinsos admin, group, anyone else)."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ParseMode

from bot import texts
from bot.access import is_group
from bot.commands import Audience, help_text, publish_admin_menu
from bot.context import BotContext
from handlers import admin_notices, form_entry, program_kerja, xlsform_correction, xlsform_fill
from handlers.admin_notices import REQUEST_KIND
from handlers.reminders import schedule_words
from storage import outbox, people, registrations


async def start(update: Update, context: BotContext) -> None:
    """/start: remembers that the person opened the bot, then helps; admins also get waiting requests."""
    user, chat = update.effective_user, update.effective_chat
    assert chat is not None
    if user is not None and chat.type == chat.PRIVATE:
        await people.record_private_contact(
            context.db, user_id=user.id, first_name=user.first_name, username=user.username, now=context.now()
        )
        # A deep link from a group's "Isi lewat chat pribadi" button carries the form and kecamatan.
        if context.args and await form_entry.start_payload(update, context, context.args[0]):
            return
        if context.args and await xlsform_fill.start_payload(update, context, context.args[0]):
            return
        if context.args and await xlsform_correction.start_payload(update, context, context.args[0]):
            return
        if context.args and await program_kerja.start_payload(update, context, context.args[0]):
            return
    await bantuan(update, context)
    if user is not None and chat.type == chat.PRIVATE and context.is_dinsos_admin(user.id):
        await publish_admin_menu(context.bot, user.id)
        await admin_notices.show_unseen(context, user.id)
        # Report copies and digests that Telegram refused while this admin had not opened the bot (requests are
        # show_unseen's: only those still pending).
        recipient = f"admin:{user.id}"
        if await outbox.retry_failed_for(context.db, recipient, context.now(), except_kinds=(REQUEST_KIND,)):
            context.sender.wake()


async def bantuan(update: Update, context: BotContext) -> None:
    """/bantuan: the help for this audience; in a group, also its registration state."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    assert message is not None and chat is not None
    if is_group(chat):
        text = await _group_help(context, chat.id)
    elif user is not None and context.is_dinsos_admin(user.id):
        text = help_text(Audience.ADMIN)
    else:
        text = help_text(Audience.PRIVATE)
    await message.reply_text(text, parse_mode=ParseMode.HTML)


async def _group_help(context: BotContext, chat_id: int) -> str:
    """A registered group is told its weekly work (not /daftar); any other group how to register."""
    live = await registrations.live_for_chat(context.db, chat_id)
    active = next((r.kecamatan_name for r in live if r.status == "active"), None)
    waiting = next((r.kecamatan_name for r in live if r.status == "pending"), None)
    if active and not waiting:
        intro = texts.group_help_registered(active, schedule_words(context.config.reminder_cron))
        return help_text(Audience.GROUP, intro=intro, leave_out=("daftar",))
    return help_text(Audience.GROUP) + "\n\n" + texts.group_status_line(active, waiting)
