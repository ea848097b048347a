"""Dinsos's decision on an uploaded form's submission reaches the people as a laporan's does, and Perlu perbaikan
is corrected in the chat (issue 18): the dashboard's Perlu perbaikan goes to the submitter and the kecamatan group
with a Perbaiki button; the submission opens again at its summary with its answers; Kirim stores its next version
(the earlier one kept with its decision), which waits for its own decision."""

from __future__ import annotations

from storage import xform_review
from tests import test_dashboard
from tests.conftest import ADMIN_1, ANGGOTA, KETUA, STRANGER, SUMBER_GROUP, World
from tests.test_dashboard import base, logged_in
from tests.test_forms import buttons, last, press, settled
from tests.test_xlsform_bot import answer
from tests.test_xlsform_web import two_submissions

world = test_dashboard.world
browser = test_dashboard.browser


async def ask_for_fix(world: World, browser, submission: int, note: str):  # type: ignore[no-untyped-def]
    """Dinsos presses Perlu perbaikan on the submission's page; returns the page."""
    page = await logged_in(world, browser)
    await page.goto(base(world) + f"/formulir/kiriman/{submission}")
    await page.get_by_label("Catatan perbaikan").fill(note)
    await page.get_by_role("button", name="Perlu perbaikan").click()
    assert "dikirim ke pengirim" in await page.get_by_role("status").inner_text()
    await settled(world)
    return page


def fix_requests(world: World, chat: int) -> list[dict]:
    return [m for m in world.fake.messages(chat) if "Dinas Sosial meminta perbaikan" in m.get("text", "")]


async def correct_peserta(world: World, user: int, peserta: str) -> None:
    """At the reopened summary: Ubah, Jumlah peserta, the new number, Kirim."""
    assert "Bersih desa Kaliwadas" in last(world, user)["text"]  # the answers sent before are all there
    await press(world, user, "Ubah")
    await press(world, user, "Jumlah peserta")
    await answer(world, user, peserta)
    await press(world, user, "Kirim")


async def test_perlu_perbaikan_reaches_submitter_and_group_and_a_member_corrects_it_as_version_2(world, browser):
    await two_submissions(world)  # #1 from Dewi (ANGGOTA), #2 from the ketua
    page = await ask_for_fix(world, browser, 1, "Jumlah peserta mohon dicek lagi")
    [to_dewi] = fix_requests(world, ANGGOTA)
    [to_group] = fix_requests(world, SUMBER_GROUP)
    for note in (to_dewi, to_group):
        assert "Bakti sosial desa #1" in note["text"] and "Jumlah peserta mohon dicek lagi" in note["text"]
    assert buttons(to_dewi) == {"Perbaiki Bakti sosial desa #1": "xk:1"}
    assert buttons(to_group)["Perbaiki Bakti sosial desa #1"].endswith("?start=xkoreksi-1")
    [copy] = copies(world, 1)  # the decision made on the web shows on the copy in the chat, without its buttons
    assert "✏️ Perlu perbaikan, diminta oleh Siti" in copy["text"] and buttons(copy) == {}

    # Someone outside the group cannot open it; the ketua (a member) follows the group's link and corrects it.
    await world.bot.handled(world.fake.user_starts_bot(STRANGER, "xkoreksi-1"))
    assert "Hanya pengirim dan anggota grup" in last(world, STRANGER)["text"]
    await world.bot.handled(world.fake.user_starts_bot(KETUA, "xkoreksi-1"))
    assert "jawaban yang dikirim sebelumnya sudah terisi" in world.fake.messages(KETUA)[-2]["text"]
    await correct_peserta(world, KETUA, "35")
    assert "Perbaikan Bakti sosial desa #1 (versi 2) sudah terkirim" in last(world, KETUA)["text"]
    await settled(world)

    listed = await xform_review.get(world.bot.db, 1)
    assert listed is not None and listed.review is None  # the new version waits for its own decision
    submission = listed.submission
    assert (submission.version, submission.submitted_by_id) == (2, KETUA)
    assert submission.data["answers"]["peserta"] == "35"
    assert submission.data["answers"]["kegiatan"] == "Bersih desa Kaliwadas"
    [earlier] = await xform_review.earlier_versions(world.bot.db, 1)
    assert earlier.version == 1 and earlier.data["answers"]["peserta"] == "40"
    assert earlier.review is not None and earlier.review.note == "Jumlah peserta mohon dicek lagi"
    _, second = copies(world, 1)
    assert second["text"].startswith("✏️ Perbaikan atas permintaan Dinas Sosial · versi 2\n")
    assert "Jumlah peserta: 35" in second["text"]

    # Dewi's own button now opens nothing: the correction is done.
    await press(world, ANGGOTA, "Perbaiki Bakti sosial desa #1")
    assert "tidak sedang diminta perbaikan" in last(world, ANGGOTA)["text"]

    # A tab still showing version 1 cannot decide on version 2 unseen; the fresh page decides version 2.
    stale = page
    await page.goto(base(world) + "/formulir/kiriman/1")
    assert "Versi 2" in await page.locator(".version").inner_text()
    assert "Versi 1" in await page.locator(".earlier").inner_text()
    await page.evaluate("document.querySelectorAll('input[name=versi]').forEach(i => i.value = '1')")
    await stale.get_by_role("button", name="Diterima").click()
    assert "sudah diperbaiki sebelum keputusan itu" in await page.get_by_role("status").inner_text()
    await page.goto(base(world) + "/formulir/kiriman/1")
    await page.get_by_role("button", name="Diterima").click()
    await settled(world)
    accepted = [m for m in world.fake.messages(KETUA) if "sudah diterima Dinas Sosial" in m.get("text", "")]
    assert len(accepted) == 1 and "Bakti sosial desa #1" in accepted[0]["text"]


async def review_rows(world: World) -> list[tuple[str, str]]:
    async with world.bot.db.read() as tx:
        rows = await tx.fetchall("SELECT kind, status FROM outbox WHERE kind LIKE 'xform_review%' ORDER BY kind")
    return [(r[0], r[1]) for r in rows]


def to_chat(world: World, chat: int) -> list[object]:
    return [c for c in world.fake.calls("sendMessage") if c.params.get("chat_id") == chat]


async def test_a_submitter_who_blocked_the_bot_is_not_retried_and_the_group_still_corrects(world, browser):
    await two_submissions(world)
    await world.bot.handled(world.fake.block_bot(ANGGOTA))
    await ask_for_fix(world, browser, 1, "Foto kurang jelas")
    assert fix_requests(world, SUMBER_GROUP) and not fix_requests(world, ANGGOTA)
    assert await review_rows(world) == [("xform_review_note", "sent"), ("xform_review_submitter", "failed")]
    tried = len(to_chat(world, ANGGOTA))
    assert tried > 0
    await world.bot.restart()  # a failed message stays failed, a sent one is not sent again
    await settled(world)
    assert len(fix_requests(world, SUMBER_GROUP)) == 1 and len(to_chat(world, ANGGOTA)) == tried
    await world.bot.handled(world.fake.user_starts_bot(KETUA, "xkoreksi-1"))
    await correct_peserta(world, KETUA, "41")
    assert "versi 2" in last(world, KETUA)["text"]


async def test_two_members_correct_at_once_and_only_the_first_correction_is_stored(world, browser):
    await two_submissions(world)
    await ask_for_fix(world, browser, 1, "Jumlah peserta mohon dicek lagi")
    await press(world, ANGGOTA, "Perbaiki Bakti sosial desa #1")
    await world.bot.handled(world.fake.user_starts_bot(KETUA, "xkoreksi-1"))
    await correct_peserta(world, KETUA, "35")
    await correct_peserta(world, ANGGOTA, "36")
    assert "tidak dikirim: kiriman itu sudah diperbaiki" in last(world, ANGGOTA)["text"]
    listed = await xform_review.get(world.bot.db, 1)
    assert listed is not None and listed.submission.version == 2
    assert listed.submission.data["answers"]["peserta"] == "35"


def copies(world: World, number: int) -> list[dict]:
    """The admin's copies of a submission, each version's (a correction's starts with a line of its own)."""
    return [m for m in world.fake.messages(ADMIN_1) if f"📋 Bakti sosial desa #{number} " in m.get("text", "")]


async def test_dinsos_decides_in_the_chat_on_the_copy_as_for_a_laporan(world):
    await two_submissions(world)
    [first] = copies(world, 1)
    assert buttons(first) == {"Diterima": "xr:ok:1:1", "Perlu perbaikan": "xr:fix:1:1"}
    await world.press(ANGGOTA, first, "xr:ok:1:1")  # not an admin
    assert "hanya untuk admin" in world.fake.calls("answerCallbackQuery")[-1].params["text"]
    await world.press(ADMIN_1, first, "xr:fix:1:1")
    assert "Tulis catatan perbaikan untuk bakti sosial desa #1" in last(world, ADMIN_1)["text"]
    await world.say(ADMIN_1, ADMIN_1, "Foto kegiatan kurang jelas")
    assert "sudah dikirim ke grup kecamatan dan pengirimnya" in last(world, ADMIN_1)["text"]
    await settled(world)
    [first] = copies(world, 1)
    assert "✏️ Perlu perbaikan, diminta oleh Siti" in first["text"] and buttons(first) == {}
    assert "Foto kegiatan kurang jelas" in fix_requests(world, ANGGOTA)[0]["text"]
    assert "Foto kegiatan kurang jelas" in fix_requests(world, SUMBER_GROUP)[0]["text"]

    await press(world, ANGGOTA, "Perbaiki Bakti sosial desa #1")
    await correct_peserta(world, ANGGOTA, "42")
    await settled(world)
    first, second = copies(world, 1)
    assert buttons(second) == {"Diterima": "xr:ok:1:2", "Perlu perbaikan": "xr:fix:1:2"}
    await world.press(ADMIN_1, first, "xr:ok:1:1")  # the old version's button, still on screen somewhere
    assert "sudah diperbaiki pengirimnya" in world.fake.calls("answerCallbackQuery")[-1].params["text"]
    await world.press(ADMIN_1, second, "xr:ok:1:2")
    await settled(world)
    assert "✅ Diterima oleh Siti" in copies(world, 1)[1]["text"]
    assert "Bakti sosial desa #1" in last(world, ANGGOTA)["text"] and "sudah diterima" in last(world, ANGGOTA)["text"]
    listed = await xform_review.get(world.bot.db, 1)
    assert listed is not None and listed.review is not None and listed.review.status == "diterima"


async def test_a_correction_opened_again_resumes_and_mulai_ulang_starts_again_from_the_submission(world, browser):
    await two_submissions(world)
    await ask_for_fix(world, browser, 1, "Jumlah peserta mohon dicek lagi")
    await press(world, ANGGOTA, "Perbaiki Bakti sosial desa #1")
    await press(world, ANGGOTA, "Ubah")
    await press(world, ANGGOTA, "Jumlah peserta")
    await world.say(ANGGOTA, ANGGOTA, "99")
    await press(world, ANGGOTA, "Perbaiki Bakti sosial desa #1")  # the same button again: resume or restart
    assert {"Lanjutkan", "Mulai ulang"} <= set(buttons(last(world, ANGGOTA)))
    await press(world, ANGGOTA, "Mulai ulang")
    await correct_peserta(world, ANGGOTA, "41")  # from the submission's answers again, not from an empty form
    listed = await xform_review.get(world.bot.db, 1)
    assert listed is not None and listed.submission.version == 2
    assert listed.submission.data["answers"]["peserta"] == "41"
    await settled(world)
    page = await logged_in(world, browser)
    await page.goto(base(world) + "/formulir/" + str(listed.xform_id))
    assert "versi 2" in await page.locator("#kiriman tbody tr").nth(1).inner_text()
