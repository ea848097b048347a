"""Fixtures: a fake Telegram server, the real bot running against it, and the people and groups of a test."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.support.fake_telegram import FakeTelegram
from tests.support.harness import BotHarness, FakeClock, make_config

ADMIN_1 = 1001  # Dinsos admin who has opened the bot
ADMIN_2 = 1002  # Dinsos admin who has not opened the bot yet
KETUA = 2001  # admin of the Sumber group
ANGGOTA = 2002  # plain member of the Sumber group
KETUA_WALED = 2101
STRANGER = 3001

SUMBER_GROUP = -4001
WALED_GROUP = -4002


@dataclass
class World:
    fake: FakeTelegram
    bot: BotHarness
    clock: FakeClock

    async def say(self, user_id: int, chat_id: int, text: str, **kwargs):  # type: ignore[no-untyped-def]
        """A user writes; returns once the bot has handled it and sent what it queued meanwhile (or at once when
        Telegram would not deliver it)."""
        update = self.fake.send_text(user_id, chat_id, text, **kwargs)
        await self.bot.handled(update)
        await self.sent()
        return update

    async def press(self, user_id: int, message: dict, data: str) -> dict:
        update = self.fake.press_button(user_id, message, data)
        await self.bot.handled(update)
        await self.sent()
        return update

    async def sent(self) -> None:
        """The outbox has sent all it can now (notices to admins, copies; retries wait for their time)."""
        if self.bot.app is not None and self.bot.app.bot_data.sender is not None:
            await self.bot.app.bot_data.sender.settled()

    async def all_handled(self, updates: list[dict] | None) -> None:
        await self.bot.handled(*(updates or []))
        await self.sent()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def fake():
    async with FakeTelegram() as server:
        yield server
        # Every request the bot made in the test must have been valid Bot API, and every button press answered.
        assert server.violations == []
        assert server.unanswered_callback_queries() == []


def populate(fake: FakeTelegram) -> None:
    fake.add_user(ADMIN_1, "Siti", username="siti_dinsos")
    fake.add_user(ADMIN_2, "Budi", username="budi_dinsos")
    fake.add_user(KETUA, "Asep", username="asep_kt")
    fake.add_user(ANGGOTA, "Dewi")
    fake.add_user(KETUA_WALED, "Rudi")
    fake.add_user(STRANGER, "Orang", last_name="Asing")
    fake.add_group(SUMBER_GROUP, "Karang Taruna Kec. Sumber", members={KETUA: "creator", ANGGOTA: "member"})
    fake.add_group(WALED_GROUP, "KT Waled", members={KETUA_WALED: "administrator", ANGGOTA: "member"})


@pytest.fixture
async def world(fake, clock, tmp_path):
    populate(fake)
    config = make_config(fake.api_url, fake.token, tmp_path / "bot.db", {ADMIN_1, ADMIN_2})
    harness = BotHarness(config, clock)
    await harness.start()
    w = World(fake, harness, clock)
    await w.say(ADMIN_1, ADMIN_1, "/start")
    try:
        yield w
    finally:
        await harness.stop()
