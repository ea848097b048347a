"""Webhook mode: Telegram posts each update to WEBHOOK_URL instead of the bot asking with getUpdates.

A reverse proxy (nginx, Caddy) terminates TLS at WEBHOOK_URL and forwards to the bot, which listens on plain HTTP
at WEBHOOK_LISTEN:WEBHOOK_PORT (127.0.0.1:8443 by default, so only the proxy can reach it). python-telegram-bot's
own server does the work (`run_webhook`, on tornado): it registers the URL with setWebhook, answers 403 to a
request without the right X-Telegram-Bot-Api-Secret-Token before reading the update, and puts each update into
the application's queue, which is the durable inbox: Telegram gets its 200 only once the update is stored.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from bot.app import ALLOWED_UPDATES
from bot.config import Config


def url_path(webhook_url: str) -> str:
    """The path the local server answers on: the public URL's own path, which the proxy passes on unchanged.

    The token is never part of it (the config refuses such a URL): the secret header is what proves a request
    comes from Telegram. python-telegram-bot reads the path as a regular expression, hence the escaping.
    """
    return re.escape(urlsplit(webhook_url).path or "/")


def webhook_kwargs(config: Config) -> dict[str, object]:
    """Arguments for Application.run_webhook."""
    if config.webhook_url is None or config.webhook_secret is None:
        raise ValueError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET")
    return {
        "listen": config.webhook_listen,
        "port": config.webhook_port,
        "url_path": url_path(config.webhook_url),
        "webhook_url": config.webhook_url,
        "secret_token": config.webhook_secret,
        "allowed_updates": ALLOWED_UPDATES,
    }
