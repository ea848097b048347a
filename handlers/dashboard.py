"""/dasbor (Dinsos admins, private chat): a Mini App button (https only) and a one-time login link."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Update, WebAppInfo
from telegram.constants import ParseMode

from bot import texts
from bot.access import dinsos_admin_command, display_name
from bot.context import BotContext
from storage import dashboard
from web.auth import LOGIN_TTL, new_token, token_hash


@dinsos_admin_command
async def dasbor(update: Update, context: BotContext) -> None:
    """Stores a fresh login link (hashed) and sends it, with the Mini App button when the address is https."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    base = context.config.dashboard_url
    if base is None:
        await message.reply_text(texts.DASHBOARD_OFF, parse_mode=ParseMode.HTML)
        return
    token = new_token()
    await dashboard.add_login(
        context.db, token_hash(token), user.id, display_name(user), now=context.now(), ttl=LOGIN_TTL
    )
    # Telegram only opens Mini Apps from https addresses.
    miniapp = base.startswith("https://")
    markup = None
    if miniapp:
        button = InlineKeyboardButton(texts.BUTTON_DASHBOARD_MINIAPP, web_app=WebAppInfo(f"{base}/miniapp"))
        markup = InlineKeyboardMarkup([[button]])
    await message.reply_text(
        texts.dashboard_links(f"{base}/masuk/{token}", int(LOGIN_TTL.total_seconds() // 60), miniapp),
        parse_mode=ParseMode.HTML,
        reply_markup=markup,
        # No preview: Telegram's servers would open the link (they would not spend it: that takes a press).
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )
