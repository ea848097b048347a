"""Webhook mode: `python -m bot` with WEBHOOK_URL takes updates over HTTP, only with the secret, and polling after
it removes the webhook again. The updates are real HTTP posts to the running process, as Telegram makes them."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import aiohttp
import pytest

from bot.config import Config, ConfigError
from bot.webhook import url_path
from tests.conftest import STRANGER
from tests.support.fake_telegram import FakeTelegram
from tests.test_graceful_stop import BotProcess, bot_env, query

SECRET = "uji-rahasia_webhook-123"
PATH = "/telegram/karangtaruna"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def webhook_env(fake: FakeTelegram, workdir: Path, port: int) -> dict[str, str]:
    return bot_env(
        fake, workdir,
        WEBHOOK_URL=f"http://127.0.0.1:{port}{PATH}", WEBHOOK_SECRET=SECRET,
        WEBHOOK_LISTEN="127.0.0.1", WEBHOOK_PORT=str(port),
    )  # fmt: skip


def written(fake: FakeTelegram, user_id: int, text: str) -> dict:
    """The update Telegram would post for a user's message (taken off the fake's getUpdates queue)."""
    update = fake.send_text(user_id, user_id, text)
    assert update is not None
    fake.drop_pending_updates()
    return update


async def post(port: int, update: dict, secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    async with aiohttp.ClientSession() as session:
        url = f"http://127.0.0.1:{port}{PATH}"
        async with session.post(url, data=json.dumps(update), headers=headers) as response:
            return response.status


def inbox_ids(db_path: Path) -> set[int]:
    return {update_id for (update_id,) in query(db_path, "SELECT update_id FROM update_inbox")}


@pytest.fixture
async def webhook_bot(fake, tmp_path):
    port = free_port()
    fake.add_user(STRANGER, "Orang")
    bot = BotProcess(webhook_env(fake, tmp_path, port), tmp_path)
    await bot.start()
    try:
        await bot.logged("Application started")  # PTB logs it once the webhook server listens
        yield bot, port
    finally:
        await bot.kill()


async def test_the_bot_registers_its_webhook_with_the_secret_and_no_token_in_the_url(fake, webhook_bot):
    _, port = webhook_bot
    [call] = fake.calls("setWebhook")
    assert call.params["url"] == f"http://127.0.0.1:{port}{PATH}" and fake.token.split(":")[1] not in call.params["url"]
    assert call.params["secret_token"] == SECRET
    assert call.params["allowed_updates"] == ["message", "callback_query", "my_chat_member"]
    assert fake.calls("getUpdates") == []


async def test_an_update_with_the_secret_is_answered(fake, webhook_bot, tmp_path):
    bot, port = webhook_bot
    update = written(fake, STRANGER, "/bantuan")
    assert await post(port, update, SECRET) == 200
    reply = await bot.watch(fake.wait_for_message(STRANGER, timeout=20))
    assert "Dinas Sosial" in reply["text"]
    assert await bot.stop() == 0, bot.log_tail()
    assert update["update_id"] in inbox_ids(tmp_path / "bot.db")


@pytest.mark.parametrize("secret", [None, "", "salah", SECRET + "x"])
async def test_an_update_without_the_right_secret_is_refused_and_changes_nothing(fake, webhook_bot, tmp_path, secret):
    bot, port = webhook_bot
    forged = written(fake, STRANGER, "/bantuan")
    assert await post(port, forged, secret) == 403
    # A real update after it is handled; the bot handles one chat's updates in order, so by its answer the
    # forged one would have been answered too.
    real = written(fake, STRANGER, "/start")
    assert await post(port, real, SECRET) == 200
    await bot.watch(fake.wait_for_message(STRANGER, timeout=20))
    assert await bot.stop() == 0, bot.log_tail()
    assert len(fake.messages(STRANGER)) == 1  # the answer to /start, nothing for the forged /bantuan
    ids = inbox_ids(tmp_path / "bot.db")
    assert real["update_id"] in ids and forged["update_id"] not in ids


async def test_polling_after_webhooks_deletes_the_webhook_first(fake, webhook_bot, tmp_path):
    bot, _ = webhook_bot
    assert await bot.stop() == 0, bot.log_tail()
    polling = BotProcess(bot_env(fake, tmp_path), tmp_path)
    await polling.start()
    try:
        # A long poll is open: the fake refuses getUpdates (409) while a webhook is set, so it was deleted first.
        await polling.started_polling(fake)
        methods = [r.method for r in fake.requests if r.method in ("setWebhook", "deleteWebhook")]
        assert methods == ["setWebhook", "deleteWebhook"]
        assert all(r.ok for r in fake.calls("getUpdates"))
        fake.send_text(STRANGER, STRANGER, "/bantuan")
        reply = await polling.watch(fake.wait_for_message(STRANGER, timeout=20))
        assert "Dinas Sosial" in reply["text"]
        assert await polling.stop() == 0, polling.log_tail()
    finally:
        await polling.kill()


def test_the_local_path_is_the_public_urls_path():
    assert url_path("https://bot.dinsos.example/telegram/karangtaruna") == "/telegram/karangtaruna"
    assert url_path("https://bot.dinsos.example") == "/"


BASE = {"BOT_TOKEN": "123:abcSECRET"}


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"WEBHOOK_URL": "https://bot.example/hook"}, "WEBHOOK_SECRET"),
        ({"WEBHOOK_URL": "https://bot.example/hook", "WEBHOOK_SECRET": "spasi tidak boleh"}, "WEBHOOK_SECRET"),
        ({"WEBHOOK_URL": "https://bot.example/hook", "WEBHOOK_SECRET": "x" * 257}, "WEBHOOK_SECRET"),
        ({"WEBHOOK_URL": "https://bot.example/abcSECRET", "WEBHOOK_SECRET": "s"}, "WEBHOOK_URL"),
        ({"WEBHOOK_URL": "bot.example/hook", "WEBHOOK_SECRET": "s"}, "WEBHOOK_URL"),
        ({"WEBHOOK_PORT": "70000"}, "WEBHOOK_PORT"),
        ({"WEBHOOK_PORT": "http"}, "WEBHOOK_PORT"),
        ({"WEBHOOK_LISTEN": "127.0.0.1 8443"}, "WEBHOOK_LISTEN"),
    ],
)
def test_a_broken_webhook_setting_names_its_variable(env, variable):
    with pytest.raises(ConfigError, match=variable):
        Config.from_env({**BASE, **env}, env_file=None)


def test_webhook_settings_and_their_defaults():
    polling = Config.from_env(BASE, env_file=None)
    assert polling.webhook_url is None
    assert (polling.webhook_listen, polling.webhook_port) == ("127.0.0.1", 8443)
    env = {"WEBHOOK_URL": "https://bot.example/hook", "WEBHOOK_SECRET": "A-z_09" * 40}
    config = Config.from_env({**BASE, **env}, env_file=None)
    assert config.webhook_url == "https://bot.example/hook" and config.webhook_secret == "A-z_09" * 40
