"""One busy group must not hold up everyone else; one chat's updates still happen in order."""

from __future__ import annotations

import pytest

from bot.ratelimit import FloodLimiter
from tests.conftest import ANGGOTA, KETUA, STRANGER, SUMBER_GROUP, World, populate
from tests.support.fake_telegram import FakeTelegram
from tests.support.harness import BotHarness, VirtualTime, make_config


@pytest.fixture
async def paced_world(clock, tmp_path):
    """The usual world, but the fake's flood windows and the bot's pacing run on time the test moves."""
    time = VirtualTime()
    async with FakeTelegram(clock=time) as fake:
        populate(fake)
        config = make_config(fake.api_url, fake.token, tmp_path / "bot.db", set())
        harness = BotHarness(config, clock, rate_limiter=FloodLimiter(clock=time, sleep=time.sleep, quiet_start=0.0))
        await harness.start()
        try:
            yield World(fake, harness, clock), time
        finally:
            await time.advance(120)  # let any send still waiting for its window go, so the bot can stop
            await harness.stop()
        assert fake.violations == [] and fake.flood_429_count == 0


async def test_a_group_at_its_flood_limit_does_not_delay_a_private_chat(paced_world):
    world, time = paced_world
    await world.all_handled(world.fake.add_bot_to_group(SUMBER_GROUP, KETUA))
    for _ in range(19):  # with the welcome, 20 messages into one group within a minute: the last must wait
        world.fake.send_text(ANGGOTA, SUMBER_GROUP, "/bantuan")
    await world.fake.wait_for(lambda: len(world.fake.messages(SUMBER_GROUP)) == 19)
    await world.say(STRANGER, STRANGER, "/bantuan")  # handled while the group's last reply waits
    assert "Dinas Sosial" in world.fake.messages(STRANGER)[-1]["text"]
    assert len(world.fake.messages(SUMBER_GROUP)) == 19
    await time.advance(61)
    await world.fake.wait_for(lambda: len(world.fake.messages(SUMBER_GROUP)) == 20)
