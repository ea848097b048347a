"""Weekly evaluation reminders on an injected clock: cron in WIB, only missing groups, follow-up, digest,
restarts, missed slots within grace, holidays, excused weeks, and Kirim sekarang."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import iso
from bot.reminder_schedule import Schedule, crontab_trigger
from handlers.reminders import TICK_JOB
from storage import xlsforms
from tests.conftest import ADMIN_1, STRANGER, World
from tests.support import reports
from tests.support.factories import active_groups, pengurus_id

WIB = ZoneInfo("Asia/Jakarta")
FRIDAY_0900 = datetime(2026, 11, 27, 9, 0, tzinfo=WIB)
WEEK = "2026-11-23"


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


async def tick(world: World) -> None:
    """Run the reminder job once, as APScheduler would at this moment of the injected clock."""
    assert world.bot.app is not None and world.bot.app.job_queue is not None
    [job] = world.bot.app.job_queue.get_jobs_by_name(TICK_JOB)
    await job.run(world.bot.app)
    assert world.bot.app.bot_data.sender is not None
    await world.bot.app.bot_data.sender.settled()


async def evaluated(world: World, index: int, code: str, week: str = WEEK) -> None:
    """Kecamatan `code` submitted its evaluation for `week` (arranged in storage; the form has its own tests)."""
    await reports.stored_report(world.bot.db, "evaluasi", user_id=pengurus_id(index), user_name="Ketua",
                                kecamatan_code=code, week=week, now=world.clock.now(),
                                answers={"jumlah_kegiatan": 1})  # fmt: skip


def reminders_in(world: World, chat_id: int) -> list[dict]:
    return [m for m in world.fake.messages(chat_id) if "evaluasi" in m.get("text", "") and "Yth." in m.get("text", "")]


def digests(world: World) -> list[str]:
    return [m["text"] for m in world.fake.messages(ADMIN_1) if "evaluasi mingguan sudah dikirim" in m.get("text", "")]


def test_a_schedule_is_told_in_words_and_an_unusual_one_as_written():
    from handlers.reminders import schedule_words

    assert schedule_words("0 9 * * 5") == "Setiap Jumat pukul 09.00 WIB"
    assert schedule_words("30 8 * * 1,4") == "Setiap Senin dan Kamis pukul 08.30 WIB"
    assert schedule_words("0 7 * * 1-5") == "Setiap Senin–Jumat pukul 07.00 WIB"
    assert schedule_words("0 7 * * 0") == "Setiap Minggu pukul 07.00 WIB"
    assert schedule_words("0 7 * * *") == "Setiap hari pukul 07.00 WIB"
    assert "REMINDER_CRON=*/5 9 1 * *" in schedule_words("*/5 9 1 * *")


def test_the_default_cron_is_friday_0900_wib_as_crontab_means_it():
    schedule = Schedule(crontab_trigger("0 9 * * 5", WIB), WIB, timedelta(hours=24), timedelta(hours=12))
    [(kind, _, due)] = schedule.due_now(FRIDAY_0900.astimezone(UTC), set())
    assert (kind, due) == ("first", FRIDAY_0900) and due.astimezone(UTC).hour == 2
    sunday = Schedule(crontab_trigger("30 7 * * 0", WIB), WIB, timedelta(0), timedelta(hours=1))
    assert sunday.next_due(FRIDAY_0900, set()) == wib(2026, 11, 29, 7, 30)


async def test_only_groups_without_an_evaluation_are_reminded_naming_the_week_and_deadline(world):
    groups = await active_groups(world, 3, admin_id=ADMIN_1)
    await evaluated(world, 0, groups[0][0].code)
    world.clock.set(FRIDAY_0900 + timedelta(seconds=30))
    await tick(world)
    assert reminders_in(world, groups[0][1]) == []
    [reminder] = reminders_in(world, groups[1][1])
    assert reminder["text"] == (
        f"Yth. Pengurus Karang Taruna Kecamatan {groups[1][0].name},\n"
        "Evaluasi mingguan untuk 23–29 November 2026 belum kami terima. Mohon diisi paling lambat "
        "Minggu, 29 November 2026 pukul 23.59 WIB.\n"
        "Silakan tekan tombol Isi evaluasi di bawah ini. Terima kasih."
    )
    [[button]] = reminder["reply_markup"]["inline_keyboard"]
    assert button["url"].endswith(f"?start=evaluasi-{groups[1][0].code.replace('.', '')}-20261123")
    [digest] = digests(world)
    assert digest.splitlines()[:3] == [
        "Pengingat evaluasi mingguan sudah dikirim",
        "Evaluasi untuk 23–29 November 2026; batas pengisian Minggu, 29 November 2026 pukul 23.59 WIB",
        "✅ 1/3 kecamatan terdaftar sudah mengisi evaluasi",
    ]
    assert groups[2][0].name in digest and "Minggu Senin" not in digest


async def test_one_follow_up_goes_only_to_those_still_missing(world):
    groups = await active_groups(world, 3, admin_id=ADMIN_1)
    world.clock.set(FRIDAY_0900)
    await tick(world)
    await evaluated(world, 1, groups[1][0].code)
    world.clock.set(FRIDAY_0900 + timedelta(hours=24, minutes=1))
    await tick(world)
    await tick(world)
    assert [len(reminders_in(world, chat_id)) for _, chat_id in groups] == [2, 1, 2]
    assert (
        "Mohon maaf, sekadar mengingatkan kembali: evaluasi mingguan" in reminders_in(world, groups[2][1])[-1]["text"]
    )
    assert len(digests(world)) == 2


async def test_the_digest_flags_kecamatan_missing_two_weeks_in_a_row(world):
    groups = await active_groups(world, 2, admin_id=ADMIN_1)
    await evaluated(world, 0, groups[0][0].code, week="2026-11-16")
    world.clock.set(FRIDAY_0900)
    await tick(world)
    [digest] = digests(world)
    flagged = digest.split("2 minggu berturut-turut belum mengisi):")[1]
    assert groups[1][0].name in flagged and groups[0][0].name not in flagged


async def test_a_restart_never_sends_a_reminder_twice(world):
    groups = await active_groups(world, 2, admin_id=ADMIN_1)
    world.clock.set(FRIDAY_0900 + timedelta(minutes=1))
    await tick(world)
    await world.bot.restart()
    await tick(world)
    assert [len(reminders_in(world, chat_id)) for _, chat_id in groups] == [1, 1]


async def test_a_slot_missed_while_down_is_sent_once_within_grace(world):
    groups = await active_groups(world, 1, admin_id=ADMIN_1)
    world.clock.set(FRIDAY_0900 + timedelta(hours=5))
    await world.bot.restart()
    await tick(world)
    await tick(world)
    assert len(reminders_in(world, groups[0][1])) == 1


async def test_a_slot_missed_beyond_grace_is_not_sent_late(world):
    groups = await active_groups(world, 1, admin_id=ADMIN_1)
    world.clock.set(FRIDAY_0900 + timedelta(hours=13))
    await tick(world)
    assert reminders_in(world, groups[0][1]) == [] and digests(world) == []


async def test_a_holiday_moves_the_reminder_to_the_next_working_day(world):
    groups = await active_groups(world, 1, admin_id=ADMIN_1)
    await world.say(ADMIN_1, ADMIN_1, "/libur 27/11/2026 Cuti bersama")
    assert "ditandai sebagai hari libur" in world.fake.messages(ADMIN_1)[-1]["text"]
    await world.say(ADMIN_1, ADMIN_1, "/libur")
    assert "27 November 2026 – Cuti bersama" in world.fake.messages(ADMIN_1)[-1]["text"]
    world.clock.set(FRIDAY_0900 + timedelta(minutes=1))
    await tick(world)
    assert reminders_in(world, groups[0][1]) == []
    world.clock.set(wib(2026, 11, 30, 9, 1))  # Monday
    await tick(world)
    [reminder] = reminders_in(world, groups[0][1])
    assert "sudah lewat" in reminder["text"]  # the week it is about ended on Sunday
    # Its button opens the evaluation of the week it reminds about, not of the new week.
    payload = reminder["reply_markup"]["inline_keyboard"][0][0]["url"].split("?start=")[1]
    await world.bot.handled(world.fake.user_starts_bot(pengurus_id(0), payload))
    draft = await xlsforms.active_draft(world.bot.db, pengurus_id(0))
    assert draft is not None and draft.week == WEEK


async def test_an_excused_kecamatan_is_not_reminded_and_not_counted_missing(world):
    groups = await active_groups(world, 2, admin_id=ADMIN_1)
    await world.say(ADMIN_1, ADMIN_1, f"/izin {groups[0][0].name} sedang ada bencana")
    assert "diizinkan" in world.fake.messages(ADMIN_1)[-1]["text"]
    world.clock.set(FRIDAY_0900)
    await tick(world)
    assert reminders_in(world, groups[0][1]) == []
    [digest] = digests(world)
    assert "0/1 kecamatan terdaftar sudah mengisi" in digest
    assert f"Diizinkan tidak mengisi: {groups[0][0].name}" in digest


async def test_pengingat_shows_the_schedule_and_kirim_sekarang_reminds_once(world):
    groups = await active_groups(world, 2, admin_id=ADMIN_1)
    await evaluated(world, 0, groups[0][0].code)
    await world.say(ADMIN_1, ADMIN_1, "/pengingat")
    overview = world.fake.messages(ADMIN_1)[-1]
    assert "Berikutnya: Jumat, 27 November 2026 pukul 09.00 WIB" in overview["text"]
    assert "Jadwal: Setiap Jumat pukul 09.00 WIB" in overview["text"] and "crontab" not in overview["text"]
    assert "1/2 kecamatan terdaftar sudah mengisi evaluasi" in overview["text"]
    data = overview["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    await world.press(ADMIN_1, overview, data)
    await world.press(ADMIN_1, overview, data)
    assert world.bot.app is not None and world.bot.app.bot_data.sender is not None
    await world.bot.app.bot_data.sender.settled()
    assert [len(reminders_in(world, chat_id)) for _, chat_id in groups] == [0, 1]
    assert "sudah dikirim" in world.fake.calls("answerCallbackQuery")[-1].params["text"]


async def test_reminder_commands_are_for_dinsos_admins_only(world):
    for command in ("/pengingat", "/libur 1/12/2026", "/izin Sumber"):
        await world.say(STRANGER, STRANGER, command)
        assert "hanya untuk admin" in world.fake.messages(STRANGER)[-1]["text"]


async def test_bad_holiday_and_excuse_arguments_get_the_usage(world):
    await world.say(ADMIN_1, ADMIN_1, "/libur kapan-kapan")
    assert "Gunakan" in world.fake.messages(ADMIN_1)[-1]["text"]
    await world.say(ADMIN_1, ADMIN_1, "/izin Atlantis")
    assert "Gunakan" in world.fake.messages(ADMIN_1)[-1]["text"]


async def runs(world: World) -> list[tuple[str, str]]:
    async with world.bot.db.read() as tx:
        return [(r[0], r[1]) for r in await tx.fetchall("SELECT kind, due_at FROM reminder_run ORDER BY id")]


async def test_a_per_minute_cron_after_downtime_runs_only_the_newest_missed_slot_of_each_kind_once(world):
    groups = await active_groups(world, 2, admin_id=ADMIN_1)
    world.bot.config = replace(world.bot.config, reminder_cron="* * * * *", reminder_followup_hours=1.0)
    world.clock.set(FRIDAY_0900)
    await world.bot.restart()
    await tick(world)
    before = await runs(world)
    assert [kind for kind, _ in before] == ["first", "followup"]  # 09.00, and 08.00's follow-up
    await world.bot.stop()
    world.clock.advance(timedelta(hours=10))  # down for ten hours: 600 missed minutes, all within grace
    await world.bot.start()
    await tick(world)
    await tick(world)
    back_at = iso(FRIDAY_0900 + timedelta(hours=10))
    assert (await runs(world))[len(before) :] == [("first", back_at), ("followup", back_at)]
    assert [len(reminders_in(world, chat_id)) for _, chat_id in groups] == [4, 4]
    assert len(digests(world)) == 4


def test_a_per_minute_schedule_looks_only_as_far_back_as_grace_and_follow_up():
    schedule = Schedule(crontab_trigger("* * * * *", WIB), WIB, timedelta(hours=24), timedelta(hours=12))
    found = schedule.due_now(FRIDAY_0900.astimezone(UTC), set())
    assert [(kind, due) for kind, _, due in found] == [("first", FRIDAY_0900), ("followup", FRIDAY_0900)]
    assert schedule.next_due(FRIDAY_0900, set()) == FRIDAY_0900 + timedelta(minutes=1)
