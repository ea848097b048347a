"""Who is at the dashboard: one-time login links, session cookies, and Telegram Mini App initData."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qsl

LOGIN_TTL = timedelta(minutes=10)
SESSION_TTL = timedelta(hours=12)
# initData is signed when the Mini App opens; the page posts it at once, so an hour is generous and still keeps a
# copied initData from opening a session the next day.
INIT_DATA_MAX_AGE = timedelta(hours=1)
SESSION_COOKIE = "dasbor_sesi"


def new_token() -> str:
    """32 random bytes, URL-safe: for login links, session cookies and CSRF tokens."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the database keeps instead of the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


@dataclass(frozen=True)
class TelegramUser:
    id: int
    name: str  # as display_name() writes it: "Siti (@siti_dinsos)"


def verify_init_data(init_data: str, bot_token: str, *, now: datetime) -> TelegramUser | None:
    """The Mini App's user if initData is signed with this bot's token and fresh; None otherwise.

    As Telegram documents it (core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app): the
    data-check-string is every field but `hash`, sorted by key, as key=value lines; the key is
    HMAC-SHA256("WebAppData", bot_token); the hash is HMAC-SHA256 of the string under that key, in hex.
    """
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        return None
    fields = dict(pairs)
    received = fields.pop("hash", "")
    if len(fields) + 1 != len(pairs) or not received:
        return None  # a repeated key: not something Telegram signs
    check = "\n".join(f"{key}={value}" for key, value in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    expected = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, received.lower()):
        return None
    try:
        signed_at = int(fields["auth_date"])
        user = json.loads(fields["user"])
        user_id = int(user["id"])
    except (KeyError, ValueError, TypeError):
        return None
    age = now.timestamp() - signed_at
    if not -60 <= age <= INIT_DATA_MAX_AGE.total_seconds():
        return None
    name = " ".join(str(part) for part in (user.get("first_name"), user.get("last_name")) if part)
    if user.get("username"):
        name = f"{name} (@{user['username']})"
    return TelegramUser(user_id, name or str(user_id))
