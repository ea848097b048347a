"""Chromium (Debian's package, never a downloaded browser) driven by Playwright, and the dashboard's logins."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlencode

from playwright.async_api import Browser, Page, async_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
LOGIN_LINK = re.compile(r"https?://\S+/masuk/[A-Za-z0-9_-]+")


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


def login_link(text: str) -> str:
    match = LOGIN_LINK.search(text)
    assert match is not None, text
    return match.group()


async def log_in(page: Page, link: str) -> None:
    """Open a /dasbor link and press its button, as an admin does."""
    await page.goto(link)
    await page.get_by_role("button", name="Masuk ke dasbor").click()
    await page.wait_for_load_state()


async def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else 0
    path = SCREENSHOTS / f"{name}-{width}.png"
    await page.screenshot(path=str(path), full_page=True)
    return path


def signed_init_data(fields: dict[str, str], bot_token: str) -> str:
    """initData as Telegram signs it for a Mini App of this bot (core.telegram.org/bots/webapps)."""
    check = "\n".join(f"{key}={value}" for key, value in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    return urlencode({**fields, "hash": hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()})
