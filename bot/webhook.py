"""Webhook mode: Telegram posts each update to WEBHOOK_URL instead of the bot asking with getUpdates.

A reverse proxy (nginx, Caddy) terminates TLS at WEBHOOK_URL and forwards to the bot, which listens on plain HTTP
at WEBHOOK_LISTEN:WEBHOOK_PORT (127.0.0.1:8443 by default, so only the proxy can reach it). python-telegram-bot's
own server does the work (`run_webhook`, on tornado): it answers 403 to a request without the right
X-Telegram-Bot-Api-Secret-Token before reading the update, and puts each update into the application's queue, which
is the durable inbox: Telegram gets its 200 only once the update is stored. The URL is registered with setWebhook
before that, by bot.startup, which waits for Telegram to accept it as it waits for getMe.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from bot.app import ALLOWED_UPDATES
from bot.config import Config
from bot.ptb_retries import INITIALIZE_RETRIES


def url_path(webhook_url: str) -> str:
    """The path the local server answers on: the public URL's own path, which the proxy passes on unchanged.

    The token is never part of it (the config refuses such a URL): the secret header is what proves a request
    comes from Telegram. python-telegram-bot reads the path as a regular expression, hence the escaping.
    """
    return re.escape(urlsplit(webhook_url).path or "/")


def registration(config: Config) -> dict[str, object]:
    """Arguments for setWebhook: the public URL, the secret Telegram sends back, the updates the bot handles."""
    if config.webhook_url is None or config.webhook_secret is None:
        raise ValueError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET")
    return {"url": config.webhook_url, "secret_token": config.webhook_secret, "allowed_updates": ALLOWED_UPDATES}


def webhook_kwargs(config: Config) -> dict[str, object]:
    """Arguments for Application.run_webhook. Its own setWebhook is skipped (bot.ptb_retries): bot.startup has
    registered the same `registration`, waiting for Telegram as it waits for getMe."""
    registered = registration(config)  # raises unless WEBHOOK_URL and WEBHOOK_SECRET are set
    return {
        "listen": config.webhook_listen,
        "port": config.webhook_port,
        "url_path": url_path(str(config.webhook_url)),
        "webhook_url": registered["url"],
        "secret_token": registered["secret_token"],
        "allowed_updates": registered["allowed_updates"],
        "bootstrap_retries": INITIALIZE_RETRIES,
    }
