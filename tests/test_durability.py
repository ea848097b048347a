"""Nothing accepted from Telegram is lost: an update stored in the inbox but not handled runs after a restart."""

from __future__ import annotations

from storage import inbox, registrations
from storage.registrations import KecamatanState
from tests.conftest import KETUA, SUMBER_GROUP


async def test_an_update_accepted_before_a_crash_is_handled_once_after_restart(world):
    await world.all_handled(world.fake.add_bot_to_group(SUMBER_GROUP, KETUA))
    await world.bot.stop()
    # The previous process stored this update in its inbox, told Telegram it had it, and died before handling it.
    update = world.fake.build_text_update(KETUA, SUMBER_GROUP, "/daftar Sumber")
    from storage.db import Database

    db = Database(world.bot.config.database_path)
    await db.open()
    await inbox.accept(db, [(update["update_id"], update)], world.clock.now())
    await db.close()

    await world.bot.start()
    await world.bot.handled(update)
    states = {s.code: s.state for s in await registrations.overview(world.bot.db)}
    assert states["32.09.15"] is KecamatanState.PENDING
    replies = [m for m in world.fake.messages(SUMBER_GROUP) if "tunggu persetujuan" in m.get("text", "")]
    assert len(replies) == 1


async def test_a_redelivered_update_is_not_handled_twice(world):
    await world.all_handled(world.fake.add_bot_to_group(SUMBER_GROUP, KETUA))
    update = await world.say(KETUA, SUMBER_GROUP, "/daftar Sumber")
    before = len(world.fake.messages(SUMBER_GROUP))
    world.fake.redeliver(update)  # Telegram sends it again (e.g. the offset was never confirmed)
    await world.say(KETUA, SUMBER_GROUP, "/bantuan")
    assert len(world.fake.messages(SUMBER_GROUP)) == before + 1
