"""Dinsos reviews a program kerja in chat: submitted, sent back with a note, fixed and submitted again, accepted,
then revised (perubahan) and accepted again; the copies of every admin marked; /tinjau; who may decide."""

from __future__ import annotations

from datetime import timedelta

from bot.program_kerja import review
from bot.wilayah import load_kecamatan
from storage import program_kerja
from storage.program_kerja import Plan
from tests.conftest import ADMIN_1, ADMIN_2, ANGGOTA, KETUA, SUMBER_GROUP, World
from tests.support.plans import plan_with, program
from tests.test_forms import buttons, fill_laporan, last, open_from_group, press
from tests.test_registration import approve_sumber

SUMBER = next(k for k in load_kecamatan() if k.name == "Sumber")
YEAR = 2027  # the planning year on the fake clock's 23 November 2026
ACCEPT, FIX, SKIP = "✅ Diterima", "✏️ Perlu perbaikan", "Lewati"


def copies(world: World, admin_id: int = ADMIN_1) -> list[dict]:
    """The admin's copies of submitted plans, oldest first."""
    return [m for m in world.fake.messages(admin_id) if m.get("text", "").startswith("📋 Program kerja")]


def alert(world: World) -> str:
    return world.fake.calls("answerCallbackQuery")[-1].params.get("text", "")


async def submitted(world: World, programs: list | None = None) -> Plan:
    """Asep (ketua of Sumber's group) submits the 2027 plan: arranged in storage, submitted as every path does."""
    assert world.bot.app is not None
    plan = await plan_with(world.bot.db, SUMBER.code, YEAR, programs or [program(SUMBER.code, nama="Bank sampah")],
                           now=world.clock.now(), user_id=KETUA, user_name="Asep")  # fmt: skip
    assert await review.submit(world.bot.app, plan, user_id=KETUA, user_name="Asep (@asep_kt)")
    await world.sent()
    found = await program_kerja.get_plan(world.bot.db, plan.id)
    assert found is not None
    return found


async def registered(world: World) -> None:
    """Sumber's group is registered, and Asep has opened the bot (so his private notes reach him)."""
    await approve_sumber(world)
    await world.say(KETUA, KETUA, "/start")


async def test_a_plan_is_sent_back_fixed_accepted_and_revised(world):
    await registered(world)
    plan = await submitted(world)
    [copy] = copies(world)
    assert "Program kerja 2027 Kecamatan Sumber diajukan oleh Asep" in copy["text"] and "Bank sampah" in copy["text"]
    assert buttons(copy) == {ACCEPT: f"pk:ok:{plan.id}", FIX: f"pk:fix:{plan.id}"}
    assert "sudah diajukan ke Dinas Sosial" in last(world, SUMBER_GROUP)["text"]

    # Perlu perbaikan: the note is asked for, and still expected after a restart.
    world.clock.advance(timedelta(hours=2, minutes=15))
    await world.press(ADMIN_1, copy, buttons(copy)[FIX])
    assert "Tulis catatan perbaikan untuk Program kerja 2027 Kecamatan Sumber" in last(world, ADMIN_1)["text"]
    await world.bot.restart()
    await world.say(ADMIN_1, ADMIN_1, "Anggaran bank sampah terlalu besar")
    assert "sudah dikirim ke grup dan pengajunya" in last(world, ADMIN_1)["text"]
    await world.sent()
    for chat in (SUMBER_GROUP, KETUA):
        note = last(world, chat)["text"]
        assert "meminta perbaikan Program kerja 2027 Kecamatan Sumber" in note
        assert "Anggaran bank sampah terlalu besar" in note
    [copy] = copies(world)
    assert buttons(copy) == {}
    assert "✏️ Perlu perbaikan, diminta oleh Siti (@siti_dinsos), 23 Nov 11.15 WIB:" in copy["text"]
    assert "Anggaran bank sampah terlalu besar" in copy["text"]
    # A second decision on the same submission is refused and says who decided.
    await world.press(ADMIN_1, copy, f"pk:ok:{plan.id}")
    assert "sudah dikembalikan untuk perbaikan oleh Siti (@siti_dinsos), 23 Nov 11.15 WIB" in alert(world)
    assert (await program_kerja.get_plan(world.bot.db, plan.id)).status == "perlu_perbaikan"

    # Fixed (the same version) and submitted again: new copies with buttons, the old one stays decided.
    world.clock.advance(timedelta(days=1))
    again = await program_kerja.editable_plan(world.bot.db, SUMBER.code, YEAR, user_id=KETUA, user_name="Asep",
                                              now=world.clock.now())  # fmt: skip
    assert again.id == plan.id
    [kept] = await program_kerja.programs(world.bot.db, plan.id)
    fixed = program(SUMBER.code, uid=kept.uid, nama="Bank sampah", anggaran="500000")
    assert await program_kerja.save_program(world.bot.db, plan.id, fixed, now=world.clock.now())
    await submitted_again(world, again)
    old, new = copies(world)
    assert buttons(old) == {} and set(buttons(new)) == {ACCEPT, FIX} and "Rp500.000" in new["text"]
    await world.press(ADMIN_1, new, buttons(new)[ACCEPT])
    assert "Program kerja diterima" in alert(world)
    await world.sent()
    for chat in (SUMBER_GROUP, KETUA):
        assert "Program kerja 2027 Kecamatan Sumber diterima Dinas Sosial" in last(world, chat)["text"]
    old, new = copies(world)
    assert buttons(new) == {} and new["text"].endswith("\n\n✅ Diterima oleh Siti (@siti_dinsos), 24 Nov 11.16 WIB")
    await world.press(ADMIN_1, new, f"pk:fix:{plan.id}")
    assert "sudah diterima oleh Siti" in alert(world)

    # A perubahan: a new version, copied from the plan in force, with one more program; accepted from /tinjau.
    revision = await program_kerja.editable_plan(world.bot.db, SUMBER.code, YEAR, user_id=KETUA, user_name="Asep",
                                                 now=world.clock.now())  # fmt: skip
    assert revision.version == 2
    added = program(SUMBER.code, nama="Santunan lansia", bulan="Agu")
    assert await program_kerja.save_program(world.bot.db, revision.id, added, now=world.clock.now())
    await submitted_again(world, revision)
    latest = copies(world)[-1]
    assert "(perubahan ke-1)" in latest["text"] and "Santunan lansia" in latest["text"]
    await world.say(ADMIN_1, ADMIN_1, "/tinjau")
    queue = last(world, ADMIN_1)
    assert "Menunggu tinjauan: 1 dari 1" in queue["text"] and "(perubahan ke-1)" in queue["text"]
    assert {ACCEPT, FIX, SKIP} <= set(buttons(queue))
    await world.press(ADMIN_1, queue, buttons(queue)[ACCEPT])
    assert "Tidak ada laporan, evaluasi, atau program kerja yang menunggu" in last(world, ADMIN_1)["text"]
    statuses = [(p.version, p.status) for p in await program_kerja.versions(world.bot.db, SUMBER.code, YEAR)]
    assert statuses == [(2, "diterima"), (1, "diganti")]
    assert "✅ Diterima oleh Siti" in copies(world)[-1]["text"] and buttons(copies(world)[-1]) == {}
    await world.sent()
    assert "(perubahan ke-1) diterima" in last(world, SUMBER_GROUP)["text"]


async def submitted_again(world: World, plan: Plan) -> None:
    assert world.bot.app is not None
    world.clock.advance(timedelta(minutes=1))  # a new submission: its own copies
    assert await review.submit(world.bot.app, plan, user_id=KETUA, user_name="Asep (@asep_kt)")
    await world.sent()


async def test_only_dinsos_admins_decide_and_unknown_plans_are_refused(world):
    await registered(world)
    plan = await submitted(world)
    [copy] = copies(world)
    for person in (ANGGOTA, KETUA):
        await world.press(person, copy, buttons(copy)[ACCEPT])
        assert "hanya untuk admin Dinas Sosial" in alert(world)
    await world.press(ADMIN_1, copy, "pk:ok:987654")
    assert "tidak ditemukan" in alert(world)
    await world.press(ADMIN_1, copy, f"pk:skip:{plan.id}")
    assert "tidak ditemukan" in alert(world)
    draft = await plan_with(world.bot.db, load_kecamatan()[0].code, YEAR, [], now=world.clock.now())
    await world.press(ADMIN_1, copy, f"pk:ok:{draft.id}")
    assert "tidak sedang menunggu tinjauan" in alert(world)
    assert (await program_kerja.get_plan(world.bot.db, plan.id)).status == "diajukan"
    assert set(buttons(copies(world)[0])) == {ACCEPT, FIX}


async def test_batal_drops_the_note_and_a_photo_is_not_a_note(world):
    await registered(world)
    plan = await submitted(world)
    [copy] = copies(world)
    await world.press(ADMIN_1, copy, buttons(copy)[FIX])
    await world.say(ADMIN_1, ADMIN_1, "/batal")
    assert "Permintaan perbaikan program kerja dibatalkan" in last(world, ADMIN_1)["text"]
    await world.say(ADMIN_1, ADMIN_1, "Ini bukan catatan")
    assert (await program_kerja.get_plan(world.bot.db, plan.id)).status == "diajukan"
    await world.press(ADMIN_1, copy, buttons(copy)[FIX])
    photo = world.fake.new_file(b"\x89PNG fake", "photo")
    await world.bot.handled(world.fake.send_message(ADMIN_1, ADMIN_1, photo=photo))
    assert "catatan perbaikannya dalam bentuk teks" in last(world, ADMIN_1)["text"]
    assert (await program_kerja.get_plan(world.bot.db, plan.id)).status == "diajukan"
    await world.say(ADMIN_1, ADMIN_1, "Sasaran mohon diperjelas")
    assert (await program_kerja.get_plan(world.bot.db, plan.id)).status == "perlu_perbaikan"


async def test_a_decision_reaches_a_copy_not_sent_yet_and_a_note_for_a_decided_plan_is_not_sent(world):
    """Budi has not opened the bot: his copy waits. Both press Perlu perbaikan; Siti accepts first."""
    await registered(world)
    plan = await submitted(world)
    [copy] = copies(world)
    await world.press(ADMIN_1, copy, buttons(copy)[FIX])
    assert world.bot.app is not None
    # The dashboard decides through the same function.
    assert await review.decide(world.bot.app, plan.id, status="diterima", note=None, admin_id=ADMIN_1,
                               admin_name="Siti (@siti_dinsos)")  # fmt: skip
    await world.say(ADMIN_1, ADMIN_1, "Tolong rinci anggaran")
    assert "sudah diputuskan atau diajukan ulang" in last(world, ADMIN_1)["text"]
    await world.say(ADMIN_2, ADMIN_2, "/start")
    await world.sent()
    [late] = copies(world, ADMIN_2)
    assert buttons(late) == {} and "✅ Diterima oleh Siti (@siti_dinsos), 23 Nov 09.00 WIB" in late["text"]
    assert "Tolong rinci anggaran" not in last(world, SUMBER_GROUP)["text"]


async def test_tinjau_shows_plans_and_reports_oldest_first(world):
    await registered(world)
    await open_from_group(world, ANGGOTA)
    await fill_laporan(world, ANGGOTA)
    await press(world, ANGGOTA, "Kirim")
    world.clock.advance(timedelta(minutes=5))
    plan = await submitted(world)
    await world.say(ADMIN_1, ADMIN_1, "/tinjau")
    queue = last(world, ADMIN_1)
    assert "1 dari 2" in queue["text"] and "Laporan kegiatan #1" in queue["text"]
    await world.press(ADMIN_1, queue, buttons(queue)["Lewati"])
    queue = last(world, ADMIN_1)
    assert "2 dari 2" in queue["text"] and "Program kerja 2027 Kecamatan Sumber" in queue["text"]
    assert buttons(queue)[SKIP] == f"pkq:skip:{plan.id}"
    await world.press(ADMIN_1, queue, buttons(queue)[SKIP])
    assert "terakhir dalam antrean" in last(world, ADMIN_1)["text"]
    await world.say(ADMIN_1, ADMIN_1, "/tinjau")
    await world.press(ADMIN_1, last(world, ADMIN_1), buttons(last(world, ADMIN_1))["Diterima"])  # the laporan
    queue = last(world, ADMIN_1)
    assert "1 dari 1" in queue["text"] and "Program kerja 2027" in queue["text"]
    await world.press(ADMIN_1, queue, buttons(queue)[FIX])
    assert "Tulis catatan perbaikan" in last(world, ADMIN_1)["text"]
    await world.say(ADMIN_1, ADMIN_1, "Lengkapi indikatornya")
    await world.sent()
    assert "Lengkapi indikatornya" in last(world, SUMBER_GROUP)["text"]
    assert "Perlu perbaikan, diminta oleh Siti" in copies(world)[0]["text"]
