"""Both forms end to end through the fake server, from a group under privacy mode and from a private chat."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

from storage import forms, registrations
from storage.registrations import Requester
from tests.conftest import ADMIN_1, ADMIN_2, ANGGOTA, KETUA, KETUA_WALED, STRANGER, SUMBER_GROUP, WALED_GROUP, World
from tests.support.reports import given, live_state
from tests.test_registration import approve_sumber

SUMBER = "32.09.15"


def buttons(message: dict) -> dict[str, str]:
    markup = message.get("reply_markup") or {}
    return {
        b["text"]: b.get("callback_data") or b.get("url", "") for row in markup.get("inline_keyboard", []) for b in row
    }


def last(world: World, chat_id: int) -> dict:
    return world.fake.messages(chat_id)[-1]


async def press(world: World, user: int, label: str) -> None:
    """Press the button with this label on the newest message in the user's private chat that has it."""
    message = next(m for m in reversed(world.fake.messages(user)) if label in buttons(m))
    await world.press(user, message, buttons(message)[label])


async def answer(world: World, user: int, text: str) -> str:
    """Type an answer in private; returns the bot's newest message there."""
    await world.say(user, user, text)
    return last(world, user)["text"]


async def open_from_group(world: World, user: int, command: str = "/laporan") -> None:
    """The group command answers with a button; following it sends /start <payload> in private."""
    await world.say(user, SUMBER_GROUP, command)
    url = buttons(last(world, SUMBER_GROUP))["Isi lewat chat pribadi"]
    payload = parse_qs(urlparse(url).query)["start"][0]
    await world.bot.handled(world.fake.user_starts_bot(user, payload))


LAPORAN_TEXT_ANSWERS = {
    "nama": "Pelatihan sablon remaja",
    "tanggal": "kemarin",
    "lokasi": "kaliwadas",
    "peserta": "35 orang",
    "penerima": "12",
    "hasil": "Remaja mampu menyablon kaos sendiri",
    "kendala": "Peralatan kurang",
}


async def fill_laporan(
    world: World, user: int, name: str = "Pelatihan sablon remaja", photos: tuple[bytes, ...] = (b"foto-1", b"foto-2")
) -> None:
    """Answer every question of the laporan form up to the summary (two photos, no amount)."""
    await answer(world, user, name)
    await press(world, user, "Pendidikan dan Pelatihan")
    await answer(world, user, "kemarin")
    await answer(world, user, "kaliwadas")
    await answer(world, user, "35 orang")
    await press(world, user, "Anak Terlantar")
    await press(world, user, "Lanjut Usia Terlantar")
    await press(world, user, "Selesai")
    await answer(world, user, "12")
    await press(world, user, "Swadaya")
    await press(world, user, "Lewati")
    await answer(world, user, "Remaja mampu menyablon kaos sendiri")
    await answer(world, user, "Peralatan kurang")
    for content in photos:
        await world.bot.handled(world.fake.send_message(user, user, photo=world.fake.new_file(content, "photo")))
    await press(world, user, "Selesai")


async def settled(world: World) -> None:
    assert world.bot.app is not None and world.bot.app.bot_data.sender is not None
    await world.bot.app.bot_data.sender.settled()


async def test_a_laporan_started_in_the_group_is_filled_in_private_and_reaches_everyone(world):
    await approve_sumber(world)
    await open_from_group(world, ANGGOTA)
    assert "(1/12)" in last(world, ANGGOTA)["text"]
    await fill_laporan(world, ANGGOTA)
    summary = last(world, ANGGOTA)["text"]
    for expected in ("Pelatihan sablon remaja", "Kaliwadas", "35", "Anak Terlantar, Lanjut Usia Terlantar", "2 foto"):
        assert expected in summary
    assert "Tanggal kegiatan: Minggu, 22 November 2026" in summary  # a date in a summary has its day name
    await press(world, ANGGOTA, "Kirim")
    assert "sudah terkirim ke Dinas Sosial" in last(world, ANGGOTA)["text"]
    await settled(world)
    assert "«Pelatihan sablon remaja» telah dikirim oleh Dewi" in last(world, SUMBER_GROUP)["text"]
    copy = next(m for m in world.fake.messages(ADMIN_1) if "Laporan kegiatan #" in m.get("text", ""))
    assert "Kecamatan Sumber" in copy["text"] and "Swadaya" in copy["text"]
    album = [m for m in world.fake.messages(ADMIN_1) if m.get("photo")]
    assert len(album) == 2
    [report] = await forms.all_reports(world.bot.db, "laporan")
    assert report.kecamatan_code == SUMBER and report.answers["jumlah_peserta"] == 35
    assert report.answers["tanggal"] == "2026-11-22"  # "kemarin" on Senin, 23 November 2026 (WIB)


async def test_a_member_of_one_group_can_start_in_private(world):
    await approve_sumber(world)
    await world.say(KETUA, KETUA, "/laporan")
    assert "Kecamatan Sumber" in world.fake.messages(KETUA)[-2]["text"] and "(1/12)" in last(world, KETUA)["text"]


async def test_a_member_of_two_groups_chooses_the_kecamatan(world):
    await approve_sumber(world)
    await world.all_handled(world.fake.add_bot_to_group(WALED_GROUP, KETUA_WALED))
    outcome = await registrations.request(
        world.bot.db, kecamatan_code="32.09.01", chat_id=WALED_GROUP, chat_title="KT Waled",
        requester=Requester(KETUA_WALED, "Rudi"), now=world.clock.now(),
    )  # fmt: skip
    await registrations.decide(
        world.bot.db, outcome.registration.id, approve=True, admin=Requester(ADMIN_1, "Siti"), now=world.clock.now()
    )
    await world.say(ANGGOTA, ANGGOTA, "/evaluasi")
    assert set(buttons(last(world, ANGGOTA))) == {"Waled", "Sumber"}
    await press(world, ANGGOTA, "Waled")
    assert "Kecamatan Waled" in world.fake.messages(ANGGOTA)[-2]["text"]


async def test_someone_outside_the_groups_is_refused_even_with_the_link(world):
    await approve_sumber(world)
    await world.say(STRANGER, STRANGER, "/laporan")
    assert "belum tercatat sebagai anggota" in last(world, STRANGER)["text"]
    assert "Mohon hubungi admin grup kecamatan Anda" in last(world, STRANGER)["text"]
    await world.bot.handled(world.fake.user_starts_bot(STRANGER, "laporan-320915"))
    assert "belum tercatat sebagai anggota" in last(world, STRANGER)["text"]
    assert await live_state(world.bot.db, STRANGER) is None


async def test_an_unregistered_group_is_told_to_register_first(world):
    await world.all_handled(world.fake.add_bot_to_group(SUMBER_GROUP, KETUA))
    await world.say(ANGGOTA, SUMBER_GROUP, "/laporan")
    assert "belum terdaftar" in last(world, SUMBER_GROUP)["text"]


async def test_every_bad_answer_gets_the_reason_and_the_same_question_again(world):
    await approve_sumber(world)
    await open_from_group(world, ANGGOTA)
    assert "maksimal 200 karakter" in await answer(world, ANGGOTA, "x" * 5000)  # the workbook's constraint
    await world.bot.handled(
        world.fake.send_message(ANGGOTA, ANGGOTA, sticker={
            "file_id": "s", "file_unique_id": "s", "type": "regular", "width": 1, "height": 1,
            "is_animated": False, "is_video": False,
        })
    )  # fmt: skip
    assert "dengan teks" in last(world, ANGGOTA)["text"]
    await answer(world, ANGGOTA, "Pelatihan sablon")
    assert "tombol" in await answer(world, ANGGOTA, "bidang apa saja")
    await press(world, ANGGOTA, "Lingkungan Hidup")
    assert "masa depan" in await answer(world, ANGGOTA, "1/1/2099")
    assert "tidak ada di kalender" in await answer(world, ANGGOTA, "31/02/2026")
    refusal = await answer(world, ANGGOTA, "minggu lalu")
    assert "Contoh: 20/11/2026, 20 Nov, hari ini, atau kemarin" in refusal  # today is 23 November 2026
    assert "desa/kelurahan" in await answer(world, ANGGOTA, "20 Nov")  # the example is accepted as written
    assert "tidak ada di Kecamatan Sumber" in await answer(world, ANGGOTA, "Waled Kota")
    await answer(world, ANGGOTA, "tingkat kecamatan")
    assert "negatif" in await answer(world, ANGGOTA, "-5")
    assert "angka" in await answer(world, ANGGOTA, "banyak sekali")
    # Longer than int() or float() take: the question's own rule, not the error apology.
    assert "paling besar 100.000" in await answer(world, ANGGOTA, "9" * 4096)
    assert "paling besar 100.000" in await answer(world, ANGGOTA, "7" * 4000 + " orang")
    assert "paling besar 100.000" in await answer(world, ANGGOTA, "100001")
    state = await live_state(world.bot.db, ANGGOTA)
    assert state is not None and state.current == "jumlah_peserta" and "jumlah_peserta" not in state.answers
    assert given(state)["lokasi"] == "kecamatan" and given(state)["tanggal"] == "2026-11-20"


async def test_optional_questions_can_be_skipped_and_batal_cancels(world):
    await approve_sumber(world)
    await world.say(ANGGOTA, ANGGOTA, "/evaluasi")
    await answer(world, ANGGOTA, "2")
    await answer(world, ANGGOTA, "Rapat rutin berjalan")
    await answer(world, ANGGOTA, "10 orang")
    await answer(world, ANGGOTA, "Belum ada dana")
    await answer(world, ANGGOTA, "Kunjungan panti")
    await press(world, ANGGOTA, "Lewati")
    assert "Kondisi" in last(world, ANGGOTA)["text"] or "kondisi" in last(world, ANGGOTA)["text"]
    await world.say(ANGGOTA, ANGGOTA, "/batal")
    assert "Buang semua jawaban" in last(world, ANGGOTA)["text"]  # asked first, as the Batal button asks
    await press(world, ANGGOTA, "Ya, buang jawaban")
    assert "dibatalkan" in last(world, ANGGOTA)["text"]
    assert await live_state(world.bot.db, ANGGOTA) is None


async def test_a_field_is_changed_from_the_summary_and_the_summary_comes_back(world):
    await approve_sumber(world)
    await open_from_group(world, ANGGOTA)
    await fill_laporan(world, ANGGOTA)
    await press(world, ANGGOTA, "Ubah")
    await press(world, ANGGOTA, "Jumlah peserta")
    await answer(world, ANGGOTA, "40")
    summary = last(world, ANGGOTA)["text"]
    assert "Ringkasan" in summary and "Jumlah peserta: 40" in summary


async def test_kirim_twice_stores_one_report(world):
    await approve_sumber(world)
    await open_from_group(world, ANGGOTA)
    await fill_laporan(world, ANGGOTA)
    summary = next(m for m in reversed(world.fake.messages(ANGGOTA)) if "Kirim" in buttons(m))
    await world.press(ANGGOTA, summary, buttons(summary)["Kirim"])
    await world.press(ANGGOTA, summary, buttons(summary)["Kirim"])
    assert len(await forms.all_reports(world.bot.db, "laporan")) == 1
    await settled(world)
    notes = [m for m in world.fake.messages(SUMBER_GROUP) if "telah dikirim" in m.get("text", "")]
    assert len(notes) == 1


async def test_a_restart_mid_form_loses_nothing_and_offers_to_continue(world):
    await approve_sumber(world)
    await open_from_group(world, ANGGOTA)
    await answer(world, ANGGOTA, "Kerja bakti")
    await press(world, ANGGOTA, "Lingkungan Hidup")
    await world.bot.restart()
    await world.say(ANGGOTA, ANGGOTA, "/laporan")
    assert "2/12 pertanyaan terjawab" in last(world, ANGGOTA)["text"]
    await press(world, ANGGOTA, "Lanjutkan")
    assert "(3/12)" in last(world, ANGGOTA)["text"]
    await answer(world, ANGGOTA, "hari ini")
    state = await live_state(world.bot.db, ANGGOTA)
    assert state is not None and given(state)["nama_kegiatan"] == "Kerja bakti" and state.current == "lokasi"


async def test_a_second_press_on_lanjutkan_whose_buttons_are_gone_asks_again_without_an_apology(world):
    from bot import texts

    await approve_sumber(world)
    await open_from_group(world, ANGGOTA)
    await answer(world, ANGGOTA, "Kerja bakti")
    await world.say(ANGGOTA, ANGGOTA, "/laporan")
    offer = last(world, ANGGOTA)
    data = buttons(offer)["Lanjutkan"]
    await world.press(ANGGOTA, offer, data)
    await world.press(ANGGOTA, offer, data)  # Telegram: "message is not modified", the buttons are gone already
    assert "(2/12)" in last(world, ANGGOTA)["text"]
    assert world.fake.calls("editMessageReplyMarkup")[-1].status == 400
    assert texts.error_apology() not in [m.get("text") for m in world.fake.messages(ANGGOTA)]
    assert texts.error_apology() not in [r.params.get("text") for r in world.fake.calls("answerCallbackQuery")]
    assert world.fake.unanswered_callback_queries() == []


async def test_mulai_ulang_starts_afresh(world):
    await approve_sumber(world)
    await open_from_group(world, ANGGOTA)
    await answer(world, ANGGOTA, "Kerja bakti")
    await world.say(ANGGOTA, ANGGOTA, "/laporan")
    await press(world, ANGGOTA, "Mulai ulang")
    assert "(1/12)" in last(world, ANGGOTA)["text"]
    state = await live_state(world.bot.db, ANGGOTA)
    assert state is not None and given(state) == {}


async def test_a_draft_left_too_long_expires(world):
    await approve_sumber(world)
    await open_from_group(world, ANGGOTA)
    await answer(world, ANGGOTA, "Kerja bakti")
    world.clock.advance(timedelta(hours=73))
    expired = await answer(world, ANGGOTA, "Lingkungan Hidup")
    assert "kedaluwarsa" in expired and "/laporan" in expired
    assert await live_state(world.bot.db, ANGGOTA) is None


async def test_two_people_of_one_kecamatan_fill_at_the_same_time_without_mixing(world):
    await approve_sumber(world)
    await open_from_group(world, ANGGOTA)
    await open_from_group(world, KETUA)
    await answer(world, ANGGOTA, "Kegiatan Dewi")
    await answer(world, KETUA, "Kegiatan Asep")
    dewi, asep = await live_state(world.bot.db, ANGGOTA), await live_state(world.bot.db, KETUA)
    assert dewi is not None and given(dewi) == {"nama_kegiatan": "Kegiatan Dewi"}
    assert asep is not None and given(asep) == {"nama_kegiatan": "Kegiatan Asep"}


async def test_a_report_is_corrected_within_seven_days_and_keeps_its_earlier_version(world):
    await approve_sumber(world)
    await open_from_group(world, ANGGOTA)
    await fill_laporan(world, ANGGOTA)
    await press(world, ANGGOTA, "Kirim")
    await world.say(ANGGOTA, ANGGOTA, "/laporan_saya")
    listing = last(world, ANGGOTA)
    assert "Pelatihan sablon remaja" in listing["text"]
    await press(world, ANGGOTA, "Koreksi laporan kegiatan #1")
    await press(world, ANGGOTA, "Ubah")
    await press(world, ANGGOTA, "Nama kegiatan")
    await answer(world, ANGGOTA, "Pelatihan sablon kaos remaja")
    await press(world, ANGGOTA, "Kirim")
    assert "versi 2" in last(world, ANGGOTA)["text"]
    versions = await forms.versions(world.bot.db, 1)
    assert [v.answers["nama_kegiatan"] for v in versions] == ["Pelatihan sablon remaja", "Pelatihan sablon kaos remaja"]
    world.clock.advance(timedelta(days=8))
    await world.say(ANGGOTA, ANGGOTA, "/laporan_saya")
    assert "Koreksi laporan kegiatan #1" not in buttons(last(world, ANGGOTA))
    await world.bot.handled(world.fake.user_starts_bot(ANGGOTA, "koreksi-1"))
    refusal = last(world, ANGGOTA)["text"]
    assert refusal.startswith("Laporan kegiatan #1 sudah lebih dari 7 hari") and "/laporan" in refusal


async def fill_evaluasi(world: World, user: int, achievement: str) -> None:
    await answer(world, user, "3")
    await answer(world, user, achievement)
    await answer(world, user, "15 orang")
    await answer(world, user, "Belum ada tempat")
    await answer(world, user, "Rapat pengurus")
    await press(world, user, "Lewati")
    await press(world, user, "Cukup")


async def test_one_evaluation_per_week_a_second_one_updates_it(world):
    await approve_sumber(world)
    await open_from_group(world, KETUA, "/evaluasi")
    await fill_evaluasi(world, KETUA, "Bank sampah berjalan")
    await press(world, KETUA, "Kirim")
    await world.say(ANGGOTA, ANGGOTA, "/evaluasi")
    assert "sudah dikirim oleh Asep" in last(world, ANGGOTA)["text"]
    await press(world, ANGGOTA, "Perbarui")
    await press(world, ANGGOTA, "Ubah")
    await press(world, ANGGOTA, "Capaian utama")
    await answer(world, ANGGOTA, "Bank sampah di dua desa")
    await press(world, ANGGOTA, "Kirim")
    [evaluation] = await forms.all_reports(world.bot.db, "evaluasi")
    assert evaluation.version == 2 and evaluation.answers["capaian"] == "Bank sampah di dua desa"
    assert evaluation.week == "2026-11-23"
    world.clock.advance(timedelta(days=7))
    await world.say(KETUA, KETUA, "/evaluasi")
    assert "(1/7)" in last(world, KETUA)["text"]  # a new week, a new evaluation


async def test_export_has_reports_and_evaluations_with_every_field_and_version(world, tmp_path):
    from tests.test_export import run_cli

    await approve_sumber(world)
    await open_from_group(world, ANGGOTA)
    await fill_laporan(world, ANGGOTA)
    await press(world, ANGGOTA, "Kirim")
    data = json.loads(run_cli(world, "export", cwd=tmp_path).stdout)
    [report] = data["reports"]
    assert report["kecamatan_code"] == SUMBER and report["submitted_by_id"] == ANGGOTA
    assert report["answers"]["jumlah_peserta"] == 35 and len(report["answers"]["foto"]) == 2
    assert [v["version"] for v in report["versions"]] == [1]
    assert data["evaluations"] == []


async def test_an_admin_who_opens_the_bot_late_still_gets_the_reports_sent_meanwhile(world):
    await approve_sumber(world)
    await open_from_group(world, ANGGOTA)
    await fill_laporan(world, ANGGOTA)
    await press(world, ANGGOTA, "Kirim")
    await settled(world)
    assert world.fake.messages(ADMIN_2) == []  # never opened the bot: Telegram refused the copy
    await world.say(ADMIN_2, ADMIN_2, "/start")
    await settled(world)
    copies = [m for m in world.fake.messages(ADMIN_2) if m.get("text", "").startswith("📋 Laporan kegiatan #1")]
    assert len(copies) == 1
