"""Arranging state quickly for tests that are about something else (e.g. 40 registered groups for a broadcast)."""

from __future__ import annotations

from bot.wilayah import Kecamatan, load_kecamatan
from storage import chats, registrations
from storage.registrations import Requester

GROUP_ID_BASE = -5000
PENGURUS_ID_BASE = 50000


def group_id(index: int) -> int:
    return GROUP_ID_BASE - index


def pengurus_id(index: int) -> int:
    return PENGURUS_ID_BASE + index


async def active_groups(world, count: int, *, admin_id: int) -> list[tuple[Kecamatan, int]]:  # type: ignore[no-untyped-def]
    """`count` kecamatan groups, each with its ketua, the bot in it, and an approved registration."""
    made = []
    for index, kecamatan in enumerate(load_kecamatan()[:count]):
        chat_id, ketua = group_id(index), pengurus_id(index)
        world.fake.add_user(ketua, f"Ketua {kecamatan.name}")
        world.fake.add_group(chat_id, f"KT {kecamatan.name}", members={ketua: "creator"})
        world.fake.world.chat(chat_id).bot_status = "member"
        db, now = world.bot.db, world.clock.now()
        await chats.record(
            db, chat_id=chat_id, type="group", title=f"KT {kecamatan.name}", bot_status="member", now=now
        )
        outcome = await registrations.request(
            db, kecamatan_code=kecamatan.code, chat_id=chat_id, chat_title=f"KT {kecamatan.name}",
            requester=Requester(ketua, f"Ketua {kecamatan.name}"), now=now,
        )  # fmt: skip
        admin = Requester(admin_id, "Admin")
        await registrations.decide(db, outcome.registration.id, approve=True, admin=admin, now=now)
        made.append((kecamatan, chat_id))
    return made
