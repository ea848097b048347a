"""What the bot says to anything no other handler took: unknown commands, stray text, stale buttons."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode

from bot import texts
from bot.context import BotContext


async def unknown_private(update: Update, context: BotContext) -> None:
    """A private message no handler understood (text, sticker, unknown command): point to /bantuan."""
    message = update.effective_message
    if message is None:
        return
    is_command = bool(message.text and message.text.startswith("/"))
    if is_command:
        await message.reply_text(texts.UNKNOWN_COMMAND)
    elif context.is_dinsos_admin(message.from_user.id if message.from_user else None):
        await message.reply_text(texts.PRIVATE_TEXT_HINT_ADMIN)
    elif message.text:
        # Sent on to Dinsos only if the person says so: most such messages are "how do I…", answered above.
        ask = InlineKeyboardButton(texts.BUTTON_ASK_DINSOS, callback_data=f"pq:{message.message_id}")
        await message.reply_text(
            texts.PRIVATE_TEXT_HINT, parse_mode=ParseMode.HTML, reply_markup=InlineKeyboardMarkup([[ask]])
        )
    else:
        await message.reply_text(texts.PRIVATE_TEXT_HINT.split("\n")[0])


async def stale_button(update: Update, context: BotContext) -> None:
    """Every callback query is answered, even one whose data we do not recognise (forged or from old code)."""
    query = update.callback_query
    assert query is not None
    await query.answer(texts.BUTTON_EXPIRED, show_alert=True)
