"""Published XLSForms in the weekly reminder runs, on an injected clock: the follow-up goes only to the groups
still missing a form in its period, once across a restart, never after the deadline, never to a kecamatan the
form is not for, and never for a closed form; Dinsos's digest counts every form under the evaluation's."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from storage import xlsforms
from tests.conftest import ADMIN_1, ADMIN_2, World
from tests.support.factories import active_groups, pengurus_id
from tests.support.xlsforms import q, xlsform
from tests.test_reminders import FRIDAY_0900, tick, wib

FOLLOW_UP = FRIDAY_0900 + timedelta(hours=24, minutes=1)


async def published(
    world: World, title: str, form_id: str, schedule: str, *, deadline: str | None = None,
    codes: list[str] | None = None,
) -> int:  # fmt: skip
    """A one-question form uploaded and published (arranged in storage; publishing has its own tests)."""
    db, now = world.bot.db, world.clock.now()
    workbook = xlsform([q("text", "nama", "Nama")], settings={"form_title": title, "form_id": form_id, "version": "1"})
    stored = await xlsforms.store_version(
        db, form_id=form_id, title=title, version="1", workbook=workbook, by=ADMIN_1, now=now
    )
    await xlsforms.publish(
        db, version_id=stored.version.id, schedule=schedule, deadline=deadline, kecamatan_codes=codes, by=ADMIN_1,
        now=now, owed=[],
    )  # fmt: skip
    return stored.form.id


async def sent(world: World, xform_id: int, index: int, code: str, *, test: bool = False) -> None:
    """The kecamatan's ketua sent the form now (or an admin's test fill, which is never a submission)."""
    db, now = world.bot.db, world.clock.now()
    form = await xlsforms.get_form(db, xform_id)
    assert form is not None and form.current_version_id is not None
    draft = await xlsforms.start_draft(
        db, version_id=form.current_version_id, user_id=pengurus_id(index), user_name="Ketua",
        kecamatan_code=None if test else code, test=test, state="{}", now=now,
    )  # fmt: skip
    await xlsforms.submit(db, draft.id, data={"answers": {"nama": "Sari"}, "repeats": {}}, now=now, owed=lambda s: [])


def form_reminders(world: World, chat_id: int, title: str) -> list[str]:
    texts = [m.get("text", "") for m in world.fake.messages(chat_id)]
    return [text for text in texts if title in text and "belum diisi" in text]


def digests(world: World) -> list[str]:
    return [m["text"] for m in world.fake.messages(ADMIN_1) if m.get("text", "").startswith("Pengingat")]


async def test_the_follow_up_reminds_only_the_groups_still_missing_the_form_and_only_once_across_a_restart(world):
    groups = await active_groups(world, 3, admin_id=ADMIN_1)
    form = await published(world, "Data relawan", "relawan", "weekly")
    world.clock.set(FRIDAY_0900)
    await tick(world)
    await sent(world, form, 0, groups[0][0].code)
    await sent(world, form, 1, groups[1][0].code, test=True)  # a test fill counts for nobody
    world.clock.set(FOLLOW_UP)
    await tick(world)
    await world.bot.restart()
    await tick(world)
    assert [len(form_reminders(world, chat_id, "Data relawan")) for _, chat_id in groups] == [1, 2, 2]
    assert form_reminders(world, groups[2][1], "Data relawan")[-1] == (
        f"Yth. pengurus Karang Taruna Kecamatan {groups[2][0].name}: mohon maaf, sekadar mengingatkan kembali: "
        "Data relawan dari Dinas Sosial belum diisi. Batasnya Minggu, 29 November 2026 pukul 23.59 WIB. Tekan "
        "tombol di bawah untuk mengisi lewat chat pribadi. Terima kasih."
    )
    first, followup = digests(world)
    assert "📋 Data relawan (batas Minggu, 29 November 2026): 0/3 kecamatan sudah mengisi" in first
    assert followup.startswith("Pengingat susulan evaluasi mingguan sudah dikirim")
    assert followup.split("\n\n")[-1].splitlines() == [
        "Formulir dari Dinas Sosial",
        "📋 Data relawan (batas Minggu, 29 November 2026): 1/3 kecamatan sudah mengisi",
        f"⏳ Belum mengisi, sudah diingatkan (2): {groups[1][0].name}, {groups[2][0].name}",
    ]


async def test_a_follow_up_missed_while_down_is_sent_once_within_grace_and_not_at_all_beyond_it(world):
    groups = await active_groups(world, 1, admin_id=ADMIN_1)
    await published(world, "Data relawan", "relawan", "weekly")
    world.clock.set(FRIDAY_0900)
    await tick(world)
    await world.bot.stop()
    world.clock.set(FOLLOW_UP + timedelta(hours=5))  # back five hours late, within REMINDER_GRACE_HOURS
    await world.bot.start()
    await tick(world)
    await tick(world)
    assert len(form_reminders(world, groups[0][1], "Data relawan")) == 2
    world.clock.set(FOLLOW_UP + timedelta(days=7, hours=13))  # the next week's, missed beyond grace
    await tick(world)
    assert len(form_reminders(world, groups[0][1], "Data relawan")) == 2


async def test_no_follow_up_after_the_deadline_for_a_closed_form_or_to_a_kecamatan_it_is_not_for(world):
    groups = await active_groups(world, 3, admin_id=ADMIN_1)
    # Due on Friday itself: reminded that morning, but Saturday's follow-up would come after the deadline.
    await published(world, "Data banjir", "banjir", "once", deadline="2026-11-27")
    # For the first group and a kecamatan that has no group: nobody else is reminded, nobody is counted for it.
    await published(world, "Data lansia", "lansia", "monthly", codes=[groups[0][0].code, "32.09.40"])
    closing = await published(world, "Data pemuda", "pemuda", "weekly")
    world.clock.set(FRIDAY_0900)
    await tick(world)
    assert await xlsforms.close(world.bot.db, closing)
    world.clock.set(FOLLOW_UP)
    await tick(world)
    first_group, others = groups[0][1], [chat_id for _, chat_id in groups[1:]]
    assert len(form_reminders(world, first_group, "Data banjir")) == 1
    assert [len(form_reminders(world, chat_id, "Data lansia")) for chat_id in (first_group, *others)] == [2, 0, 0]
    assert "Batasnya Senin, 30 November 2026" in form_reminders(world, first_group, "Data lansia")[-1]
    assert [len(form_reminders(world, chat_id, "Data pemuda")) for _, chat_id in groups] == [1, 1, 1]
    first, followup = digests(world)
    assert "Data banjir" in first and "📋 Data lansia (batas Senin, 30 November 2026): 0/1 kecamatan" in first
    assert "Data lansia" in followup and "Data banjir" not in followup and "Data pemuda" not in followup


async def test_a_follow_up_that_falls_after_the_forms_week_is_not_sent(world):
    groups = await active_groups(world, 1, admin_id=ADMIN_1)
    # Reminders on Sunday 20.00 WIB: the follow-up, Monday 20.00, belongs to a week that is already over.
    world.bot.config = replace(world.bot.config, reminder_cron="0 20 * * 0")
    await world.bot.restart()
    await published(world, "Absensi pelatihan", "absensi", "weekly")
    await published(world, "Data lansia", "lansia", "monthly")  # November still runs on Monday the 30th
    world.clock.set(wib(2026, 11, 29, 20, 0))
    await tick(world)
    world.clock.set(wib(2026, 11, 30, 20, 1))
    await tick(world)
    assert len(form_reminders(world, groups[0][1], "Absensi pelatihan")) == 1
    assert len(form_reminders(world, groups[0][1], "Data lansia")) == 2


async def test_the_digest_counts_every_form_in_the_evaluations_message(world):
    groups = await active_groups(world, 2, admin_id=ADMIN_1)
    relawan = await published(world, "Data relawan", "relawan", "weekly")
    await published(world, "Data lansia", "lansia", "monthly")
    await sent(world, relawan, 0, groups[0][0].code)
    await sent(world, relawan, 1, groups[1][0].code)
    world.clock.set(FRIDAY_0900)
    await tick(world)
    [digest] = digests(world)
    assert digest.startswith("Pengingat evaluasi mingguan sudah dikirim\n")
    assert digest.split("\n\n")[-1].splitlines() == [
        "Formulir dari Dinas Sosial",
        "📋 Data relawan (batas Minggu, 29 November 2026): 2/2 kecamatan sudah mengisi",
        "📋 Data lansia (batas Senin, 30 November 2026): 0/2 kecamatan sudah mengisi",
        f"⏳ Belum mengisi, sudah diingatkan (2): {groups[0][0].name}, {groups[1][0].name}",
    ]
    assert [len(form_reminders(world, chat_id, "Data relawan")) for _, chat_id in groups] == [0, 0]


async def test_a_digest_longer_than_one_message_comes_in_parts_that_never_split_a_form(world):
    await active_groups(world, 1, admin_id=ADMIN_1)
    long = "penerima bantuan sosial dan kondisi rumah tangga di desa " * 2
    titles = [f"Pendataan {n:02d} {long}" for n in range(30)]
    for number, title in enumerate(titles):
        await published(world, title.strip(), f"data{number}", "monthly", codes=["32.09.40"])
    world.clock.set(FRIDAY_0900)
    await tick(world)
    parts = digests(world)[:1] + [
        m["text"] for m in world.fake.messages(ADMIN_1) if m.get("text", "").startswith("📋 Pendataan")
    ]
    assert len(parts) == 2 and all(len(part) <= 4096 for part in parts)
    lines = "\n".join(parts).splitlines()
    for title in titles:
        [line] = [line for line in lines if title.strip() in line]
        assert line.endswith("belum ada grup terdaftar yang dituju")
    # An admin who had not opened the bot yet gets every part once they do.
    assert world.fake.messages(ADMIN_2) == []
    await world.say(ADMIN_2, ADMIN_2, "/start")
    assert [m["text"] for m in world.fake.messages(ADMIN_2) if m["text"] in parts] == parts


async def test_the_built_in_forms_registered_as_xlsforms_take_no_part_in_what_uploaded_forms_get(world):
    from bot.xlsform.export import exported_forms

    groups = await active_groups(world, 1, admin_id=ADMIN_1)
    await published(world, "Laporan kegiatan", "laporan", "weekly")  # /laporan has reminders and sheets of its own
    world.clock.set(FRIDAY_0900)
    await tick(world)
    assert form_reminders(world, groups[0][1], "Laporan kegiatan") == []
    [digest] = digests(world)
    assert "Formulir dari Dinas Sosial" not in digest
    await world.say(ADMIN_1, ADMIN_1, "/rekap")
    assert not any("Formulir dari Dinas Sosial" in m.get("text", "") for m in world.fake.messages(ADMIN_1))
    assert await exported_forms(world.bot.db) == [] and await xlsforms.export_rows(world.bot.db) == []
