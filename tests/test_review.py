"""Dinsos reviews a report: Diterima, or Perlu perbaikan with a comment, and the correction round-trip."""

from __future__ import annotations

import json

from storage import forms
from tests.conftest import ADMIN_1, ANGGOTA, KETUA, SUMBER_GROUP, World
from tests.test_export import run_cli
from tests.test_forms import answer, buttons, fill_laporan, last, open_from_group, press, settled
from tests.test_registration import approve_sumber


def admin_copies(world: World) -> list[dict]:
    return [m for m in world.fake.messages(ADMIN_1) if m.get("text", "").startswith("📋 Laporan kegiatan #")]


async def submitted_report(world: World) -> dict:
    """Dewi submits a laporan; returns the admin's copy of it."""
    await approve_sumber(world)
    await open_from_group(world, ANGGOTA)
    await fill_laporan(world, ANGGOTA)
    await press(world, ANGGOTA, "Kirim")
    await settled(world)
    [copy] = admin_copies(world)
    return copy


async def test_diterima_is_recorded_once_shown_on_the_copy_and_told_to_the_submitter(world, tmp_path):
    copy = await submitted_report(world)
    assert set(buttons(copy)) == {"Diterima", "Perlu perbaikan"}
    await world.press(ADMIN_1, copy, buttons(copy)["Diterima"])
    await settled(world)
    [copy] = admin_copies(world)
    assert list(buttons(copy)) == ["✅ Diterima – Siti (@siti_dinsos)"]
    assert "sudah diterima Dinas Sosial" in last(world, ANGGOTA)["text"]
    await world.press(ADMIN_1, copy, "rv:fix:1:1")
    assert "sudah ditinjau" in world.fake.calls("answerCallbackQuery")[-1].params["text"]
    [report] = json.loads(run_cli(world, "export", cwd=tmp_path).stdout)["reports"]
    assert (report["review_status"], report["reviewed_by"]) == ("diterima", "Siti (@siti_dinsos)")


async def test_perlu_perbaikan_sends_the_comment_and_the_correction_makes_a_new_version(world, tmp_path):
    copy = await submitted_report(world)
    await world.press(ADMIN_1, copy, buttons(copy)["Perlu perbaikan"])
    assert "Tulis catatan perbaikan" in last(world, ADMIN_1)["text"]
    await world.say(ADMIN_1, ADMIN_1, "Jumlah peserta mohon dicek lagi")
    assert "sudah dikirim" in last(world, ADMIN_1)["text"]
    await settled(world)
    group_note = last(world, SUMBER_GROUP)
    assert "Jumlah peserta mohon dicek lagi" in group_note["text"]
    assert buttons(group_note)["Perbaiki laporan"].endswith("?start=koreksi-1")
    assert "Jumlah peserta mohon dicek lagi" in last(world, ANGGOTA)["text"]
    # Another member of the group follows the group's button and corrects it.
    await world.bot.handled(world.fake.user_starts_bot(KETUA, "koreksi-1"))
    assert "Ringkasan" in last(world, KETUA)["text"]
    await press(world, KETUA, "Ubah")
    await press(world, KETUA, "Jumlah peserta")
    await answer(world, KETUA, "30")
    await press(world, KETUA, "Kirim")
    await settled(world)
    report = await forms.get_report(world.bot.db, 1)
    assert report is not None and report.version == 2 and report.answers["jumlah_peserta"] == 30
    assert report.review_status is None  # the new version waits for its own review
    first_copy, second_copy = admin_copies(world)
    assert "versi 2" in second_copy["text"] and set(buttons(second_copy)) == {"Diterima", "Perlu perbaikan"}
    await world.press(ADMIN_1, first_copy, "rv:ok:1:1")
    assert "diperbarui" in world.fake.calls("answerCallbackQuery")[-1].params["text"]
    [exported] = json.loads(run_cli(world, "export", cwd=tmp_path).stdout)["reports"]
    first, second = exported["versions"]
    assert (first["review_status"], first["review_comment"]) == ("perlu_perbaikan", "Jumlah peserta mohon dicek lagi")
    assert second["review_status"] is None


async def test_only_dinsos_admins_review_and_batal_drops_a_comment_in_progress(world):
    copy = await submitted_report(world)
    await world.press(ANGGOTA, copy, buttons(copy)["Diterima"])
    assert "hanya untuk admin" in world.fake.calls("answerCallbackQuery")[-1].params["text"]
    await world.press(ADMIN_1, copy, buttons(copy)["Perlu perbaikan"])
    await world.say(ADMIN_1, ADMIN_1, "/batal")
    assert "dibatalkan" in last(world, ADMIN_1)["text"]
    report = await forms.get_report(world.bot.db, 1)
    assert report is not None and report.review_status is None
