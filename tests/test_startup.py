"""Start-up against a Telegram that is down, strict or slow: migrations first, then wait, never give up.

The backoff is tested on an injected sleep (no time passes); the real-process tests are the short ones the
issue asks for: unreachable then up, SIGTERM while waiting, a refused token, and each call before updates flow
(deleteWebhook, setWebhook, PTB's own getMe, the first getUpdates) answering 502 then 429. A call that hangs is
tested in the process, on a timeout of a fraction of a second: the real ones are 10 s (start-up) and 35 s (a
long poll).
"""

from __future__ import annotations

import asyncio
import logging
import socket
import sqlite3
from itertools import islice
from pathlib import Path

import pytest
from telegram.request import HTTPXRequest

from bot.ptb_retries import PreparedUpdater, RetryLoggingBot
from bot.startup import TokenRefused, delays, prepare, probe_bot, until_answered
from tests.conftest import STRANGER
from tests.support.fake_telegram import FakeTelegram
from tests.support.harness import make_config
from tests.test_graceful_stop import BotProcess, bot_env
from tests.test_webhook import SECRET, post, webhook_env, written


def free_port() -> int:
    with socket.socket() as probe:  # nobody listens on it once the socket is closed
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Sleeps:
    """An injected sleep: records the waits, and can run something at a given one (the network coming back)."""

    def __init__(self, at: int | None = None, then=None) -> None:  # type: ignore[no-untyped-def]
        self.waits: list[float] = []
        self.at, self.then = at, then

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        if self.then is not None and len(self.waits) == self.at:
            await self.then()


async def wait_on(fake: FakeTelegram, tmp_path: Path, sleep: Sleeps, url: str | None = None) -> int:
    config = make_config(url or fake.api_url, fake.token, tmp_path / "bot.db", {1001})
    bot = probe_bot(config)
    async with bot.request:
        return await until_answered(bot.get_me, "getMe", config.telegram_api_url, sleep=sleep)


def test_the_backoff_doubles_from_one_second_and_stops_growing_at_sixty():
    assert list(islice(delays(), 9)) == [1, 2, 4, 8, 16, 32, 60, 60, 60]


async def test_getme_answering_502_then_429_is_waited_out_with_one_indonesian_line_per_try(fake, tmp_path, caplog):
    fake.fail_next("getMe", error_code=502, description="Bad Gateway", times=3)
    fake.fail_next("getMe", error_code=429, description="Too Many Requests: retry after 30", retry_after=30, times=2)
    sleep = Sleeps()
    with caplog.at_level(logging.WARNING, logger="bot.startup"):
        tries = await wait_on(fake, tmp_path, sleep)
    assert tries == 6 and [r.status for r in fake.calls("getMe")] == [502, 502, 502, 429, 429, 200]
    assert sleep.waits == [1, 2, 4, 30, 30]  # Telegram's retry_after when it is longer than the backoff
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 5
    assert lines[0] == (
        f"Telegram belum dapat dihubungi (getMe, percobaan 1, {fake.api_url}): Bad Gateway. Mencoba lagi dalam 1 detik."
    )
    assert "Telegram meminta menunggu 30 detik (429 Too Many Requests)" in lines[3]


async def test_a_telegram_unreachable_for_a_while_is_waited_for_until_it_listens(tmp_path, caplog):
    port = free_port()
    fake = FakeTelegram(port=port)
    sleep = Sleeps(at=3, then=fake.start)  # the network comes back during the third wait
    try:
        with caplog.at_level(logging.WARNING, logger="bot.startup"):
            tries = await wait_on(fake, tmp_path, sleep, url=f"http://127.0.0.1:{port}")
        assert tries == 4 and sleep.waits == [1, 2, 4]
        assert all("ConnectError" in r.getMessage() for r in caplog.records)
        assert [r.method for r in fake.requests] == ["getMe"]
    finally:
        await fake.stop()


@pytest.mark.parametrize(("code", "description"), [(401, "Unauthorized"), (404, "Not Found")])
async def test_a_token_telegram_refuses_stops_the_wait_at_once(fake, tmp_path, code, description):
    fake.fail_next("getMe", error_code=code, description=description)
    sleep = Sleeps()
    with pytest.raises(TokenRefused, match="Buat token baru di @BotFather"):
        await wait_on(fake, tmp_path, sleep)
    assert sleep.waits == []


# --- The real process -----------------------------------------------------------------------------------------


@pytest.fixture
async def bots():
    """Bot processes a test starts; any still running at the end are killed."""
    started: list[BotProcess] = []

    def make(env: dict[str, str], workdir: Path) -> BotProcess:
        started.append(BotProcess(env, workdir))
        return started[-1]

    yield make
    for process in started:
        await process.kill()


def unreachable_env(tmp_path: Path, port: int, **extra: str) -> dict[str, str]:
    fake_like = type("Unstarted", (), {"token": "123456:TEST", "api_url": f"http://127.0.0.1:{port}"})
    return bot_env(fake_like, tmp_path, **extra)  # type: ignore[arg-type]


def applied_migrations(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0]


async def test_the_bot_migrates_then_waits_for_an_unreachable_telegram_and_polls_once_it_is_up(bots, tmp_path):
    port = free_port()
    bot = bots(unreachable_env(tmp_path, port), tmp_path)
    await bot.start()
    await bot.logged("Telegram belum dapat dihubungi (getMe, percobaan 2")
    assert applied_migrations(tmp_path / "bot.db") >= 4  # before Telegram answered anything
    async with FakeTelegram(port=port) as fake:
        await bot.started_polling(fake)
        assert bot.proc is not None and bot.proc.returncode is None
        assert await bot.stop() == 0, bot.log_tail()
        assert fake.violations == []
    assert not [line for line in bot.lines if "Traceback" in line or "destroyed" in line], bot.log_tail()


async def test_sigterm_while_waiting_for_telegram_exits_zero_at_once(bots, tmp_path):
    bot = bots(unreachable_env(tmp_path, free_port()), tmp_path)
    await bot.start()
    await bot.logged("percobaan 1")
    assert await bot.stop(within=5) == 0, bot.log_tail()
    assert "Dihentikan saat menunggu Telegram" in bot.log_tail()
    assert not [line for line in bot.lines if "Traceback" in line or "destroyed" in line], bot.log_tail()


async def test_a_refused_token_stops_the_bot_with_one_line_saying_what_to_do(bots, fake, tmp_path):
    bot = bots({**bot_env(fake, tmp_path), "BOT_TOKEN": "123456:SALAH"}, tmp_path)
    await bot.start()
    assert await bot.exited() == 2
    refused = [line for line in bot.lines if "BOT_TOKEN ditolak" in line]
    assert len(refused) == 1 and "@BotFather" in refused[0]
    assert not [line for line in bot.lines if "Traceback" in line], bot.log_tail()
    fake.violations.clear()  # the wrong token is the very thing under test


# --- Every call before updates flow: deleteWebhook, setWebhook, PTB's getMe, the first getUpdates -------------


def waiting_lines(bot: BotProcess) -> list[str]:
    """The log lines an operator reads while the bot waits, without their time and level."""
    return [line.split(": ", 1)[1] for line in bot.lines if "Telegram belum dapat dihubungi" in line]


async def answers_bantuan(bot: BotProcess, fake: FakeTelegram) -> None:
    """The bot polls and answers a stranger's /bantuan: it runs as usual."""
    await bot.started_polling(fake)
    fake.send_text(STRANGER, STRANGER, "/bantuan")
    reply = await bot.watch(fake.wait_for_message(STRANGER, timeout=20))
    assert "Dinas Sosial" in reply["text"]


def fail_502_then_429(fake: FakeTelegram, method: str) -> None:
    fake.fail_next(method, error_code=502, description="Bad Gateway")
    fake.fail_next(method, error_code=429, description="Too Many Requests: retry after 1", retry_after=1)


FLOOD_1S = "Telegram meminta menunggu 1 detik (429 Too Many Requests)"


async def test_deletewebhook_answering_502_then_429_is_waited_out_and_the_bot_then_polls(bots, fake, tmp_path):
    fake.add_user(STRANGER, "Orang")
    fail_502_then_429(fake, "deleteWebhook")
    bot = bots(bot_env(fake, tmp_path), tmp_path)
    await bot.start()
    await answers_bantuan(bot, fake)
    url = fake.api_url
    assert waiting_lines(bot) == [
        f"Telegram belum dapat dihubungi (deleteWebhook, percobaan 1, {url}): Bad Gateway. Mencoba lagi dalam 1 detik.",
        f"Telegram belum dapat dihubungi (deleteWebhook, percobaan 2, {url}): {FLOOD_1S}. Mencoba lagi dalam 2 detik.",
    ]
    # Ours only: python-telegram-bot does not delete the webhook a second time, where one 502 would end the start.
    assert [r.status for r in fake.calls("deleteWebhook")] == [502, 429, 200]
    assert fake.calls("deleteWebhook")[-1].params.get("drop_pending_updates") is False
    assert await bot.stop() == 0, bot.log_tail()


async def test_sigterm_while_waiting_for_deletewebhook_exits_zero_at_once(bots, fake, tmp_path):
    fake.fail_next("deleteWebhook", error_code=502, description="Bad Gateway", times=10_000)
    bot = bots(bot_env(fake, tmp_path), tmp_path)
    await bot.start()
    await bot.logged("(deleteWebhook, percobaan 1")
    assert await bot.stop(within=5) == 0, bot.log_tail()
    assert "Dihentikan saat menunggu Telegram" in bot.log_tail()
    assert not [line for line in bot.lines if "Traceback" in line or "destroyed" in line], bot.log_tail()


async def test_ptbs_own_getme_failing_right_after_ours_is_logged_and_retried(bots, fake, tmp_path):
    fake.add_user(STRANGER, "Orang")
    fake.fail_next("deleteWebhook", error_code=502, description="Bad Gateway")
    bot = bots(bot_env(fake, tmp_path), tmp_path)
    await bot.start()
    await bot.logged("(deleteWebhook, percobaan 1")  # ours has answered; during this 1 s wait, PTB's is next
    fake.fail_next("getMe", error_code=502, description="Bad Gateway")
    await answers_bantuan(bot, fake)
    assert [r.status for r in fake.calls("getMe")] == [200, 502, 200]
    assert "Telegram belum dapat dihubungi (getMe): Bad Gateway. Dicoba lagi otomatis." in waiting_lines(bot)
    assert await bot.stop() == 0, bot.log_tail()


async def test_setwebhook_answering_502_then_429_is_waited_out_and_the_bot_then_serves(bots, fake, tmp_path):
    port = free_port()
    fake.add_user(STRANGER, "Orang")
    fail_502_then_429(fake, "setWebhook")
    bot = bots(webhook_env(fake, tmp_path, port), tmp_path)
    await bot.start()
    await bot.logged("Application started")  # PTB logs it once the webhook server listens
    update = written(fake, STRANGER, "/bantuan")
    assert await post(port, update, SECRET) == 200
    reply = await bot.watch(fake.wait_for_message(STRANGER, timeout=20))
    assert "Dinas Sosial" in reply["text"]
    url = fake.api_url
    assert waiting_lines(bot) == [
        f"Telegram belum dapat dihubungi (setWebhook, percobaan 1, {url}): Bad Gateway. Mencoba lagi dalam 1 detik.",
        f"Telegram belum dapat dihubungi (setWebhook, percobaan 2, {url}): {FLOOD_1S}. Mencoba lagi dalam 2 detik.",
    ]
    calls = fake.calls("setWebhook")
    assert [r.status for r in calls] == [502, 429, 200] and calls[-1].params["secret_token"] == SECRET
    assert await bot.stop() == 0, bot.log_tail()


async def test_the_first_getupdates_answering_502_then_429_keeps_the_bot_up_and_it_then_answers(bots, fake, tmp_path):
    fake.add_user(STRANGER, "Orang")
    fail_502_then_429(fake, "getUpdates")
    bot = bots(bot_env(fake, tmp_path), tmp_path)
    await bot.start()
    await answers_bantuan(bot, fake)
    assert [r.status for r in fake.calls("getUpdates")][:3] == [502, 429, 200]
    # python-telegram-bot's polling loop waits (1 s after a 5xx, as long as a 429 asks): its own backoff, our lines.
    assert waiting_lines(bot) == [
        "Telegram belum dapat dihubungi (getUpdates): Bad Gateway. Dicoba lagi otomatis.",
        f"Telegram belum dapat dihubungi (getUpdates): {FLOOD_1S}. Dicoba lagi otomatis.",
    ]
    assert await bot.stop() == 0, bot.log_tail()


@pytest.mark.parametrize("method", ["deleteWebhook", "setWebhook"])
async def test_a_route_call_that_hangs_is_waited_for_as_getme_is(fake, tmp_path, caplog, method):
    webhook = {"webhook_url": "https://bot.dinsos.example/hook", "webhook_secret": SECRET}
    changes = webhook if method == "setWebhook" else {}
    config = make_config(fake.api_url, fake.token, tmp_path / "bot.db", {1001}, **changes)
    fake.delay_next(method, 2.0)
    sleep = Sleeps()
    with caplog.at_level(logging.WARNING, logger="bot.startup"):
        assert await prepare(config, sleep=sleep, call_timeout=0.2) is True
    assert sleep.waits == [1]
    assert [r.getMessage() for r in caplog.records] == [
        f"Telegram belum dapat dihubungi ({method}, percobaan 1, {fake.api_url}): tidak ada jawaban dalam 0.2 detik. "
        "Mencoba lagi dalam 1 detik."
    ]
    assert fake.calls(method)[-1].ok  # the second try, answered while the first still hangs


async def test_a_getupdates_that_hangs_is_logged_and_polling_goes_on(fake, caplog):
    fake.add_user(STRANGER, "Orang")
    fake.delay_next("getUpdates", 2.0)
    # The application's bot, but with a read timeout of 0.2 s instead of 5 s plus the long poll's 30 s.
    bot = RetryLoggingBot(
        fake.token, base_url=f"{fake.api_url}/bot", get_updates_request=HTTPXRequest(read_timeout=0.2)
    )
    updater = PreparedUpdater(bot, asyncio.Queue())
    with caplog.at_level(logging.WARNING, logger="bot.ptb_retries"):
        async with updater:
            await updater.start_polling(timeout=0, poll_interval=0.05)
            fake.send_text(STRANGER, STRANGER, "/bantuan")
            update = await asyncio.wait_for(updater.update_queue.get(), 5)
            await updater.stop()
    assert update.message.text == "/bantuan"
    assert [r.getMessage() for r in caplog.records] == [
        "Telegram belum dapat dihubungi (getUpdates): tidak ada jawaban dalam batas waktu. Dicoba lagi otomatis."
    ]


# --- Command menus in the background --------------------------------------------------------------------------


async def test_setmycommands_failing_with_5xx_timeout_and_429_is_retried_until_the_menus_are_set(fake, tmp_path):
    from telegram.ext import ExtBot

    from bot.commands import Audience, for_audience, keep_publishing

    fake.add_user(1001, "Siti")
    fake.fail_next("setMyCommands", error_code=502, description="Bad Gateway", times=2)
    fake.fail_next("setMyCommands", error_code=429, description="Too Many Requests: retry after 7", retry_after=7)
    fake.fail_next("setMyCommands", error_code=500, description="Internal Server Error")
    sleep = Sleeps()
    bot = ExtBot(fake.token, base_url=f"{fake.api_url}/bot")
    async with bot:
        assert await keep_publishing(bot, {1001}, sleep=sleep) is True
    assert sleep.waits == [1, 2, 7, 8]
    assert [c["command"] for c in fake.commands()] == [c.name for c in for_audience(Audience.PRIVATE)]
    assert fake.commands({"type": "all_group_chats"})


async def test_the_bot_answers_while_its_menus_keep_failing_and_stops_without_a_task_left(world):
    import asyncio

    world.fake.fail_next("setMyCommands", error_code=502, description="Bad Gateway", times=10_000)
    await world.bot.restart()
    assert world.bot.app is not None
    menus = world.bot.app.bot_data.menus
    assert menus is not None and not menus.done()  # still retrying in the background
    await world.say(1001, 1001, "/bantuan")
    assert "Dinas Sosial" in world.fake.messages(1001)[-1]["text"]
    await world.bot.stop()
    assert menus.cancelled()
    assert [t.get_name() for t in asyncio.all_tasks() if t.get_name() in ("menus", "outbox-sender")] == []


async def test_a_start_that_fails_after_post_init_leaves_no_task_behind(fake, tmp_path):
    import asyncio

    from bot.app import build_application
    from tests.support.harness import FakeClock

    fake.fail_next("setMyCommands", error_code=502, description="Bad Gateway", times=10_000)
    app = build_application(make_config(fake.api_url, fake.token, tmp_path / "bot.db", {1001}), clock=FakeClock())
    await app.initialize()
    assert app.post_init is not None and app.post_shutdown is not None
    await app.post_init(app)
    assert app.bot_data.sender is not None and app.bot_data.menus is not None
    # As run_polling does when start_polling fails: no stop (the app never ran), only shutdown and post_shutdown.
    await app.shutdown()
    await app.post_shutdown(app)
    assert app.bot_data.sender is None and app.bot_data.menus is None and app.bot_data.db is None
    assert [t.get_name() for t in asyncio.all_tasks() if t.get_name() in ("menus", "outbox-sender")] == []


async def test_start_from_an_admin_is_answered_when_the_admin_menu_gets_a_502(world):
    world.fake.fail_next("setMyCommands", error_code=502, description="Bad Gateway", times=3)
    await world.say(1001, 1001, "/start")
    from bot import texts

    assert "Dinas Sosial" in world.fake.messages(1001)[-1]["text"]
    assert texts.error_apology() not in [m.get("text") for m in world.fake.messages(1001)]
