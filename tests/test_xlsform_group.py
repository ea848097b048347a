"""An XLSForm opened again while its draft is open, /formulir in a kecamatan group, XLSForm drafts in /status_bot."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

from storage import xlsforms
from tests.conftest import ADMIN_1, ANGGOTA, KETUA_WALED, SUMBER_GROUP, WALED_GROUP, World
from tests.support.xlsforms import q, xlsform
from tests.test_forms import buttons, last, press
from tests.test_registration import add_bot, approve_sumber
from tests.test_xlsform_bot import PENDATAAN, answer, follow_notice, send_xlsx, upload_and_publish


async def test_opening_the_form_again_offers_lanjutkan_or_mulai_ulang(world):
    await approve_sumber(world)
    await upload_and_publish(world)
    await follow_notice(world, ANGGOTA)
    await answer(world, ANGGOTA, "Sutrisno")
    await follow_notice(world, ANGGOTA)
    offer = last(world, ANGGOTA)
    assert "masih punya draf pendataan keluarga Kecamatan Sumber" in offer["text"]
    assert "(1/" in offer["text"] and set(buttons(offer)) == {"Lanjutkan", "Mulai ulang"}
    await press(world, ANGGOTA, "Lanjutkan")
    assert "Umur" in last(world, ANGGOTA)["text"]
    first = await xlsforms.active_draft(world.bot.db, ANGGOTA)
    await follow_notice(world, ANGGOTA)
    await press(world, ANGGOTA, "Mulai ulang")
    assert "Nama kepala keluarga" in last(world, ANGGOTA)["text"]
    fresh = await xlsforms.active_draft(world.bot.db, ANGGOTA)
    assert first is not None and fresh is not None and fresh.id != first.id and "Sutrisno" not in fresh.state
    old = await xlsforms.get_draft(world.bot.db, first.id)
    assert old is not None and old.status == "cancelled"


async def test_a_stale_lanjutkan_is_refused_after_the_draft_moved_on(world):
    await approve_sumber(world)
    await upload_and_publish(world)
    await follow_notice(world, ANGGOTA)
    await follow_notice(world, ANGGOTA)
    offer = last(world, ANGGOTA)
    await answer(world, ANGGOTA, "Sutrisno")
    await world.press(ANGGOTA, offer, buttons(offer)["Mulai ulang"])
    draft = await xlsforms.active_draft(world.bot.db, ANGGOTA)
    assert draft is not None and "Sutrisno" in draft.state


ABSENSI = xlsform(
    [q("text", "nama", "Nama peserta")],
    settings={"form_title": "Absensi pelatihan", "form_id": "absensi", "version": "1"},
)


async def group_formulir(world: World, user: int, group: int) -> dict:
    await world.say(user, group, "/formulir")
    return last(world, group)


async def test_formulir_in_a_group_lists_the_forms_published_to_its_kecamatan_with_buttons(world):
    await approve_sumber(world)
    reply = await group_formulir(world, ANGGOTA, SUMBER_GROUP)
    assert reply["text"] == "Saat ini tidak ada formulir dari Dinas Sosial untuk Kecamatan Sumber."
    await upload_and_publish(world)
    await send_xlsx(world, ADMIN_1, ABSENSI, name="absensi.xlsx")
    await press(world, ADMIN_1, "Terbitkan")
    await press(world, ADMIN_1, "Setiap minggu")
    await press(world, ADMIN_1, "Semua kecamatan aktif")
    reply = await group_formulir(world, ANGGOTA, SUMBER_GROUP)
    assert "Kecamatan Sumber" in reply["text"]
    assert "1. Pendataan keluarga (sekali, batas Senin, 30 November 2026)" in reply["text"]
    assert "2. Absensi pelatihan (setiap minggu)" in reply["text"]
    assert set(buttons(reply)) == {"1. Pendataan keluarga", "2. Absensi pelatihan"}
    url = buttons(reply)["1. Pendataan keluarga"]
    payload = parse_qs(urlparse(url).query)["start"][0]
    await world.bot.handled(world.fake.user_starts_bot(ANGGOTA, payload))
    assert "Nama kepala keluarga" in last(world, ANGGOTA)["text"]


async def test_formulir_in_a_group_leaves_out_forms_for_other_kecamatan_and_unregistered_groups(world):
    await approve_sumber(world)
    await send_xlsx(world, ADMIN_1, PENDATAAN)
    await press(world, ADMIN_1, "Terbitkan")
    await press(world, ADMIN_1, "Setiap bulan")
    await press(world, ADMIN_1, "Pilih kecamatan")
    await press(world, ADMIN_1, "Weru")
    await press(world, ADMIN_1, "Terbitkan untuk 1 kecamatan")
    reply = await group_formulir(world, ANGGOTA, SUMBER_GROUP)
    assert reply["text"] == "Saat ini tidak ada formulir dari Dinas Sosial untuk Kecamatan Sumber."
    await add_bot(world, WALED_GROUP, KETUA_WALED)
    reply = await group_formulir(world, KETUA_WALED, WALED_GROUP)
    assert "belum terdaftar" in reply["text"] and not buttons(reply)


async def test_status_bot_counts_xlsform_drafts_until_they_expire(world):
    await approve_sumber(world)
    await upload_and_publish(world)
    await follow_notice(world, ANGGOTA)
    await world.say(ADMIN_1, ADMIN_1, "/status_bot")
    assert "Formulir sedang diisi: 1" in last(world, ADMIN_1)["text"]
    world.clock.advance(timedelta(hours=world.bot.config.form_draft_hours, minutes=1))
    await world.say(ADMIN_1, ADMIN_1, "/status_bot")
    assert "Formulir sedang diisi: 0" in last(world, ADMIN_1)["text"]
