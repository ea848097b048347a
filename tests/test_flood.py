"""Bursts with Telegram's flood control on: 50 reports within a second, 40 /daftar at once; not one 429, no
notice lost. The fake's flood windows and the bot's pacing share a virtual clock the test moves."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

import pytest

from bot.ratelimit import FloodLimiter
from bot.wilayah import load_kecamatan
from tests.conftest import ADMIN_1, ADMIN_2, ANGGOTA, SUMBER_GROUP, World, populate
from tests.support import reports
from tests.support.factories import group_id, pengurus_id
from tests.support.fake_telegram import FakeTelegram
from tests.support.harness import BotHarness, VirtualTime, make_config
from tests.test_forms import buttons
from tests.test_registration import approve_sumber

T = TypeVar("T")
SUMBER = "32.09.15"
REPORTERS = 50


@dataclass
class PacedWorld(World):
    """The usual world on virtual time: every action lets the bot work, moving time on only while it idles."""

    time: VirtualTime = field(default_factory=VirtualTime)
    quiet: float = 0.01  # seconds of real time without a request before time moves on

    async def drive(self, waiting: Awaitable[T]) -> T:
        """Await `waiting`; whenever the bot has made no request for a moment, move time to its next wait.

        Moving time while requests are in flight would bunch them up at the fake's end, as no network does.
        """
        task = asyncio.ensure_future(waiting)
        while not task.done():
            seen = len(self.fake.requests)
            await asyncio.wait({task}, timeout=self.quiet)
            wake = self.time.next_wake()
            if not task.done() and len(self.fake.requests) == seen and wake is not None:
                await self.time.advance(max(wake, 0.001))
        return task.result()

    async def say(self, user_id: int, chat_id: int, text: str, **kwargs):  # type: ignore[no-untyped-def]
        return await self.drive(super().say(user_id, chat_id, text, **kwargs))

    async def press(self, user_id: int, message: dict, data: str) -> dict:
        return await self.drive(super().press(user_id, message, data))

    async def all_handled(self, updates: list[dict] | None) -> None:
        await self.drive(super().all_handled(updates))

    async def until(self, done: Callable[[], bool]) -> float:
        """Virtual seconds until `done()`, with the bot working meanwhile."""
        start = self.time()
        await self.drive(self.fake.wait_for(done, timeout=120))
        await self.drive(self.sent())
        return self.time() - start


@pytest.fixture
async def paced(clock, tmp_path):
    # Nothing passes by itself: time moves only while the bot idles, so no request is ever bunched up by it.
    time = VirtualTime(passes_by_itself=0.0)
    async with FakeTelegram(clock=time) as fake:
        populate(fake)
        config = make_config(fake.api_url, fake.token, tmp_path / "bot.db", {ADMIN_1, ADMIN_2})
        harness = BotHarness(config, clock, rate_limiter=FloodLimiter(clock=time, sleep=time.sleep, quiet_start=0.0))
        await harness.start()
        world = PacedWorld(fake, harness, clock, time)
        try:
            await world.say(ADMIN_1, ADMIN_1, "/start")
            yield world
        finally:
            await time.advance(600)  # let any send still waiting for its window go, so the bot can stop
            await harness.stop()
        assert fake.violations == []


def copies(world: World) -> list[dict]:
    return [m for m in world.fake.messages(ADMIN_1) if m.get("text", "").startswith("📋 Laporan kegiatan #")]


async def test_fifty_reports_in_a_second_reach_the_admin_and_the_group_without_a_429(paced):
    world = paced
    await approve_sumber(world)
    photos = [world.fake.new_file(data, "photo")[-1]["file_id"] for data in (b"foto-1", b"foto-2")]
    answers = {
        "nama_kegiatan": "Bakti Sosial & Donor Darah", "bidang": "b01", "tanggal": "2026-11-22",
        "lokasi": {"code": "kecamatan", "name": "Tingkat Kecamatan Sumber"}, "jumlah_peserta": 35,
        "ppks": ["PPKS-01"], "jumlah_penerima": 12, "sumber_dana": "swadaya", "jumlah_dana": None,
        "hasil": "Stok darah PMI bertambah", "kendala": None, "foto": photos,
    }  # fmt: skip
    people = [pengurus_id(i) for i in range(REPORTERS)]
    for person in people:
        world.fake.add_user(person, f"Warga {person}")
        world.fake.world.set_member_status(SUMBER_GROUP, person, "member")
        await world.say(person, person, "/start")
    for person in people:  # /laporan offers to continue; the summary comes back
        await reports.open_draft(world.bot.db, "laporan", user_id=person, user_name=f"Warga {person}",
                                 kecamatan_code=SUMBER, now=world.clock.now(), answers=answers)  # fmt: skip
        await world.say(person, person, "/laporan")
        offer = world.fake.messages(person)[-1]
        await world.press(person, offer, buttons(offer)["Lanjutkan"])
    sent_before = len(world.fake.requests)
    summaries = {person: world.fake.messages(person)[-1] for person in people}
    updates = [
        world.fake.press_button(person, summary, buttons(summary)["Kirim"], strict=True)
        for person, summary in summaries.items()
    ]
    await world.drive(world.bot.handled(*updates, within=60))
    took = await world.until(lambda: len(copies(world)) == REPORTERS and len(notes(world)) == REPORTERS)
    assert world.fake.flood_429_count == 0, [
        (r.method, r.params.get("chat_id")) for r in world.fake.calls("sendMessage") if r.status == 429
    ]
    assert sorted(int(m["text"].split("#")[1].split()[0]) for m in copies(world)) == list(range(1, REPORTERS + 1))
    albums = [r for r in world.fake.requests[sent_before:] if r.method == "sendMediaGroup" and r.ok]
    assert len(albums) == REPORTERS
    # 50 notes into one group at 19 a minute take about two and a half minutes; nothing more.
    assert took < 200
    assert all("sudah terkirim" in world.fake.messages(person)[-1]["text"] for person in people)


def notes(world: World) -> list[dict]:
    return [m for m in world.fake.messages(SUMBER_GROUP) if "telah dikirim oleh" in m.get("text", "")]


async def test_forty_daftar_at_once_each_reach_dinsos_and_no_group_gets_the_apology(paced):
    world = paced
    kecamatan = load_kecamatan()
    updates = []
    for index, k in enumerate(kecamatan):
        chat_id, ketua = group_id(index), pengurus_id(index)
        world.fake.add_user(ketua, f"Ketua {k.name}")
        world.fake.add_group(chat_id, f"KT {k.name}", members={ketua: "creator"})
        await world.all_handled(world.fake.add_bot_to_group(chat_id, ketua))
    await world.until(lambda: all(world.fake.messages(group_id(i)) for i in range(len(kecamatan))))
    for index, k in enumerate(kecamatan):
        updates.append(world.fake.send_text(pengurus_id(index), group_id(index), f"/daftar {k.name}"))
    await world.drive(world.bot.handled(*updates, within=60))

    def requests() -> list[dict]:
        return [m for m in world.fake.messages(ADMIN_1) if m.get("text", "").startswith("Permintaan pendaftaran")]

    await world.until(lambda: len(requests()) == len(kecamatan))
    assert world.fake.flood_429_count == 0, [
        (r.method, r.params.get("chat_id")) for r in world.fake.calls("sendMessage") if r.status == 429
    ]
    assert {m["text"].split("Kecamatan: ")[1].split("\n")[0] for m in requests()} == {k.name for k in kecamatan}
    for index in range(len(kecamatan)):
        replies = [m.get("text", "") for m in world.fake.messages(group_id(index))]
        assert "tunggu persetujuan" in replies[-1] and not any("kesalahan" in r for r in replies)


async def test_a_429_for_one_chat_holds_back_that_chat_only_and_its_message_still_arrives_once(paced):
    world = paced
    await approve_sumber(world)
    before = len(world.fake.messages(SUMBER_GROUP))
    world.fake.fail_next(
        "sendMessage", error_code=429, description="Too Many Requests: retry after 30", retry_after=30,
        chat_id=SUMBER_GROUP,
    )  # fmt: skip
    group_reply = asyncio.ensure_future(world.say(ANGGOTA, SUMBER_GROUP, "/bantuan"))
    await world.fake.wait_for(lambda: world.fake.calls("sendMessage")[-1].status == 429)
    await world.say(ADMIN_1, ADMIN_1, "/bantuan")  # another chat goes on while the group waits
    assert "Dinas Sosial" in world.fake.messages(ADMIN_1)[-1]["text"]
    assert not group_reply.done()
    await world.time.advance(30)
    await group_reply
    bantuan = [m for m in world.fake.messages(SUMBER_GROUP)[before:] if "/laporan" in m.get("text", "")]
    assert len(bantuan) == 1
