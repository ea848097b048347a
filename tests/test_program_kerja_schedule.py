"""Program kerja on the schedule, by the injected clock: /programkerja tenggat, the weekly reminder to submit until
the deadline, the admins' digest (who has not submitted; programs that turned late), "Program bulan ini" on the
first working day of a month, the admins' overview and the /rekap lines."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from telegram.ext import CommandHandler

from handlers import program_kerja_admin
from handlers.program_kerja_schedule import first_working_day
from handlers.reminders import TICK_JOB
from storage import program_kerja
from tests.conftest import ADMIN_1, STRANGER, World
from tests.support.factories import active_groups, pengurus_id
from tests.support.harness import WIB
from tests.support.plans import approved_plan, plan_with, program
from tests.support.reports import stored_report

YEAR = 2027


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


async def tick(world: World) -> None:
    """Run the reminder job once, as APScheduler would at this moment of the injected clock."""
    assert world.bot.app is not None and world.bot.app.job_queue is not None
    [job] = world.bot.app.job_queue.get_jobs_by_name(TICK_JOB)
    await job.run(world.bot.app)
    await world.sent()


async def _dispatch(update, context) -> None:  # type: ignore[no-untyped-def]
    args = list(context.args or [])
    if args and args[0].lower() == "tenggat":
        await program_kerja_admin.tenggat(update, context, args[1:])
    else:
        await program_kerja_admin.overview(update, context)


@pytest.fixture
def programkerja(world: World) -> World:
    """/programkerja reaches handlers/program_kerja_admin as handlers/program_kerja.py dispatches a Dinsos admin's
    (that module is another part's; until it registers the command, this stand-in does, ahead of the fallback)."""
    app = world.bot.app
    assert app is not None
    if not any(isinstance(h, CommandHandler) and "programkerja" in h.commands for h in app.handlers[0]):
        app.handlers[0].insert(0, CommandHandler("programkerja", _dispatch))
    return world


def plan_reminders(world: World, chat_id: int) -> list[str]:
    return [m["text"] for m in world.fake.messages(chat_id) if "belum diajukan ke Dinas Sosial" in m.get("text", "")]


def nudges(world: World, chat_id: int) -> list[str]:
    return [m["text"] for m in world.fake.messages(chat_id) if m.get("text", "").startswith("📅 Program bulan ini")]


def digests(world: World) -> list[str]:
    return [m["text"] for m in world.fake.messages(ADMIN_1) if "evaluasi mingguan sudah dikirim" in m.get("text", "")]


async def say(world: World, text: str, user: int = ADMIN_1) -> str:
    await world.say(user, user, text)
    return world.fake.messages(user)[-1]["text"]


async def submitted_plan(world: World, code: str) -> None:
    plan = await plan_with(world.bot.db, code, YEAR, [program(code)], now=world.clock.now())
    assert await program_kerja.submit(world.bot.db, plan.id, user_id=2001, user_name="Asep", now=world.clock.now(),
                                      owed=[])  # fmt: skip


# --- /programkerja tenggat -------------------------------------------------------------------------------------


async def test_tenggat_sets_the_planning_years_deadline_and_counts_who_has_not_submitted(programkerja):
    world = programkerja
    groups = await active_groups(world, 3, admin_id=ADMIN_1)
    await submitted_plan(world, groups[0][0].code)
    answer = await say(world, "/programkerja tenggat 31/01/2027")
    assert answer.splitlines() == [
        "✅ Batas pengajuan program kerja 2027: Minggu, 31 Januari 2027.",
        "2 dari 3 kecamatan terdaftar belum mengajukan; grupnya diingatkan setiap minggu sampai batas itu.",
    ]
    assert await program_kerja.deadline(world.bot.db, YEAR) == date(2027, 1, 31)
    answer = await say(world, "/programkerja tenggat 30/11/2026 2026")  # another year, named
    assert "program kerja 2026: Senin, 30 November 2026" in answer
    assert await program_kerja.deadline(world.bot.db, YEAR) == date(2027, 1, 31)
    assert await program_kerja.deadline(world.bot.db, 2026) == date(2026, 11, 30)


async def test_tenggat_refuses_a_malformed_or_past_date_and_anyone_but_an_admin(programkerja):
    world = programkerja
    assert "tidak dikenali; tulis dd/mm/yyyy" in await say(world, "/programkerja tenggat 31/13/2027")
    assert "tidak dikenali; tulis dd/mm/yyyy" in await say(world, "/programkerja tenggat secepatnya")
    assert "Gunakan /programkerja tenggat 31/01/2027" in await say(world, "/programkerja tenggat")
    assert "Tahun «20x7» tidak dikenali" in await say(world, "/programkerja tenggat 31/01/2027 20x7")
    past = await say(world, "/programkerja tenggat 22/11/2026")  # the fake clock is on 23 November 2026
    assert past == "Minggu, 22 November 2026 sudah lewat. Mohon pilih hari ini atau tanggal sesudahnya."
    answer = await say(world, "/programkerja tenggat 31/01/2027", user=STRANGER)
    assert "Batas pengajuan program kerja" not in answer
    assert await program_kerja.deadline(world.bot.db, YEAR) is None


async def test_the_admins_overview_shows_each_registered_kecamatan_and_the_deadline(programkerja):
    world = programkerja
    groups = await active_groups(world, 3, admin_id=ADMIN_1)
    (waled, _), (ciledug, _), _ = groups
    await approved_plan(world.bot.db, waled.code, YEAR, [program(waled.code, nama="Bank sampah", anggaran="2.000.000"),
                        program(waled.code, nama="Sablon", anggaran="500000")], now=world.clock.now())  # fmt: skip
    await submitted_plan(world, ciledug.code)
    assert "Batas pengajuan belum ditetapkan" in await say(world, "/programkerja")
    await say(world, "/programkerja tenggat 31/01/2027")
    lines = (await say(world, "/programkerja")).splitlines()
    assert lines[:3] == [
        "Program kerja 2027",
        "Batas pengajuan: Minggu, 31 Januari 2027",
        "Sudah diajukan atau diterima: 2 dari 3 kecamatan terdaftar.",
    ]
    assert "• Waled: Diterima · 2 program · Rp2.500.000 · terlaksana 0/2" in lines
    assert "• Ciledug: Diajukan, menunggu Dinsos · 1 program · Rp1.500.000" in lines
    assert "• Losari: Belum disusun" in lines
    assert "Batas pengajuan" not in await say(world, "/programkerja", user=STRANGER)


# --- the weekly reminder and the digest --------------------------------------------------------------------------

FRIDAY = wib(2026, 11, 27, 9, 0, 30)


async def test_groups_without_a_submitted_plan_are_reminded_weekly_until_the_deadline(world):
    groups = await active_groups(world, 3, admin_id=ADMIN_1)
    (waled, waled_chat), (ciledug, ciledug_chat), (losari, losari_chat) = groups
    await submitted_plan(world, waled.code)
    await plan_with(world.bot.db, ciledug.code, YEAR, [program(ciledug.code)], now=world.clock.now())  # a draft
    world.clock.set(FRIDAY)
    await tick(world)
    assert [plan_reminders(world, chat) for _, chat in groups] == [[], [], []]  # no deadline, no reminder
    await program_kerja.set_deadline(world.bot.db, YEAR, date(2027, 1, 31), admin_id=ADMIN_1, admin_name="Siti",
                                     now=world.clock.now())  # fmt: skip

    world.clock.set(FRIDAY + timedelta(days=7))
    await tick(world)
    await tick(world)
    await world.bot.restart()
    await tick(world)
    [reminder] = plan_reminders(world, ciledug_chat)
    assert reminder == (
        "Yth. Pengurus Karang Taruna Kecamatan Ciledug,\n"
        "Program kerja 2027 belum diajukan ke Dinas Sosial. Mohon disusun dan diajukan paling lambat "
        "Minggu, 31 Januari 2027.\n"
        "Admin grup dapat menyusunnya lewat /programkerja di chat pribadi dengan bot. Terima kasih."
    )
    assert len(plan_reminders(world, losari_chat)) == 1 and plan_reminders(world, waled_chat) == []
    digest = digests(world)[-1]
    assert "📋 Belum mengajukan program kerja 2027 (batas Minggu, 31 Januari 2027) (2): Ciledug, Losari" in digest

    world.clock.advance(timedelta(hours=24))  # the follow-up: no second plan reminder this week
    await tick(world)
    assert len(plan_reminders(world, losari_chat)) == 1 and len(digests(world)) == 3

    await submitted_plan(world, losari.code)
    world.clock.set(wib(2027, 1, 29, 9, 0, 30))  # the last Friday before the deadline
    await tick(world)
    assert (len(plan_reminders(world, ciledug_chat)), len(plan_reminders(world, losari_chat))) == (2, 1)

    world.clock.set(wib(2027, 2, 5, 9, 0, 30))  # after it
    await tick(world)
    assert len(plan_reminders(world, ciledug_chat)) == 2
    assert "(batas Minggu, 31 Januari 2027, sudah lewat) (1): Ciledug" in digests(world)[-1]


async def test_the_first_digest_of_a_month_lists_the_programs_that_turned_late(world):
    groups = await active_groups(world, 2, admin_id=ADMIN_1)
    (waled, _), (ciledug, _) = groups
    bank = program(waled.code, nama="Bank sampah", bulan="Jan")
    sablon = program(waled.code, nama="Pelatihan sablon", bulan="Jan, Mar")
    posyandu = program(ciledug.code, nama="Posyandu remaja", bulan="Feb")
    await approved_plan(world.bot.db, waled.code, YEAR, [bank, sablon], now=world.clock.now())
    await approved_plan(world.bot.db, ciledug.code, YEAR, [posyandu], now=world.clock.now())
    await stored_report(world.bot.db, "laporan", user_id=pengurus_id(0), user_name="Ketua", kecamatan_code=waled.code,
                        now=world.clock.now(), answers={"nama_kegiatan": "Bank sampah", "tanggal": "2027-01-16",
                                                        "program": bank.uid})  # fmt: skip

    world.clock.set(wib(2027, 1, 29, 9, 0, 30))  # January has not ended: nothing is late yet
    await tick(world)
    assert "Program terlambat" not in digests(world)[-1]
    world.clock.set(wib(2027, 2, 5, 9, 0, 30))  # February's first digest
    await tick(world)
    lines = digests(world)[-1].splitlines()
    late = lines.index("⏰ Program terlambat Januari 2027 (tanpa laporan kegiatan di bulan itu): 1 program")
    assert lines[late + 1 :] == ["• Waled: Pelatihan sablon"]
    world.clock.advance(timedelta(hours=24))  # the follow-up, and the next week: said once
    await tick(world)
    world.clock.set(wib(2027, 2, 12, 9, 0, 30))
    await tick(world)
    assert [("Program terlambat" in d) for d in digests(world)] == [False, True, False, False]


# --- "Program bulan ini" -------------------------------------------------------------------------------------


def test_the_first_working_day_skips_the_weekend_and_holidays():
    assert first_working_day(2027, 5, set()) == date(2027, 5, 3)  # 1 May 2027 is a Saturday
    assert first_working_day(2027, 2, set()) == date(2027, 2, 1)
    assert first_working_day(2027, 2, {date(2027, 2, 1)}) == date(2027, 2, 2)


async def test_program_bulan_ini_comes_on_the_first_working_day_once(world):
    groups = await active_groups(world, 3, admin_id=ADMIN_1)
    (waled, waled_chat), (ciledug, ciledug_chat), (_, losari_chat) = groups
    await approved_plan(world.bot.db, waled.code, YEAR, [
        program(waled.code, nama="Bank sampah", bulan="Mei, Jun", anggaran="750000"),
        program(waled.code, nama="Lomba 17-an", bulan="Agu"),
        program(waled.code, nama="Santunan yatim", bulan="Semua", lokasi=waled.villages[0].name),
    ], now=world.clock.now())  # fmt: skip
    await approved_plan(world.bot.db, ciledug.code, YEAR, [program(ciledug.code, bulan="Jul")], now=world.clock.now())

    for moment in (wib(2027, 5, 1, 9, 30), wib(2027, 5, 2, 10, 0), wib(2027, 5, 3, 8, 59)):
        world.clock.set(moment)  # Saturday, Sunday, and Monday before the reminder hour
        await tick(world)
    assert nudges(world, waled_chat) == []
    world.clock.set(wib(2027, 5, 3, 9, 0, 30))
    await tick(world)
    await tick(world)
    world.clock.set(wib(2027, 5, 3, 15, 0))
    await world.bot.restart()
    await tick(world)
    world.clock.set(wib(2027, 5, 4, 9, 0, 30))
    await tick(world)
    [nudge] = nudges(world, waled_chat)
    assert nudge.splitlines() == [
        "📅 Program bulan ini – Mei 2027",
        "Yth. Pengurus Karang Taruna Kecamatan Waled, program kerja yang direncanakan bulan ini:",
        "1. Bank sampah (Tingkat kecamatan, Rp750.000)",
        f"2. Santunan yatim ({waled.villages[0].name}, Rp1.500.000)",
        "Setelah kegiatannya berlangsung, kirim laporannya dengan /laporan dan pilih programnya. Terima kasih.",
    ]
    assert nudges(world, ciledug_chat) == [] and nudges(world, losari_chat) == []  # nothing in May; no plan


async def test_a_nudge_missed_while_down_is_caught_up_the_same_day_but_not_the_next(world):
    groups = await active_groups(world, 1, admin_id=ADMIN_1)
    [(waled, waled_chat)] = groups
    await approved_plan(world.bot.db, waled.code, YEAR, [program(waled.code, bulan="Semua")], now=world.clock.now())
    await world.bot.stop()
    world.clock.set(wib(2027, 2, 2, 9, 30))  # down over Monday 1 February, the first working day
    await world.bot.start()
    await tick(world)
    assert nudges(world, waled_chat) == []
    await world.bot.stop()
    world.clock.set(wib(2027, 3, 1, 16, 45))  # Monday 1 March, back in the afternoon
    await world.bot.start()
    await tick(world)
    assert [n.splitlines()[0] for n in nudges(world, waled_chat)] == ["📅 Program bulan ini – Maret 2027"]


# --- /rekap ------------------------------------------------------------------------------------------------


async def test_rekap_has_one_program_kerja_line_per_kecamatan(world):
    groups = await active_groups(world, 3, admin_id=ADMIN_1)
    (waled, _), (ciledug, _), _ = groups
    bank = program(waled.code, nama="Bank sampah", bulan="Jan")
    await approved_plan(world.bot.db, waled.code, YEAR, [bank, program(waled.code, nama="Sablon", bulan="Jan"),
                                                          program(waled.code, nama="Lomba", bulan="Agu")],
                        now=world.clock.now())  # fmt: skip
    await submitted_plan(world, ciledug.code)
    await stored_report(world.bot.db, "laporan", user_id=pengurus_id(0), user_name="Ketua", kecamatan_code=waled.code,
                        now=world.clock.now(), answers={"nama_kegiatan": "Bank sampah", "tanggal": "2027-01-16",
                                                        "program": bank.uid})  # fmt: skip
    world.clock.set(wib(2027, 2, 10, 10, 0))
    await world.say(ADMIN_1, ADMIN_1, "/rekap")
    text = "\n".join(m.get("text", "") for m in world.fake.messages(ADMIN_1))
    lines = text.splitlines()
    start = lines.index("📋 Program kerja 2027 (terlaksana/direncanakan)")
    assert lines[start + 1 : start + 4] == [
        "▸ Waled · Diterima · terlaksana 1/3 · terlambat 1",
        "▸ Ciledug · Diajukan, menunggu Dinsos",
        "▸ Belum disusun (1): Losari",
    ]
