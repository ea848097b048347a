"""The floor: a bare python-telegram-bot bot that answers every text message once with a fixed short text.

Configured like the real bot (BOT_TOKEN, TELEGRAM_API_URL) but with nothing of its own: no database, no rate
limiter, library defaults everywhere. Run as a script: ``python bench/bare_bot.py``.
"""

import os

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters


async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """One short reply per message."""
    assert update.effective_message is not None
    await update.effective_message.reply_text("OK")


def main() -> None:
    """Build and poll until SIGTERM/SIGINT."""
    api_url = os.environ["TELEGRAM_API_URL"].rstrip("/")
    application = (
        ApplicationBuilder()
        .token(os.environ["BOT_TOKEN"])
        .base_url(f"{api_url}/bot")
        .base_file_url(f"{api_url}/file/bot")
        .build()
    )
    # TEXT covers commands too; service messages (the bot being added to a group) get no reply.
    application.add_handler(MessageHandler(filters.TEXT, reply))
    application.run_polling()


if __name__ == "__main__":
    main()
