"""The upgrade that moved /laporan and /evaluasi onto the XLSForm engine, on a database of the release before it:
a half-filled laporan is carried over, the stored reports stay reviewable, correctable, counted and exported."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from storage import forms
from tests.conftest import ADMIN_1, ANGGOTA, KETUA, SUMBER_GROUP
from tests.support import reports
from tests.test_export import run_cli
from tests.test_forms import answer, buttons, last, press, settled
from tests.test_graceful_stop import seed_group
from tests.test_xlsform_legacy import EVALUASI, LAPORAN

SUMBER = "32.09.15"
BEFORE = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)  # Minggu, the day before the upgrade
WEEK = "2026-11-16"  # the week Minggu belongs to


@pytest.fixture
async def previous_release(tmp_path):
    """bot.db as the release before migration 0010 left it: Sumber registered, a laporan (with its copy to an
    admin waiting), last week's evaluation, and Dewi half-way through a new laporan. Listed before `world`,
    so the bot starts on it."""
    db = await reports.previous_release_database(tmp_path / "bot.db", before=10)
    try:
        await seed_group(db, SUMBER, SUMBER_GROUP, BEFORE)
        person = {"user_id": ANGGOTA, "user_name": "Dewi", "kecamatan_code": SUMBER, "now": BEFORE}
        laporan = await reports.previous_release_report(db, "laporan", answers=LAPORAN, admins=(ADMIN_1,), **person)
        evaluasi = await reports.previous_release_report(db, "evaluasi", answers=EVALUASI, week=WEEK, **person)
        half = {"nama_kegiatan": "Kerja bakti", "bidang": "b06", "tanggal": "2026-11-21"}
        await reports.previous_release_draft(db, "laporan", answers=half, **person)
    finally:
        await db.close()
    return laporan, evaluasi


async def test_a_half_filled_laporan_of_the_previous_release_is_finished_on_the_new_engine(previous_release, world):
    world.fake.world.chat(SUMBER_GROUP).bot_status = "member"
    async with world.bot.db.read() as tx:
        assert await tx.fetchval("SELECT COUNT(*) FROM form_draft WHERE status = 'active'") == 0
    await world.say(ANGGOTA, ANGGOTA, "/laporan")
    assert "3/12 pertanyaan terjawab" in last(world, ANGGOTA)["text"]
    await press(world, ANGGOTA, "Lanjutkan")
    assert "(4/12)" in last(world, ANGGOTA)["text"]
    await answer(world, ANGGOTA, "kaliwadas")
    await answer(world, ANGGOTA, "20 orang")
    await press(world, ANGGOTA, "Tidak ada")
    await answer(world, ANGGOTA, "20")
    await press(world, ANGGOTA, "Swadaya")
    await answer(world, ANGGOTA, "1,5 juta")
    await answer(world, ANGGOTA, "Selokan desa bersih kembali")
    await press(world, ANGGOTA, "Lewati")
    await press(world, ANGGOTA, "Selesai")
    summary = last(world, ANGGOTA)["text"]
    assert "Nama kegiatan: Kerja bakti" in summary and "Bidang: Lingkungan Hidup" in summary
    assert "Jumlah dana: Rp1.500.000" in summary and "Tanggal kegiatan: Sabtu, 21 November 2026" in summary
    await press(world, ANGGOTA, "Kirim")
    assert "Laporan kegiatan #2 sudah terkirim" in last(world, ANGGOTA)["text"]
    report = await forms.get_report(world.bot.db, 3)
    assert report is not None and report.number == 2 and report.answers["ppks"] == [] and report.answers["foto"] == []
    assert report.answers["jumlah_dana"] == 1_500_000 and report.answers["kendala"] is None


async def test_reports_of_the_previous_release_are_reviewed_corrected_counted_and_exported(
    previous_release, world, tmp_path
):
    laporan, evaluasi = previous_release
    world.fake.world.chat(SUMBER_GROUP).bot_status = "member"
    await settled(world)
    [copy] = [m for m in world.fake.messages(ADMIN_1) if m.get("text") == "copy"]  # owed before the upgrade
    await world.say(ADMIN_1, ADMIN_1, "/tinjau")
    queue = next(m for m in reversed(world.fake.messages(ADMIN_1)) if m.get("text", "").startswith("🗂 Menunggu"))
    assert "Laporan kegiatan #1" in queue["text"] and "Kaliwadas" in queue["text"]
    await world.press(ADMIN_1, queue, buttons(queue)["Perlu perbaikan"])
    await world.say(ADMIN_1, ADMIN_1, "Mohon lengkapi jumlah peserta")
    [version] = await forms.versions(world.bot.db, laporan)
    assert version.review_status == "perlu_perbaikan"
    edited = world.fake.calls("editMessageText")
    assert any(c.params.get("message_id") == copy["message_id"] for c in edited)  # its old copy is marked
    # Dewi corrects it on the new engine: the summary holds the stored answers, photos included.
    await world.say(ANGGOTA, ANGGOTA, "/laporan_saya")
    await press(world, ANGGOTA, "Koreksi laporan kegiatan #1")
    summary = last(world, ANGGOTA)["text"]
    assert "Lokasi: Kaliwadas" in summary and "Foto dokumentasi: 2 foto" in summary
    await press(world, ANGGOTA, "Ubah")
    await press(world, ANGGOTA, "Jumlah peserta")
    await answer(world, ANGGOTA, "40")
    await press(world, ANGGOTA, "Kirim")
    assert "versi 2" in last(world, ANGGOTA)["text"]
    first, second = await forms.versions(world.bot.db, laporan)
    assert first.answers == LAPORAN and second.answers == {**LAPORAN, "jumlah_peserta": 40}
    async with world.bot.db.read() as tx:
        made = await tx.fetchone(
            "SELECT draft_id, xform_draft_id, xform_version_id FROM report_version WHERE report_id = ? AND version = 2",
            (laporan,),
        )
    assert made[0] is None and made[1] is not None and made[2] is not None
    # Counted by /rekap (the month's laporan) and exported with both versions.
    await world.say(ADMIN_1, ADMIN_1, "/rekap")
    recap = "\n".join(m.get("text", "") for m in world.fake.messages(ADMIN_1)[-3:])
    assert "Laporan kegiatan bulan November 2026: 1" in recap
    data = json.loads(run_cli(world, "export", cwd=tmp_path).stdout)
    [exported] = data["reports"]
    assert [v["version"] for v in exported["versions"]] == [1, 2] and exported["answers"]["jumlah_peserta"] == 40
    assert [e["week"] for e in data["evaluations"]] == [WEEK] and data["evaluations"][0]["id"] == evaluasi
    # A new evaluation for this week: the one of last week stays as it was.
    await world.say(KETUA, KETUA, "/evaluasi")
    assert "(1/7)" in last(world, KETUA)["text"]
