"""Dinsos reviews a report: Diterima, or Perlu perbaikan with a comment, and the correction round-trip."""

from __future__ import annotations

import json
from datetime import timedelta

from storage import forms
from tests.conftest import ADMIN_1, ADMIN_2, ANGGOTA, KETUA, SUMBER_GROUP, World
from tests.test_export import run_cli
from tests.test_forms import answer, buttons, fill_evaluasi, fill_laporan, last, open_from_group, press, settled
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
    assert "dikirim oleh Dewi, 23 Nov 09.00 WIB" in copy["text"]
    world.clock.advance(timedelta(hours=6, minutes=31))
    await world.press(ADMIN_1, copy, buttons(copy)["Diterima"])
    await settled(world)
    [copy] = admin_copies(world)
    assert buttons(copy) == {}
    assert copy["text"].endswith("\n\n✅ Diterima oleh Siti (@siti_dinsos), 23 Nov 15.31 WIB")
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
    assert buttons(group_note)["Perbaiki laporan kegiatan"].endswith("?start=koreksi-1")
    [copy] = admin_copies(world)
    assert "✏️ Perlu perbaikan, diminta oleh Siti (@siti_dinsos), 23 Nov 09.00 WIB:" in copy["text"]
    assert buttons(copy) == {}
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


def copies_of(world: World, admin_id: int, title: str = "📋 ") -> list[dict]:
    return [m for m in world.fake.messages(admin_id) if m.get("text", "").startswith(title)]


async def test_a_decision_reaches_every_admins_copy_sent_or_not_yet_sent(world):
    """Budi has not opened the bot when Siti decides: his copy arrives later already decided, without buttons."""
    copy = await submitted_report(world)
    await world.press(ADMIN_1, copy, buttons(copy)["Diterima"])
    await world.press(ADMIN_1, copy, "rv:ok:1:1")
    assert "sudah ditinjau" in world.fake.calls("answerCallbackQuery")[-1].params["text"]
    await world.say(ADMIN_2, ADMIN_2, "/start")
    await settled(world)
    [late] = copies_of(world, ADMIN_2)
    assert buttons(late) == {} and "✅ Diterima oleh Siti (@siti_dinsos), 23 Nov 09.00 WIB" in late["text"]


async def test_two_admins_see_one_decision_and_the_second_press_is_refused(world):
    await world.say(ADMIN_2, ADMIN_2, "/start")
    copy = await submitted_report(world)
    [other] = copies_of(world, ADMIN_2)
    await world.press(ADMIN_2, other, buttons(other)["Perlu perbaikan"])
    await world.say(ADMIN_2, ADMIN_2, "Foto kurang jelas")
    await world.press(ADMIN_1, copy, buttons(copy)["Diterima"])
    assert "sudah ditinjau" in world.fake.calls("answerCallbackQuery")[-1].params["text"]
    for admin_id in (ADMIN_1, ADMIN_2):
        [seen] = copies_of(world, admin_id)
        assert (
            "Perlu perbaikan, diminta oleh Budi (@budi_dinsos)" in seen["text"] and "Foto kurang jelas" in seen["text"]
        )
        assert buttons(seen) == {}
    report = await forms.get_report(world.bot.db, 1)
    assert report is not None and report.review_status == "perlu_perbaikan"


async def test_each_form_is_numbered_on_its_own_and_an_evaluation_is_fixed_as_an_evaluation(world):
    await submitted_report(world)
    await open_from_group(world, KETUA, "/evaluasi")
    await fill_evaluasi(world, KETUA, "Bank sampah berjalan")
    await press(world, KETUA, "Kirim")
    assert "Evaluasi mingguan #1 sudah terkirim" in last(world, KETUA)["text"]
    await open_from_group(world, ANGGOTA)
    await fill_laporan(world, ANGGOTA, "Kerja bakti")
    await press(world, ANGGOTA, "Kirim")
    assert "Laporan kegiatan #2 sudah terkirim" in last(world, ANGGOTA)["text"]
    await settled(world)
    titles = [m["text"].split("\n")[0] for m in copies_of(world, ADMIN_1)]
    assert titles == ["📋 Laporan kegiatan #1", "📋 Evaluasi mingguan #1", "📋 Laporan kegiatan #2"]
    evaluation = copies_of(world, ADMIN_1, "📋 Evaluasi")[0]
    assert "Minggu 23–29 November 2026" in evaluation["text"]
    await world.press(ADMIN_1, evaluation, buttons(evaluation)["Perlu perbaikan"])
    assert "catatan perbaikan untuk evaluasi mingguan #1" in last(world, ADMIN_1)["text"]
    await world.say(ADMIN_1, ADMIN_1, "Kendala mohon dirinci")
    await settled(world)
    note = last(world, KETUA)
    assert "perbaikan evaluasi mingguan #1" in note["text"] and "Perbaiki evaluasi mingguan" in buttons(note)


def queue_message(world: World) -> dict:
    """The newest /tinjau message (report copies keep arriving in the same chat)."""
    starts = ("🗂 Menunggu", "Tidak ada laporan, evaluasi", "Itu yang terakhir")
    return next(m for m in reversed(world.fake.messages(ADMIN_1)) if m.get("text", "").startswith(starts))


async def test_tinjau_shows_what_waits_oldest_first_one_at_a_time(world):
    await submitted_report(world)
    world.clock.advance(timedelta(minutes=5))
    await open_from_group(world, KETUA, "/evaluasi")
    await fill_evaluasi(world, KETUA, "Bank sampah berjalan")
    await press(world, KETUA, "Kirim")
    world.clock.advance(timedelta(minutes=5))
    await open_from_group(world, ANGGOTA)
    await fill_laporan(world, ANGGOTA, "Kerja bakti")
    await press(world, ANGGOTA, "Kirim")
    await world.say(ADMIN_1, ADMIN_1, "/tinjau")
    queue = queue_message(world)
    assert "Menunggu tinjauan: 1 dari 3" in queue["text"] and "Laporan kegiatan #1" in queue["text"]
    assert {"Diterima", "Perlu perbaikan", "Lewati"} <= set(buttons(queue))
    await world.press(ADMIN_1, queue, buttons(queue)["Lewati"])
    queue = queue_message(world)
    assert "2 dari 3" in queue["text"] and "Evaluasi mingguan #1" in queue["text"]
    await world.press(ADMIN_1, queue, buttons(queue)["Diterima"])
    queue = queue_message(world)
    assert "2 dari 2" in queue["text"] and "Laporan kegiatan #2" in queue["text"]
    await world.press(ADMIN_1, queue, buttons(queue)["Diterima"])
    assert "terakhir dalam antrean" in queue_message(world)["text"]
    await world.say(ADMIN_1, ADMIN_1, "/tinjau")
    assert "1 dari 1" in queue_message(world)["text"] and "Laporan kegiatan #1" in queue_message(world)["text"]
    evaluation = copies_of(world, ADMIN_1, "📋 Evaluasi")[0]
    assert "✅ Diterima oleh Siti" in evaluation["text"]  # decided in /tinjau, marked on the copy too


async def test_an_admin_may_take_one_daily_summary_instead_of_each_copy(world):
    await world.say(ADMIN_1, ADMIN_1, "/tinjau")
    await world.press(ADMIN_1, last(world, ADMIN_1), buttons(last(world, ADMIN_1))["Cukup ringkasan harian"])
    assert "ringkasan harian" in world.fake.calls("answerCallbackQuery")[-1].params["text"]
    await world.say(ADMIN_2, ADMIN_2, "/start")
    await approve_sumber(world)
    await open_from_group(world, ANGGOTA)
    await fill_laporan(world, ANGGOTA)
    await press(world, ANGGOTA, "Kirim")
    await settled(world)
    assert copies_of(world, ADMIN_1) == [] and len(copies_of(world, ADMIN_2)) == 1
    assert world.bot.app is not None and world.bot.app.job_queue is not None
    [job] = world.bot.app.job_queue.get_jobs_by_name("reviews:daily")
    await job.run(world.bot.app)
    await job.run(world.bot.app)
    await settled(world)
    [summary] = copies_of(world, ADMIN_1, "🗂")
    assert "yang masuk hari ini: 1\nMenunggu tinjauan: 1. Ketik /tinjau" in summary["text"]
    assert copies_of(world, ADMIN_2, "🗂") == []


async def daily_summaries_after_a_restart_at(world, later) -> list[dict]:  # type: ignore[no-untyped-def]
    """ADMIN_1 takes the daily summary, a laporan arrives at 09.00 WIB, the bot is down at 16.00 and back `later`."""
    await world.say(ADMIN_1, ADMIN_1, "/tinjau")
    await world.press(ADMIN_1, last(world, ADMIN_1), buttons(last(world, ADMIN_1))["Cukup ringkasan harian"])
    await approve_sumber(world)
    await open_from_group(world, ANGGOTA)
    await fill_laporan(world, ANGGOTA)
    await press(world, ANGGOTA, "Kirim")
    await settled(world)
    await world.bot.stop()
    world.clock.advance(later)
    await world.bot.start()
    await settled(world)
    return copies_of(world, ADMIN_1, "🗂")


async def test_a_daily_summary_missed_while_the_bot_was_down_goes_out_once_at_start(world):
    [summary] = await daily_summaries_after_a_restart_at(world, timedelta(hours=8, minutes=30))  # 17.30 WIB
    assert "Senin, 23 November 2026" in summary["text"] and "yang masuk hari ini: 1" in summary["text"]
    await world.bot.restart()
    assert world.bot.app is not None and world.bot.app.job_queue is not None
    [job] = world.bot.app.job_queue.get_jobs_by_name("reviews:daily")
    await job.run(world.bot.app)
    await settled(world)
    assert len(copies_of(world, ADMIN_1, "🗂")) == 1  # the restart and the 16.00 job found the day already run


async def test_only_the_newest_missed_summary_goes_out_and_none_past_the_grace(world):
    # Back on Wednesday 18.00 WIB: Monday's and Tuesday's summaries are not sent, Wednesday's is (2 h late).
    [summary] = await daily_summaries_after_a_restart_at(world, timedelta(days=2, hours=9))
    assert "Rabu, 25 November 2026" in summary["text"] and "Menunggu tinjauan: 1" in summary["text"]


async def test_no_missed_summary_once_the_grace_is_over(world):
    # Back on Tuesday 08.00 WIB: Monday 16.00 is 16 hours ago, past REMINDER_GRACE_HOURS (12).
    assert await daily_summaries_after_a_restart_at(world, timedelta(hours=23)) == []


async def test_no_daily_summary_on_a_day_with_nothing_to_review(world):
    await world.say(ADMIN_1, ADMIN_1, "/tinjau")
    assert "Tidak ada laporan, evaluasi, atau program kerja yang menunggu" in queue_message(world)["text"]
    await world.press(ADMIN_1, last(world, ADMIN_1), buttons(last(world, ADMIN_1))["Cukup ringkasan harian"])
    assert world.bot.app is not None and world.bot.app.job_queue is not None
    [job] = world.bot.app.job_queue.get_jobs_by_name("reviews:daily")
    await job.run(world.bot.app)
    await settled(world)
    assert copies_of(world, ADMIN_1, "🗂 Ringkasan") == []


async def test_a_queue_item_another_admin_decided_meanwhile_moves_the_queue_on(world):
    await world.say(ADMIN_2, ADMIN_2, "/start")
    await submitted_report(world)
    await world.say(ADMIN_1, ADMIN_1, "/tinjau")
    queue = queue_message(world)
    [other] = copies_of(world, ADMIN_2)
    await world.press(ADMIN_2, other, buttons(other)["Diterima"])
    await world.press(ADMIN_1, queue, buttons(queue)["Diterima"])
    assert "sudah ditinjau" in world.fake.calls("answerCallbackQuery")[-1].params["text"]
    assert queue_message(world)["text"].startswith("Tidak ada laporan, evaluasi, atau program kerja yang menunggu")


async def test_a_comment_written_after_a_newer_version_arrived_is_not_applied_to_it(world):
    copy = await submitted_report(world)
    await world.press(ADMIN_1, copy, buttons(copy)["Perlu perbaikan"])
    await world.say(ANGGOTA, ANGGOTA, "/laporan_saya")
    await press(world, ANGGOTA, "Koreksi laporan kegiatan #1")
    await press(world, ANGGOTA, "Kirim")
    await settled(world)  # the new version's copy is in before the comment is answered
    await world.say(ADMIN_1, ADMIN_1, "Foto kurang jelas")
    assert "sudah diperbarui" in last(world, ADMIN_1)["text"]
    report = await forms.get_report(world.bot.db, 1)
    assert report is not None and report.version == 2 and report.review_status is None
