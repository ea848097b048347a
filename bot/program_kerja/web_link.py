"""The one-time link a pengurus gets from /programkerja to their kecamatan's pages on the dashboard's server."""

from __future__ import annotations

from telegram import User

from bot.access import display_name
from bot.context import BotContext
from storage import dashboard
from web.auth import LOGIN_TTL, new_token, token_hash


async def login_link(context: BotContext, user: User, kecamatan_code: str) -> str | None:
    """A fresh link (only its hash is stored) that opens a session bound to this kecamatan; None when the
    dashboard is off (no DASHBOARD_URL). The caller has checked that the person is its pengurus."""
    base = context.config.dashboard_url
    if base is None:
        return None
    token = new_token()
    await dashboard.add_login(
        context.db, token_hash(token), user.id, display_name(user), now=context.now(), ttl=LOGIN_TTL,
        kecamatan_code=kecamatan_code,
    )  # fmt: skip
    return f"{base}/masuk/{token}"


LINK_MINUTES = int(LOGIN_TTL.total_seconds() // 60)
