"""Errors: the person gets an apology, Dinsos one alert per kind of error per 10 minutes, nobody a private text."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from telegram import Update
from telegram.ext import TypeHandler

from bot import log_context, texts
from bot.alerts import AlertLimiter
from bot.config import Config, ConfigError
from handlers import form_entry
from handlers.errors import remember
from storage import registrations
from tests.conftest import ADMIN_1, ADMIN_2, ANGGOTA, KETUA_WALED, SUMBER_GROUP, WALED_GROUP, World, populate
from tests.support.harness import BotHarness, FakeClock, make_config
from tests.test_registration import approve_sumber

PRIVATE = "Dewi 0812-3456-7890 rahasia"  # what the person typed after the command
ALERT_MARK = "⚠️"


def alerts(world: World, chat_id: int) -> list[str]:
    return [m["text"] for m in world.fake.messages(chat_id) if m.get("text", "").startswith(ALERT_MARK)]


def apologies(world: World, chat_id: int) -> int:
    return sum(m.get("text") == texts.error_apology() for m in world.fake.messages(chat_id))


@pytest.fixture
def broken_overview(monkeypatch):
    """The storage call behind /kecamatan fails, as a corrupt table would make it."""

    async def overview(db):  # type: ignore[no-untyped-def]
        raise RuntimeError("no such column: kecamatan.name")

    monkeypatch.setattr(registrations, "overview", overview)


async def test_the_person_gets_an_apology_and_dinsos_one_alert_without_the_message(world, broken_overview):
    await world.say(ADMIN_2, ADMIN_2, f"/kecamatan {PRIVATE}")
    assert apologies(world, ADMIN_2) == 1
    [alert] = alerts(world, ADMIN_1)
    assert alerts(world, ADMIN_2) == [alert]  # every Dinsos admin, this one having just opened the bot
    for expected in ("RuntimeError", "handlers.admin.kecamatan", "(pesan)", f"Chat: {ADMIN_2}"):
        assert expected in alert
    assert "Senin, 23 November 2026 pukul 09.00 WIB" in alert
    for private in (*PRIVATE.split(), "no such column"):
        assert private not in alert


async def test_the_apology_says_it_was_noted_and_what_to_do_next_and_fits_a_button_alert(world, broken_overview):
    await world.say(ADMIN_2, ADMIN_2, "/kecamatan")
    [apology] = [m["text"] for m in world.fake.messages(ADMIN_2) if m["text"].startswith("Mohon maaf")]
    assert apology == (
        "Mohon maaf, terjadi kesalahan pada bot dan sudah kami catat. Silakan ulangi beberapa menit lagi; bila masih "
        "gagal, hubungi Dinas Sosial Kabupaten Cirebon."
    )
    assert len(apology) <= 200  # answerCallbackQuery's limit: a broken button shows the same words as an alert


async def test_a_second_identical_error_within_ten_minutes_sends_no_alert_the_next_one_counts_them(
    world, broken_overview
):
    await world.say(ADMIN_2, ADMIN_2, "/kecamatan")
    world.clock.advance(timedelta(minutes=4))
    await world.say(ADMIN_2, ADMIN_2, "/kecamatan")
    await world.say(ADMIN_2, ADMIN_2, "/kecamatan")
    assert len(alerts(world, ADMIN_1)) == 1
    assert apologies(world, ADMIN_2) == 3  # a held-back alert never means a silent bot
    world.clock.advance(timedelta(minutes=11))
    await world.say(ADMIN_2, ADMIN_2, "/kecamatan")
    first, second = alerts(world, ADMIN_1)
    assert "tidak dikirim" not in first
    assert "2 kesalahan yang sama" in second and "pukul 09.15 WIB" in second


async def test_a_different_kind_of_error_is_alerted_within_the_window(world, broken_overview, monkeypatch):
    await approve_sumber(world)
    await world.say(ADMIN_2, ADMIN_2, "/kecamatan")

    async def broken(update, context, form):  # type: ignore[no-untyped-def]
        raise KeyError("laporan")

    monkeypatch.setattr(form_entry, "_from_group", broken)
    await world.say(ANGGOTA, SUMBER_GROUP, "/laporan")
    first, second = alerts(world, ADMIN_1)
    assert "RuntimeError" in first
    assert "KeyError" in second and "handlers.form_entry.laporan" in second and f"Chat: {SUMBER_GROUP}" in second
    assert apologies(world, SUMBER_GROUP) == 1


@pytest.fixture
async def error_chat_world(fake, clock, tmp_path):
    """The world of conftest, with ERROR_CHAT_ID set to the Waled group (the bot is in it)."""
    populate(fake)
    config = make_config(fake.api_url, fake.token, tmp_path / "bot.db", {ADMIN_1}, error_chat_id=WALED_GROUP)
    harness = BotHarness(config, clock)
    await harness.start()
    world = World(fake, harness, clock)
    try:
        await world.all_handled(fake.add_bot_to_group(WALED_GROUP, KETUA_WALED))
        await world.say(ADMIN_1, ADMIN_1, "/start")
        yield world
    finally:
        await harness.stop()


async def test_error_chat_id_takes_the_alerts_instead_of_the_admins(error_chat_world, broken_overview):
    world = error_chat_world
    await world.say(ADMIN_1, ADMIN_1, f"/kecamatan {PRIVATE}")
    assert len(alerts(world, WALED_GROUP)) == 1
    assert alerts(world, ADMIN_1) == []
    assert apologies(world, ADMIN_1) == 1


class _Lines(logging.Handler):
    """Log records as the bot's own format (configure_logging) writes them, one string per event."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.setFormatter(log_context.OneLineFormatter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def log_lines():
    handler, root = _Lines(), logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield handler.lines
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


async def test_the_log_names_the_update_chat_and_kecamatan_but_not_the_text(world, monkeypatch, log_lines):
    """With the handler `python -m bot` adds first, every line of a group's update names its kecamatan."""
    assert world.bot.app is not None
    world.bot.app.add_handler(TypeHandler(Update, remember), group=-1)
    await approve_sumber(world)

    async def broken(update, context, form):  # type: ignore[no-untyped-def]
        logging.getLogger("handlers.form_entry").info("about to fail")
        raise KeyError("laporan")

    monkeypatch.setattr(form_entry, "_from_group", broken)
    await world.say(ANGGOTA, SUMBER_GROUP, f"/laporan {PRIVATE}")
    where = f"[chat {SUMBER_GROUP} kecamatan 32.09.15]"
    assert any(line.endswith(f"INFO handlers.form_entry {where}: about to fail") for line in log_lines)
    [error] = [line for line in log_lines if "Unhandled KeyError" in line]
    assert f"ERROR handlers.errors {where}: Unhandled KeyError in handlers.form_entry.laporan (update " in error
    assert f"message, chat {SUMBER_GROUP}, user {ANGGOTA}, kecamatan 32.09.15)" in error
    assert " | Traceback (most recent call last):" in error  # the traceback is on the same line
    for private in PRIVATE.split():
        assert not any(private in line for line in log_lines)


# --- AlertLimiter on its own -----------------------------------------------------------------------------------


def test_one_alert_per_kind_per_window_and_the_next_counts_what_was_held_back():
    clock = FakeClock()
    limiter = AlertLimiter(clock)
    assert limiter.admit(("RuntimeError", "a")) == 0
    clock.advance(timedelta(minutes=9, seconds=59))
    assert limiter.admit(("RuntimeError", "a")) is None
    assert limiter.admit(("RuntimeError", "a")) is None
    assert limiter.admit(("KeyError", "a")) == 0  # another kind has its own window
    clock.advance(timedelta(seconds=1))
    assert limiter.admit(("RuntimeError", "a")) == 2
    assert limiter.admit(("RuntimeError", "a")) is None
    clock.advance(timedelta(minutes=10))
    assert limiter.admit(("RuntimeError", "a")) == 1


@pytest.mark.parametrize(("raw", "chat_id"), [("", None), ("-1001234567890", -1001234567890), ("1001", 1001)])
def test_error_chat_id_is_a_chat_id_or_unset(raw, chat_id):
    assert Config.from_env({"BOT_TOKEN": "1:x", "ERROR_CHAT_ID": raw}, env_file=None).error_chat_id == chat_id


@pytest.mark.parametrize("raw", ["grup-dinsos", "0", "@dinsos"])
def test_a_broken_error_chat_id_names_its_variable(raw):
    with pytest.raises(ConfigError, match="ERROR_CHAT_ID"):
        Config.from_env({"BOT_TOKEN": "1:x", "ERROR_CHAT_ID": raw}, env_file=None)


def test_a_log_line_outside_any_update_has_no_chat():
    formatter = log_context.OneLineFormatter()
    record = logging.LogRecord("bot", logging.INFO, __file__, 1, "line one\nline two", None, None)
    assert formatter.format(record).endswith("INFO bot: line one | line two")


async def test_an_alert_hit_by_a_502_and_a_429_still_reaches_dinsos_once(world, broken_overview):
    world.fake.fail_next("sendMessage", error_code=502, description="Bad Gateway", chat_id=ADMIN_1)
    world.fake.fail_next(
        "sendMessage", error_code=429, description="Too Many Requests: retry after 1", retry_after=1, chat_id=ADMIN_1
    )
    await world.say(ADMIN_2, ADMIN_2, "/kecamatan")
    assert apologies(world, ADMIN_2) == 1
    world.clock.advance(timedelta(minutes=1))  # past the outbox's backoff after the 502
    assert world.bot.app is not None and world.bot.app.bot_data.sender is not None
    world.bot.app.bot_data.sender.wake()
    await world.sent()
    assert len(alerts(world, ADMIN_1)) == 1
    assert [r.status for r in world.fake.sent_to(ADMIN_1)][-3:] == [502, 429, 200]
