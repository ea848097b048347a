"""Program kerja composed in Telegram (issue 17, the third way): /programkerja in the group and in private, one
program at a time through a conversation on the form engine, Ajukan ke Dinsos; who may not, and what survives a
restart. The real bot over the fake Telegram; the clock stands on Senin, 23 November 2026 (planning year 2027)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

from bot.wilayah import kecamatan_by_code
from bot.xlsform.session import State
from storage import inbox, program_drafts, program_kerja, registrations
from storage.db import Database
from storage.registrations import Requester
from tests.conftest import ADMIN_1, ANGGOTA, KETUA, KETUA_WALED, SUMBER_GROUP, WALED_GROUP, World
from tests.support.plans import approved_plan, plan_with, program
from tests.test_forms import answer, buttons, last
from tests.test_registration import approve_sumber
from tests.test_webhook import free_port

SUMBER = "32.09.15"
WALED = "32.09.01"
YEAR = 2027


async def press(world: World, user: int, label: str) -> dict:
    """Press the button with this label on the newest message in the user's private chat that has it."""
    message = next(m for m in reversed(world.fake.messages(user)) if label in buttons(m))
    return await world.press(user, message, buttons(message)[label])


def texts_of(world: World, chat_id: int) -> list[str]:
    return [m.get("text", "") for m in world.fake.messages(chat_id)]


async def plan_now(world: World, code: str = SUMBER):  # type: ignore[no-untyped-def]
    state = (await program_kerja.year_states(world.bot.db, YEAR, code))[code]
    return state.latest


async def programs_now(world: World, code: str = SUMBER) -> list:
    plan = await plan_now(world, code)
    return [] if plan is None else await program_kerja.programs(world.bot.db, plan.id)


async def register_waled(world: World) -> None:
    await world.all_handled(world.fake.add_bot_to_group(WALED_GROUP, KETUA_WALED))
    outcome = await registrations.request(
        world.bot.db, kecamatan_code=WALED, chat_id=WALED_GROUP, chat_title="KT Waled",
        requester=Requester(KETUA_WALED, "Rudi"), now=world.clock.now(),
    )  # fmt: skip
    await registrations.decide(
        world.bot.db, outcome.registration.id, approve=True, admin=Requester(ADMIN_1, "Siti"), now=world.clock.now()
    )


async def add_sablon(world: World) -> None:
    """The first program, from the menu to Simpan: buttons and typed answers mixed, as people do."""
    await press(world, KETUA, "➕ Tambah program")
    assert "(1/13)" in last(world, KETUA)["text"] and "nama program" in last(world, KETUA)["text"]
    await answer(world, KETUA, "Pelatihan sablon remaja")
    await press(world, KETUA, "Pendidikan dan Pelatihan")
    await answer(world, KETUA, "Remaja putus sekolah punya keterampilan usaha")
    await press(world, KETUA, "Anak Terlantar")
    assert "✅ Anak Terlantar" in buttons(last(world, KETUA))  # the tick shows on the same question
    await press(world, KETUA, "Selesai")
    await press(world, KETUA, "Lewati")  # sasaran lain: optional while a PPKS is served
    await press(world, KETUA, "Maret")
    await press(world, KETUA, "Juni")
    await press(world, KETUA, "Selesai")
    await answer(world, KETUA, "kaliwadas")  # typed, not pressed
    await answer(world, KETUA, "30")
    await answer(world, KETUA, "20")
    await answer(world, KETUA, "1,5 juta")
    await press(world, KETUA, "APBDes")
    await answer(world, KETUA, "Ketua bidang diklat")
    summary = await answer(world, KETUA, "30 remaja mampu menyablon kaos")
    for shown in ("Pelatihan sablon remaja", "Anak Terlantar", "Mar, Jun", "Kaliwadas", "Rp1.500.000", "APBDes"):
        assert shown in summary
    await press(world, KETUA, "💾 Simpan")


async def add_bank_sampah(world: World) -> None:
    """The second program, no PPKS: "sasaran lain" is then required."""
    await press(world, KETUA, "➕ Tambah program")
    await answer(world, KETUA, "Bank sampah desa")
    await press(world, KETUA, "Lingkungan Hidup")
    await answer(world, KETUA, "Sampah rumah tangga bernilai ekonomi")
    await press(world, KETUA, "Tidak ada")
    assert "Lewati" not in buttons(last(world, KETUA))  # without PPKS the sasaran must be written
    await answer(world, KETUA, "Masyarakat umum")
    await answer(world, KETUA, "Agustus, Desember")
    await press(world, KETUA, "Tingkat kecamatan")
    for typed in ("100", "100", "750rb"):
        await answer(world, KETUA, typed)
    await press(world, KETUA, "Swadaya")
    await answer(world, KETUA, "Sekretaris")
    await answer(world, KETUA, "100 rumah memilah sampah")
    await press(world, KETUA, "💾 Simpan")


async def test_a_plan_composed_in_the_chat_is_submitted_and_reaches_dinsos(world):
    await approve_sumber(world)
    await world.say(KETUA, KETUA, "/programkerja")
    menu = last(world, KETUA)
    assert "Program kerja 2027 Kecamatan Sumber" in menu["text"] and "Belum disusun" in menu["text"]
    assert buttons(menu)["📥 Unduh template Excel"] == "pkx:tpl:320915:2027"
    assert "📅 Program kerja 2026" in buttons(menu)

    await add_sablon(world)
    assert "Program «Pelatihan sablon remaja» ditambahkan" in texts_of(world, KETUA)[-2]
    assert "1. <b>" not in last(world, KETUA)["text"]  # sent as HTML: the fake shows the text, not the tags
    assert "1. Pelatihan sablon remaja · Mar, Jun · Rp1.500.000" in last(world, KETUA)["text"]
    await add_bank_sampah(world)
    programs = await programs_now(world)
    assert [p.nama for p in programs] == ["Pelatihan sablon remaja", "Bank sampah desa"]
    sablon, bank = programs
    kaliwadas = next(v.code for v in kecamatan_by_code(SUMBER).villages if v.name == "Kaliwadas")  # type: ignore[union-attr]
    assert (sablon.bulan, sablon.lokasi, sablon.anggaran, sablon.sasaran_ppks) == ((3, 6), kaliwadas, 1_500_000,
                                                                                  ("PPKS-02",))  # fmt: skip
    assert (bank.sasaran_ppks, bank.sasaran_lain, bank.bulan, bank.lokasi) == ((), "Masyarakat umum", (8, 12),
                                                                                "kecamatan")  # fmt: skip

    # Ubah: the program's own answers, at the summary; one answer changed.
    await press(world, KETUA, "✏️ Ubah program")
    await press(world, KETUA, "1. Pelatihan sablon remaja")
    assert "Periksa kembali" in last(world, KETUA)["text"] and "Rp1.500.000" in last(world, KETUA)["text"]
    await press(world, KETUA, "✏️ Ubah jawaban")
    await press(world, KETUA, "Anggaran (Rp)")
    assert "Jawaban sekarang: Rp1.500.000" in last(world, KETUA)["text"]
    assert "Rp2.000.000" in await answer(world, KETUA, "2.000.000")
    await press(world, KETUA, "💾 Simpan")
    changed = await programs_now(world)
    assert [(p.uid, p.anggaran) for p in changed] == [(sablon.uid, 2_000_000), (bank.uid, 750_000)]

    # Hapus: asked first.
    await press(world, KETUA, "🗑️ Hapus program")
    await press(world, KETUA, "2. Bank sampah desa")
    assert "Hapus program «Bank sampah desa»" in last(world, KETUA)["text"]
    await press(world, KETUA, "Ya, hapus")
    assert [p.nama for p in await programs_now(world)] == ["Pelatihan sablon remaja"]

    await press(world, KETUA, "📤 Ajukan ke Dinsos")
    assert "1 program, anggaran Rp2.000.000" in last(world, KETUA)["text"]
    await press(world, KETUA, "Ya, ajukan")
    plan = await plan_now(world)
    assert plan.status == "diajukan" and plan.submitted_by_id == KETUA
    copy = next(m for m in world.fake.messages(ADMIN_1) if "diajukan oleh Asep" in m.get("text", ""))
    assert "Program kerja 2027 Kecamatan Sumber" in copy["text"] and "Pelatihan sablon remaja" in copy["text"]
    assert set(buttons(copy).values()) == {f"pk:ok:{plan.id}", f"pk:fix:{plan.id}"}
    assert "sudah diajukan ke Dinas Sosial" in texts_of(world, SUMBER_GROUP)[-1]
    waiting = last(world, KETUA)
    assert "menunggu Dinsos" in waiting["text"] and "➕ Tambah program" not in buttons(waiting)

    # The group reads the plan; only a pengurus gets the way to the private chat.
    await world.say(ANGGOTA, SUMBER_GROUP, "/programkerja")
    listed = last(world, SUMBER_GROUP)
    assert "Pelatihan sablon remaja · Mar, Jun · Rp2.000.000" in listed["text"] and "Diajukan" in listed["text"]
    assert buttons(listed) == {}
    await world.say(KETUA, SUMBER_GROUP, "/programkerja")
    link = buttons(last(world, SUMBER_GROUP))["Susun di chat pribadi"]
    assert parse_qs(urlparse(link).query)["start"] == ["pk-320915"]


async def test_a_submitted_plan_cannot_be_submitted_or_edited_again(world):
    await approve_sumber(world)
    await world.say(KETUA, KETUA, "/programkerja")
    empty_menu = last(world, KETUA)
    update = await press(world, KETUA, "📤 Ajukan ke Dinsos")
    assert "Tambahkan minimal satu program" in answered(world, update)
    await add_sablon(world)
    await press(world, KETUA, "📤 Ajukan ke Dinsos")
    confirm = last(world, KETUA)
    await press(world, KETUA, "Ya, ajukan")
    update = await world.press(KETUA, confirm, buttons(confirm)["Ya, ajukan"])  # a second tap
    assert "sudah diajukan" in answered(world, update)
    update = await world.press(KETUA, empty_menu, buttons(empty_menu)["➕ Tambah program"])  # an old menu
    assert "ditinjau Dinas Sosial" in answered(world, update)
    assert await program_drafts.active(world.bot.db, KETUA) is None
    assert len([m for m in world.fake.messages(ADMIN_1) if "diajukan oleh" in m.get("text", "")]) == 1


def answered(world: World, update: dict) -> str:
    return (world.fake.callback_answer(update["callback_query"]["id"]) or {}).get("text", "")


async def test_a_member_who_is_not_an_admin_of_the_group_is_told_who_composes(world):
    await approve_sumber(world)
    await world.say(ANGGOTA, ANGGOTA, "/programkerja")
    assert "admin grup Telegram kecamatan" in last(world, ANGGOTA)["text"]
    await world.bot.handled(world.fake.user_starts_bot(ANGGOTA, "pk-320915"))
    assert "hanya dapat diubah oleh admin grup" in last(world, ANGGOTA)["text"]
    assert buttons(last(world, ANGGOTA)) == {}
    assert await program_drafts.active(world.bot.db, ANGGOTA) is None


async def test_another_kecamatans_pengurus_cannot_touch_sumbers_plan(world):
    await approve_sumber(world)
    await register_waled(world)
    await world.say(KETUA, KETUA, "/programkerja")
    await add_sablon(world)
    [sablon] = await programs_now(world)
    await press(world, KETUA, "➕ Tambah program")  # Ketua's own draft, open
    await answer(world, KETUA, "Program kedua")
    ketua_bidang = buttons(last(world, KETUA))["Pendidikan dan Pelatihan"]

    await world.bot.handled(world.fake.user_starts_bot(KETUA_WALED, "pk-320915"))  # a forged deep link
    assert "Kecamatan Sumber hanya dapat diubah" in last(world, KETUA_WALED)["text"]
    await world.say(KETUA_WALED, KETUA_WALED, "/programkerja")  # his own: Waled
    own = last(world, KETUA_WALED)
    assert "Kecamatan Waled" in own["text"]
    for forged in ("pm:a:320915:2027", f"pm:D:320915:2027:{sablon.uid}", "pm:S:320915:2027", "pm:p:320915:2027"):
        update = await world.press(KETUA_WALED, own, forged)
        assert "Kecamatan Sumber hanya dapat diubah" in answered(world, update)
    update = await world.press(KETUA_WALED, own, "pm:a:320915:2031")  # a year nobody plans now
    assert "tidak berlaku" in answered(world, update)
    # Ketua's conversation button, replayed by someone else.
    update = await world.press(KETUA_WALED, own, ketua_bidang)
    assert "untuk orang lain" in answered(world, update)
    assert await program_drafts.active(world.bot.db, KETUA_WALED) is None
    assert [p.uid for p in await programs_now(world)] == [sablon.uid]
    assert (await plan_now(world)).status == "draf"


async def test_bad_answers_get_a_message_and_change_nothing(world):
    await approve_sumber(world)
    await world.say(KETUA, KETUA, "/programkerja")
    await press(world, KETUA, "➕ Tambah program")
    draft = await program_drafts.active(world.bot.db, KETUA)
    sticker = {"file_id": "s", "file_unique_id": "s", "type": "regular", "width": 1, "height": 1,
               "is_animated": False, "is_video": False}  # fmt: skip
    await world.bot.handled(world.fake.send_message(KETUA, KETUA, sticker=sticker))
    assert "Mohon jawab dengan teks" in last(world, KETUA)["text"]
    assert "3 sampai 200 karakter" in await answer(world, KETUA, "x" * 4000)
    assert (await program_drafts.active(world.bot.db, KETUA)).state == draft.state  # still at the first question

    await answer(world, KETUA, "Santunan anak yatim")
    await press(world, KETUA, "Usaha Kesejahteraan Sosial (pelayanan PPKS)")
    await answer(world, KETUA, "Meringankan beban anak yatim")
    update = await press(world, KETUA, "Selesai")  # nothing ticked
    assert "atau tekan Tidak ada" in answered(world, update)
    await answer(world, KETUA, "Anak Terlantar")  # a choice may be typed too
    await press(world, KETUA, "Lewati")
    await answer(world, KETUA, "Maretan")
    assert "Maretan" in last(world, KETUA)["text"] and "tidak dikenal" in last(world, KETUA)["text"]
    await answer(world, KETUA, "Ramadan")
    await answer(world, KETUA, "Semua")
    at_lokasi = (await program_drafts.active(world.bot.db, KETUA)).state
    assert "bukan desa/kelurahan di Kecamatan Sumber" in await answer(world, KETUA, "Kota Bandung")
    assert (await program_drafts.active(world.bot.db, KETUA)).state == at_lokasi
    await answer(world, KETUA, "Sidawangi")
    at_peserta = (await program_drafts.active(world.bot.db, KETUA)).state
    assert State.from_json(at_peserta).current == "target_peserta"
    assert "negatif" in await answer(world, KETUA, "-5")
    assert "angka" in await answer(world, KETUA, "banyak")
    assert (await program_drafts.active(world.bot.db, KETUA)).state == at_peserta


async def test_a_restart_in_the_middle_resumes_at_the_same_question(world):
    await approve_sumber(world)
    await world.say(KETUA, KETUA, "/programkerja")
    await press(world, KETUA, "➕ Tambah program")
    await answer(world, KETUA, "Pelatihan sablon remaja")
    bidang = buttons(last(world, KETUA))["Pendidikan dan Pelatihan"]
    await press(world, KETUA, "Pendidikan dan Pelatihan")
    assert "(3/13)" in last(world, KETUA)["text"]

    await world.bot.restart()
    await world.say(KETUA, KETUA, "/programkerja")  # where was I?
    assert "sedang mengisi program «Pelatihan sablon remaja»" in texts_of(world, KETUA)[-2]
    assert "(3/13)" in last(world, KETUA)["text"]
    assert "(4/13)" in await answer(world, KETUA, "Remaja putus sekolah punya keterampilan usaha")
    update = await world.press(KETUA, last(world, KETUA), bidang)  # a button of an earlier question
    assert "pertanyaan sebelumnya" in answered(world, update)
    draft = await program_drafts.active(world.bot.db, KETUA)
    assert draft is not None and '"bidang": "b01"' in draft.state and "(4/13)" in last(world, KETUA)["text"]


async def test_batal_drops_the_program_and_leaves_the_plan_as_it_was(world):
    await approve_sumber(world)
    await world.say(KETUA, KETUA, "/programkerja")
    await press(world, KETUA, "➕ Tambah program")
    await answer(world, KETUA, "Program yang batal")
    await world.say(KETUA, KETUA, "/batal")
    assert "dibatalkan; program kerja tidak berubah" in last(world, KETUA)["text"]
    assert await program_drafts.active(world.bot.db, KETUA) is None
    assert await plan_now(world) is None
    stale = next(m for m in reversed(world.fake.messages(KETUA)) if "Pendidikan dan Pelatihan" in buttons(m))
    update = await world.press(KETUA, stale, buttons(stale)["Pendidikan dan Pelatihan"])
    assert "sudah selesai atau dibatalkan" in answered(world, update)


async def test_an_answer_handled_again_after_a_crash_is_not_taken_twice(world):
    await approve_sumber(world)
    await world.say(KETUA, KETUA, "/programkerja")
    await press(world, KETUA, "➕ Tambah program")
    for typed in ("Kerja bakti", "6", "Lingkungan bersih", "Tidak ada", "Warga", "Mar", "Sumber"):
        await answer(world, KETUA, typed)  # every question answered by typing
    assert "(8/13)" in last(world, KETUA)["text"]
    update = await world.say(KETUA, KETUA, "30")
    await world.bot.stop()
    # The previous process stored the answer, then died before it marked the update handled: the next start
    # handles it again.
    db = Database(world.bot.config.database_path)
    await db.open()
    await inbox.prune(db, world.clock.now() + timedelta(days=1))
    await inbox.accept(db, [(update["update_id"], update)], world.clock.now())
    await db.close()
    await world.bot.start()
    await world.say(KETUA, KETUA, "20")  # handled after the replay (one chat's updates run in order)
    state = State.from_json((await program_drafts.active(world.bot.db, KETUA)).state)
    assert (state.answers["target_peserta"], state.answers["target_penerima"]) == ("30", "20")
    assert state.current == "anggaran" and "(10/13)" in last(world, KETUA)["text"]


async def test_an_approved_plan_is_changed_through_a_revision_that_keeps_the_approved_one_in_force(world):
    await approve_sumber(world)
    approved = await approved_plan(world.bot.db, SUMBER, YEAR, [program(SUMBER, nama="Bank sampah")],
                                   now=world.clock.now())  # fmt: skip
    [bank] = await program_kerja.programs(world.bot.db, approved.id)
    await world.bot.handled(world.fake.user_starts_bot(KETUA, "pk-320915"))  # the group's button
    menu = last(world, KETUA)
    assert "Status: Diterima (versi 1)" in menu["text"] and "Bank sampah" in menu["text"]
    assert "➕ Tambah program" not in buttons(menu) and "📝 Ajukan perubahan" in buttons(menu)
    await press(world, KETUA, "📝 Ajukan perubahan")
    revision = last(world, KETUA)
    assert "(perubahan ke-1)" in revision["text"] and "Status: Draf (versi 2)" in revision["text"]
    assert "Yang berlaku sekarang: versi 1" in revision["text"]
    await press(world, KETUA, "✏️ Ubah program")
    await press(world, KETUA, "1. Bank sampah")
    await press(world, KETUA, "✏️ Ubah jawaban")
    await press(world, KETUA, "Bulan pelaksanaan")
    await press(world, KETUA, "Desember")
    await press(world, KETUA, "Selesai")
    await press(world, KETUA, "💾 Simpan")
    draft_version = await plan_now(world)
    assert (draft_version.version, draft_version.status) == (2, "draf")
    [changed] = await program_kerja.programs(world.bot.db, draft_version.id)
    assert (changed.uid, changed.bulan) == (bank.uid, (3, 6, 12))  # the same program, so its laporan still count
    [kept] = await program_kerja.programs(world.bot.db, approved.id)
    assert kept.bulan == (3, 6) and (await program_kerja.get_plan(world.bot.db, approved.id)).status == "diterima"

    await press(world, KETUA, "📅 Program kerja 2026")  # the year switch
    assert "Program kerja 2026 Kecamatan Sumber" in last(world, KETUA)["text"]
    assert "Belum disusun" in last(world, KETUA)["text"]


async def test_a_plan_sent_back_shows_dinsos_note_and_can_be_fixed(world):
    await approve_sumber(world)
    plan = await plan_with(world.bot.db, SUMBER, YEAR, [program(SUMBER)], now=world.clock.now())
    db, now = world.bot.db, world.clock.now()
    assert await program_kerja.submit(db, plan.id, user_id=KETUA, user_name="Asep", now=now, owed=[])
    assert await program_kerja.decide(db, plan.id, status="perlu_perbaikan", note="Anggaran terlalu besar",
                                      admin_id=ADMIN_1, admin_name="Siti", now=now, owed=[])  # fmt: skip
    await world.say(KETUA, KETUA, "/programkerja")
    menu = last(world, KETUA)
    assert "Perlu perbaikan" in menu["text"] and "Catatan Dinsos: Anggaran terlalu besar" in menu["text"]
    assert {"➕ Tambah program", "✏️ Ubah program", "📤 Ajukan ke Dinsos"} <= set(buttons(menu))


async def test_a_pengurus_of_two_kecamatan_chooses_which(world):
    await approve_sumber(world)
    await register_waled(world)
    world.fake.set_member_status(WALED_GROUP, KETUA, "administrator")
    await world.say(KETUA, KETUA, "/programkerja")
    assert set(buttons(last(world, KETUA))) == {"Sumber", "Waled"}
    await press(world, KETUA, "Waled")
    assert "Program kerja 2027 Kecamatan Waled" in last(world, KETUA)["text"]


async def test_the_group_of_an_unregistered_kecamatan_is_told_to_register(world):
    await world.all_handled(world.fake.add_bot_to_group(SUMBER_GROUP, KETUA))
    await world.say(ANGGOTA, SUMBER_GROUP, "/programkerja")
    assert "belum terdaftar" in last(world, SUMBER_GROUP)["text"]


async def test_the_menu_offers_the_laptop_link_when_the_dashboard_is_on(world):
    world.bot.config = replace(world.bot.config, dashboard_url="http://127.0.0.1:1", dashboard_port=free_port())
    await world.bot.restart()
    await approve_sumber(world)
    await world.say(KETUA, KETUA, "/programkerja")
    menu = last(world, KETUA)
    assert buttons(menu)["💻 Buka di laptop"].startswith("http://127.0.0.1:1/masuk/")
    assert "berlaku 10 menit" in menu["text"]


async def test_a_program_left_for_days_expires_and_the_next_message_is_not_an_answer(world):
    await approve_sumber(world)
    await world.say(KETUA, KETUA, "/programkerja")
    await press(world, KETUA, "➕ Tambah program")
    world.clock.advance(timedelta(hours=world.bot.config.form_draft_hours + 1))
    assert "tidak dilanjutkan selama 72 jam" in await answer(world, KETUA, "Pelatihan sablon remaja")
    assert await program_drafts.active(world.bot.db, KETUA) is None
