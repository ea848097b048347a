"""Announcements end to end: compose, preview, targets, Kirim once, paced delivery with retries, acks, relay."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot import texts
from handlers.acknowledgements import NUDGE_JOB
from handlers.ann_delivery import AnnouncementKind
from storage import announcements, registrations
from storage.announcements import AnnStatus
from tests.conftest import ADMIN_1, STRANGER, World
from tests.support.factories import active_groups, pengurus_id
from tests.support.fake_telegram import SEND_METHODS

BOLD = [{"type": "bold", "offset": 0, "length": 5}]


def buttons(message: dict) -> dict[str, str]:
    markup = message.get("reply_markup") or {}
    return {b["text"]: b.get("callback_data", "") for row in markup.get("inline_keyboard", []) for b in row}


def control_message(world: World) -> dict:
    """The admin's latest message with a Kirim button (it later becomes the progress report)."""
    return next(m for m in reversed(world.fake.messages(ADMIN_1)) if "Kirim" in buttons(m))


def current(world: World, chat_id: int, message_id: int) -> dict:
    return next(m for m in world.fake.messages(chat_id) if m["message_id"] == message_id)


def group_copies(world: World, chat_id: int) -> list[dict]:
    return [m for m in world.fake.messages(chat_id) if any("dibaca" in label for label in buttons(m))]


async def compose(world: World, text: str = "Rapat koordinasi Senin", **fields) -> dict:  # type: ignore[no-untyped-def]
    await world.say(ADMIN_1, ADMIN_1, "/pengumuman")
    await world.bot.handled(world.fake.send_message(ADMIN_1, ADMIN_1, text=text, **fields))
    return control_message(world)


async def kirim(world: World, control: dict) -> dict:
    """Press Kirim and wait until the sender has done all it can now; returns the progress/report message."""
    await world.press(ADMIN_1, control, buttons(control)["Kirim"])
    await settled(world)
    return current(world, ADMIN_1, control["message_id"])


async def settled(world: World) -> None:
    assert world.bot.app is not None and world.bot.app.bot_data.sender is not None
    await world.bot.app.bot_data.sender.settled()


async def retry_now(world: World) -> None:
    """Let the backoff time pass on the injected clock, and tell the sender to look again."""
    world.clock.advance(timedelta(minutes=10))
    assert world.bot.app is not None and world.bot.app.bot_data.sender is not None
    world.bot.app.bot_data.sender.wake()
    await settled(world)


async def test_the_preview_keeps_the_formatting_and_nothing_goes_out_before_kirim(world):
    groups = await active_groups(world, 3, admin_id=ADMIN_1)
    await compose(world, "Rapat koordinasi Senin", entities=BOLD)
    preview = [m for m in world.fake.messages(ADMIN_1) if m.get("text") == "Rapat koordinasi Senin"][-1]
    assert preview["entities"][0]["type"] == "bold" and "Sudah dibaca" in buttons(preview)
    assert "semua kecamatan aktif (3 grup)" in control_message(world)["text"]
    assert all(world.fake.messages(chat_id) == [] for _, chat_id in groups)


async def test_inline_text_skips_the_content_step_and_keeps_its_formatting(world):
    await active_groups(world, 1, admin_id=ADMIN_1)
    bold_besok = [{"type": "bot_command", "offset": 0, "length": 11}, {"type": "bold", "offset": 18, "length": 5}]
    await world.bot.handled(
        world.fake.send_message(ADMIN_1, ADMIN_1, text="/pengumuman Rapat besok pagi", entities=bold_besok)
    )
    preview = [m for m in world.fake.messages(ADMIN_1) if m.get("text") == "Rapat besok pagi"][-1]
    assert preview["entities"] == [{"type": "bold", "offset": 6, "length": 5}]


async def test_kirim_delivers_exactly_one_copy_to_every_active_group_and_reports(world):
    groups = await active_groups(world, 3, admin_id=ADMIN_1)
    report = await kirim(world, await compose(world))
    for _, chat_id in groups:
        assert [m["text"] for m in group_copies(world, chat_id)] == ["Rapat koordinasi Senin"]
    assert "Terkirim: 3/3" in report["text"] and buttons(report) == {}


async def test_a_double_tap_on_kirim_sends_once(world):
    groups = await active_groups(world, 2, admin_id=ADMIN_1)
    control = await compose(world)
    await kirim(world, control)
    await world.press(ADMIN_1, control, buttons(control)["Kirim"])
    await settled(world)
    assert all(len(group_copies(world, chat_id)) == 1 for _, chat_id in groups)
    assert "sudah dikirim" in world.fake.calls("answerCallbackQuery")[-1].params.get("text", "")


async def test_a_chosen_subset_of_kecamatan_gets_it_and_no_one_else(world):
    groups = await active_groups(world, 3, admin_id=ADMIN_1)
    control = await compose(world)
    await world.press(ADMIN_1, control, buttons(control)["Pilih kecamatan"])
    picker = current(world, ADMIN_1, control["message_id"])
    await world.press(ADMIN_1, picker, buttons(picker)["✅ " + groups[1][0].name])
    picker = current(world, ADMIN_1, control["message_id"])
    await world.press(ADMIN_1, picker, buttons(picker)["Selesai"])
    control = current(world, ADMIN_1, control["message_id"])
    assert "2 kecamatan" in control["text"]
    await kirim(world, control)
    assert [len(group_copies(world, chat_id)) for _, chat_id in groups] == [1, 0, 1]


async def test_photos_and_documents_go_out_with_their_caption(world):
    groups = await active_groups(world, 1, admin_id=ADMIN_1)
    await world.say(ADMIN_1, ADMIN_1, "/pengumuman")
    photo = world.fake.new_file(b"\x89PNG fake", "photo")
    await world.bot.handled(world.fake.send_message(ADMIN_1, ADMIN_1, photo=photo, caption="Jadwal baru"))
    await kirim(world, control_message(world))
    [copy] = group_copies(world, groups[0][1])
    assert copy["caption"] == "Jadwal baru" and copy["photo"]


async def test_unsupported_or_oversized_content_is_refused_before_anything_is_sent(world):
    groups = await active_groups(world, 1, admin_id=ADMIN_1)
    await world.say(ADMIN_1, ADMIN_1, "/pengumuman")
    sticker = {"file_id": "s", "file_unique_id": "s", "type": "regular", "width": 1, "height": 1}
    await world.bot.handled(
        world.fake.send_message(ADMIN_1, ADMIN_1, sticker={**sticker, "is_animated": False, "is_video": False})
    )
    assert "belum didukung" in world.fake.messages(ADMIN_1)[-1]["text"]
    document = world.fake.new_file(b"%PDF", "document", file_name="a.pdf")
    await world.bot.handled(world.fake.send_message(ADMIN_1, ADMIN_1, document=document, caption="x" * 1100))
    assert "terlalu panjang" in world.fake.messages(ADMIN_1)[-1]["text"]
    assert world.fake.messages(groups[0][1]) == []


async def test_only_dinsos_admins_compose_or_press_kirim(world):
    groups = await active_groups(world, 1, admin_id=ADMIN_1)
    await world.say(STRANGER, STRANGER, "/pengumuman Halo semua")
    assert "hanya untuk admin" in world.fake.messages(STRANGER)[-1]["text"]
    control = await compose(world)
    await world.press(STRANGER, control, buttons(control)["Kirim"])
    await world.press(ADMIN_1, control, "ann:send:99999")
    assert world.fake.messages(groups[0][1]) == []


async def test_batal_cancels_the_draft(world):
    groups = await active_groups(world, 1, admin_id=ADMIN_1)
    control = await compose(world)
    await world.say(ADMIN_1, ADMIN_1, "/batal")
    assert "dibatalkan" in world.fake.messages(ADMIN_1)[-1]["text"]
    await world.press(ADMIN_1, control, buttons(control)["Kirim"])
    assert world.fake.messages(groups[0][1]) == []


async def test_forty_groups_are_paced_without_a_single_429(world):
    groups = await active_groups(world, 40, admin_id=ADMIN_1)
    report = await kirim(world, await compose(world))
    assert "Terkirim: 40/40" in report["text"]
    assert world.fake.flood_429_count == 0
    assert all(len(group_copies(world, chat_id)) == 1 for _, chat_id in groups)


async def test_a_429_pauses_and_the_message_still_arrives_once(world):
    groups = await active_groups(world, 2, admin_id=ADMIN_1)
    world.fake.fail_next(
        "sendMessage", error_code=429, description="Too Many Requests: retry after 1", retry_after=1,
        chat_id=groups[0][1],
    )  # fmt: skip
    report = await kirim(world, await compose(world))
    assert "Terkirim: 2/2" in report["text"]
    assert all(len(group_copies(world, chat_id)) == 1 for _, chat_id in groups)


@pytest.mark.parametrize(("code", "description"), [(502, "Bad Gateway"), (500, "Internal Server Error")])
async def test_server_errors_are_retried_with_backoff(world, code, description):
    groups = await active_groups(world, 2, admin_id=ADMIN_1)
    world.fake.fail_next("sendMessage", error_code=code, description=description, times=2, chat_id=groups[0][1])
    report = await kirim(world, await compose(world))
    assert "Masih diproses: 1" in report["text"] or "terkirim 1/2" in report["text"]
    await retry_now(world)
    await retry_now(world)
    report = current(world, ADMIN_1, report["message_id"])
    assert "Terkirim: 2/2" in report["text"]
    assert all(len(group_copies(world, chat_id)) == 1 for _, chat_id in groups)


async def test_a_group_upgraded_mid_broadcast_gets_it_in_the_supergroup(world):
    groups = await active_groups(world, 2, admin_id=ADMIN_1)
    old = groups[0][1]
    world.fake.migrate_group(old, -1008000)
    world.fake.drop_pending_updates()  # the bot learns of it only from the send
    report = await kirim(world, await compose(world))
    assert "Terkirim: 2/2" in report["text"]
    assert len(group_copies(world, -1008000)) == 1
    active = await registrations.active_for_kecamatan(world.bot.db, groups[0][0].code)
    assert active is not None and active.chat_id == -1008000


async def test_a_group_that_removed_the_bot_is_reported_failed_and_made_inactive(world):
    groups = await active_groups(world, 2, admin_id=ADMIN_1)
    world.fake.remove_bot_from_group(groups[1][1], pengurus_id(1))
    world.fake.drop_pending_updates()
    report = await kirim(world, await compose(world))
    assert "Terkirim: 1/2" in report["text"] and groups[1][0].name in report["text"]
    assert await registrations.active_for_kecamatan(world.bot.db, groups[1][0].code) is None


async def test_a_restart_mid_broadcast_finishes_the_rest_and_resends_nothing(world):
    groups = await active_groups(world, 3, admin_id=ADMIN_1)
    world.fake.fail_next("sendMessage", error_code=502, description="Bad Gateway", times=1, chat_id=groups[2][1])
    await kirim(world, await compose(world))
    await world.bot.restart()
    await retry_now(world)
    assert [len(group_copies(world, chat_id)) for _, chat_id in groups] == [1, 1, 1]
    report = next(m for m in world.fake.messages(ADMIN_1) if "Hasil pengiriman pengumuman" in m.get("text", ""))
    assert "Terkirim: 3/3" in report["text"]


def sends_and_edits(world: World) -> list[str]:
    return [r.method for r in world.fake.requests if r.method in SEND_METHODS or r.method.startswith("edit")]


async def test_a_kill_after_the_last_send_is_finished_and_reported_at_the_next_start_once(world, monkeypatch):
    groups = await active_groups(world, 3, admin_id=ADMIN_1)
    control = await compose(world)
    with monkeypatch.context() as m:
        # Killed right after the last copy was recorded sent: neither the report nor the done mark ever comes (this
        # process's idle sweep would bring them, so it is left out too).
        m.setattr(AnnouncementKind, "_finish", lambda self, announcement_id: asyncio.sleep(0))
        left = await kirim(world, control)
        [ann] = await announcements.recent(world.bot.db)
        assert ann.status is AnnStatus.SENDING
        assert {d.status for d in await announcements.deliveries(world.bot.db, ann.id)} == {"sent"}
        await world.bot.stop()
    assert "Hasil pengiriman" not in left["text"]

    await world.bot.start()
    await world.sent()
    report = current(world, ADMIN_1, control["message_id"])
    assert "Hasil pengiriman pengumuman" in report["text"] and "Terkirim: 3/3" in report["text"]
    assert "Gagal" not in report["text"] and "Masih diproses" not in report["text"]
    assert [len(group_copies(world, chat_id)) for _, chat_id in groups] == [1, 1, 1]
    finished = await announcements.get(world.bot.db, ann.id)
    assert finished is not None and finished.status is AnnStatus.DONE and finished.finished_at is not None
    await world.say(ADMIN_1, ADMIN_1, f"/status_pengumuman {ann.id}")
    detail = world.fake.messages(ADMIN_1)[-1]["text"]
    assert "Terkirim: 3/3" in detail and "Masih diproses" not in detail

    before = sends_and_edits(world)
    await world.bot.restart()
    await world.sent()
    assert sends_and_edits(world) == before


async def test_a_kill_between_the_report_and_the_done_mark_shows_the_same_report_and_no_new_message(world, monkeypatch):
    await active_groups(world, 2, admin_id=ADMIN_1)
    control = await compose(world)
    with monkeypatch.context() as m:
        # Killed after the report was edited in, before the done mark was written.
        m.setattr(announcements, "mark_done", lambda db, announcement_id, now: asyncio.sleep(0))
        report = await kirim(world, control)
        await world.bot.stop()
    assert "Terkirim: 2/2" in report["text"]
    admin_messages = len(world.fake.messages(ADMIN_1))

    await world.bot.start()
    await world.sent()
    [ann] = await announcements.recent(world.bot.db)
    assert ann.status is AnnStatus.DONE
    assert current(world, ADMIN_1, control["message_id"])["text"] == report["text"]
    assert len(world.fake.messages(ADMIN_1)) == admin_messages


async def test_the_first_acknowledgement_per_kecamatan_counts_and_forged_presses_change_nothing(world):
    groups = await active_groups(world, 2, admin_id=ADMIN_1)
    await kirim(world, await compose(world))
    [copy] = group_copies(world, groups[0][1])
    data = buttons(copy)["Sudah dibaca"]
    await world.press(pengurus_id(0), copy, data)
    assert "tercatat" in world.fake.calls("answerCallbackQuery")[-1].params["text"]
    await world.press(pengurus_id(0), copy, data)
    assert "sebelumnya" in world.fake.calls("answerCallbackQuery")[-1].params["text"]
    preview = next(m for m in world.fake.messages(ADMIN_1) if "Sudah dibaca" in buttons(m))
    await world.press(ADMIN_1, preview, data)  # the admin's own preview is not a kecamatan group
    await world.press(pengurus_id(0), copy, "ack:999999")
    [ann] = await announcements.recent(world.bot.db)
    acked = [d.kecamatan_code for d in await announcements.deliveries(world.bot.db, ann.id) if d.acked_at]
    assert acked == [groups[0][0].code]


async def test_status_shows_delivered_acknowledged_and_who_has_not_read(world):
    groups = await active_groups(world, 3, admin_id=ADMIN_1)
    await kirim(world, await compose(world))
    [copy] = group_copies(world, groups[0][1])
    await world.press(pengurus_id(0), copy, buttons(copy)["Sudah dibaca"])
    await world.say(ADMIN_1, ADMIN_1, "/status_pengumuman")
    assert "terkirim 3/3 · dibaca 1" in world.fake.messages(ADMIN_1)[-1]["text"]
    [ann] = await announcements.recent(world.bot.db)
    await world.say(ADMIN_1, ADMIN_1, f"/status_pengumuman {ann.id}")
    detail = world.fake.messages(ADMIN_1)[-1]["text"]
    assert "Sudah dibaca: 1/3" in detail
    assert f"Belum membaca: {groups[1][0].name}, {groups[2][0].name}" in detail
    await world.say(ADMIN_1, ADMIN_1, "/status_pengumuman 4242")
    assert "tidak ditemukan" in world.fake.messages(ADMIN_1)[-1]["text"]
    for odd in ("²", "5" * 4000):  # isdigit() says yes to both; int() and SQLite do not
        await world.say(ADMIN_1, ADMIN_1, f"/status_pengumuman {odd}")
        assert world.fake.messages(ADMIN_1)[-1]["text"].startswith(texts.STATUS_USAGE[:20])


async def test_groups_that_have_not_acknowledged_get_one_nudge_after_the_waiting_time(world):
    groups = await active_groups(world, 2, admin_id=ADMIN_1)
    await kirim(world, await compose(world))
    [copy] = group_copies(world, groups[0][1])
    await world.press(pengurus_id(0), copy, buttons(copy)["Sudah dibaca"])
    assert world.bot.app is not None and world.bot.app.job_queue is not None
    [job] = world.bot.app.job_queue.get_jobs_by_name(NUDGE_JOB)
    await job.run(world.bot.app)  # before the waiting time: nothing
    await settled(world)
    world.clock.advance(timedelta(hours=25))
    await job.run(world.bot.app)
    await job.run(world.bot.app)
    await settled(world)
    nudges = [m for m in world.fake.messages(groups[1][1]) if "belum ditandai dibaca" in m.get("text", "")]
    assert (
        len(nudges) == 1
        and nudges[0]["reply_to_message"]["message_id"] == group_copies(world, groups[1][1])[0]["message_id"]
    )
    assert not any("belum ditandai" in m.get("text", "") for m in world.fake.messages(groups[0][1]))
    assert nudges[0]["text"].startswith("Mohon maaf, sekadar mengingatkan: pengumuman dari Dinas Sosial")


async def test_replies_travel_from_a_group_to_dinsos_and_back(world):
    groups = await active_groups(world, 1, admin_id=ADMIN_1)
    await kirim(world, await compose(world))
    [copy] = group_copies(world, groups[0][1])
    await world.say(pengurus_id(0), groups[0][1], "Siap, kami hadir 5 orang", reply_to_message_id=copy["message_id"])
    header = next(m for m in world.fake.messages(ADMIN_1) if "Balasan dari Kecamatan" in m.get("text", ""))
    assert groups[0][0].name in header["text"]
    assert world.fake.messages(ADMIN_1)[-1]["text"] == "Siap, kami hadir 5 orang"
    await world.say(ADMIN_1, ADMIN_1, "Terima kasih, ditunggu", reply_to_message_id=header["message_id"])
    group_texts = [m.get("text") for m in world.fake.messages(groups[0][1])]
    assert group_texts[-1] == "Terima kasih, ditunggu" and "Dinas Sosial menjawab" in group_texts[-2]


async def test_group_chatter_that_is_not_a_reply_to_the_bot_never_reaches_dinsos(world):
    groups = await active_groups(world, 1, admin_id=ADMIN_1)
    before = len(world.fake.messages(ADMIN_1))
    assert world.fake.send_text(pengurus_id(0), groups[0][1], "obrolan biasa") is None
    assert len(world.fake.messages(ADMIN_1)) == before


def test_a_name_with_its_username_is_never_put_in_brackets_again():
    from bot import texts

    header = texts.relay_to_admin("Sumber", "Siti (@anggota0)", 1)
    assert "Sumber</b>, oleh Siti (@anggota0) atas pengumuman #1" in header and "((" not in header
    assert texts.ack_already("Siti (@anggota0)") == "Sudah dicatat sebelumnya oleh Siti (@anggota0). Terima kasih."


async def test_pressing_semua_again_on_an_unchanged_picker_answers_without_an_apology(world):
    await active_groups(world, 2, admin_id=ADMIN_1)
    control = await compose(world)
    await world.press(ADMIN_1, control, buttons(control)[texts.BUTTON_PICK_TARGETS])
    picker = current(world, ADMIN_1, control["message_id"])
    await world.press(ADMIN_1, picker, buttons(picker)[texts.BUTTON_ALL_TARGETS])
    await world.press(ADMIN_1, picker, buttons(picker)[texts.BUTTON_ALL_TARGETS])  # Telegram: "not modified"
    assert world.fake.calls("editMessageText")[-1].status == 400
    assert texts.error_apology() not in [r.params.get("text") for r in world.fake.calls("answerCallbackQuery")]
    assert world.fake.unanswered_callback_queries() == []
    assert texts.BUTTON_TARGETS_DONE in buttons(current(world, ADMIN_1, control["message_id"]))  # still the picker
