"""The comparison for bench/broadcast.py: python-telegram-bot's own AIORateLimiter broadcasting one text.

A bare Application built with ``rate_limiter=AIORateLimiter()`` at its DEFAULT settings (30 messages per second
overall and 20 per minute per group, both leaky buckets; ``max_retries=0``, so a 429 is raised, not retried).
It sends the text to every chat id at once (asyncio.gather), and retries a send up to RETRIES times when it fails
with NetworkError (what PTB makes of a 502 Bad Gateway or a timeout), as a typical PTB broadcast loop does.
No database, no outbox: what is lost when a send fails for good is simply lost.

Run by bench/broadcast.py, not by hand:  python bench/ptb_broadcast.py CHAT_IDS_FILE TEXT_FILE
with BOT_TOKEN and TELEGRAM_API_URL in the environment. It prints ``ready`` once initialised (getMe done),
waits for one line on stdin, broadcasts, prints one JSON line (sent, failed, retries) and exits 0.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections import Counter
from pathlib import Path

from telegram.error import NetworkError, TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder

RETRIES = 3  # extra attempts after a NetworkError


async def send(application: Application, chat_id: int, text: str, retries: Counter[str]) -> str | None:  # type: ignore[type-arg]
    """One copy; None when it went out, else the error that stopped it."""
    for attempt in range(RETRIES + 1):
        try:
            await application.bot.send_message(chat_id, text)
            return None
        except NetworkError as exc:
            if attempt == RETRIES:
                return f"{type(exc).__name__}: {exc.message}"
            retries["NetworkError"] += 1
        except TelegramError as exc:  # RetryAfter (429) included: AIORateLimiter re-raises it by default
            return f"{type(exc).__name__}: {exc.message}"
    raise AssertionError("unreachable")


async def broadcast(chat_ids: list[int], text: str) -> dict[str, object]:
    api_url = os.environ["TELEGRAM_API_URL"].rstrip("/")
    application = (
        ApplicationBuilder()
        .token(os.environ["BOT_TOKEN"])
        .base_url(f"{api_url}/bot")
        .base_file_url(f"{api_url}/file/bot")
        .rate_limiter(AIORateLimiter())
        .build()
    )
    async with application:
        print("ready", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        retries: Counter[str] = Counter()
        errors = await asyncio.gather(*(send(application, chat_id, text, retries) for chat_id in chat_ids))
    failed = Counter(e.split(":")[0] for e in errors if e is not None)
    return {"sent": sum(e is None for e in errors), "failed": dict(failed), "retries": dict(retries)}


def main() -> int:
    chat_ids = [int(line) for line in Path(sys.argv[1]).read_text().split()]
    text = Path(sys.argv[2]).read_text()
    print(json.dumps(asyncio.run(broadcast(chat_ids, text))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
