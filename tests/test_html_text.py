"""Text people type with `&`, `<` and `>` reads exactly as typed in every message the bot queues or sends."""

from __future__ import annotations

from tests.conftest import ADMIN_1, ANGGOTA, KETUA, SUMBER_GROUP, World
from tests.test_announcements import compose, group_copies, kirim
from tests.test_forms import buttons, fill_laporan, last, open_from_group, press, settled
from tests.test_registration import approve_sumber

NAME = "Bakti Sosial & Donor Darah"
TRICKY = "Cek <b>jumlah</b> & foto > 3"


async def submit(world: World, name: str) -> None:
    await open_from_group(world, ANGGOTA)
    await fill_laporan(world, ANGGOTA, name)
    await press(world, ANGGOTA, "Kirim")
    await settled(world)


def admin_copy(world: World) -> dict:
    return next(m for m in reversed(world.fake.messages(ADMIN_1)) if m.get("text", "").startswith("📋 Laporan"))


async def test_the_group_note_and_the_admin_copy_show_the_name_exactly_as_typed(world):
    await approve_sumber(world)
    await submit(world, NAME)
    assert f"«{NAME}» telah dikirim oleh Dewi" in last(world, SUMBER_GROUP)["text"]
    assert NAME in admin_copy(world)["text"]
    assert "&amp;" not in last(world, SUMBER_GROUP)["text"] + admin_copy(world)["text"]


async def test_angle_brackets_in_a_report_and_in_a_review_comment_are_shown_not_parsed(world):
    await approve_sumber(world)
    await submit(world, TRICKY)
    assert f"«{TRICKY}»" in last(world, SUMBER_GROUP)["text"]
    copy = admin_copy(world)
    assert TRICKY in copy["text"]
    await world.press(ADMIN_1, copy, buttons(copy)["Perlu perbaikan"])
    await world.say(ADMIN_1, ADMIN_1, "Mohon <i>foto</i> & daftar hadir > 10 orang")
    await settled(world)
    for chat in (SUMBER_GROUP, ANGGOTA):
        text = last(world, chat)["text"]
        assert "Mohon <i>foto</i> & daftar hadir > 10 orang" in text and TRICKY in text
    copy = admin_copy(world)
    await world.press(ADMIN_1, copy, "rv:ok:1:1")  # already reviewed: nothing new, nothing broken
    assert world.fake.violations == []


async def test_a_group_title_with_ampersand_reaches_the_admins_as_written(world):
    world.fake.world.chat(SUMBER_GROUP).title = "KT <Sumber> & Co"
    await approve_sumber(world)
    request = next(m for m in world.fake.messages(ADMIN_1) if m.get("text", "").startswith("Permintaan pendaftaran"))
    assert "Grup: KT <Sumber> & Co" in request["text"]
    await world.all_handled(world.fake.remove_bot_from_group(SUMBER_GROUP, KETUA))
    assert "Bot dikeluarkan dari grup «KT <Sumber> & Co»" in world.fake.messages(ADMIN_1)[-1]["text"]


async def test_an_announcement_with_ampersand_reaches_the_groups_as_written(world):
    await approve_sumber(world)
    control = await compose(world, f"{NAME} <Sabtu> & Minggu")
    await kirim(world, control)
    [copy] = group_copies(world, SUMBER_GROUP)
    assert copy["text"] == f"{NAME} <Sabtu> & Minggu"
