"""/rekap end to end: per-kecamatan lines and totals, minggu vs bulan, WIB week and month edges, the chart PNG."""

from __future__ import annotations

import io
import struct
from datetime import UTC, datetime

import pytest
from matplotlib import image

from bot import texts
from bot.wilayah import load_kecamatan
from handlers.recap import MONTH, WEEK, period_of
from storage import xlsforms
from tests.conftest import ADMIN_1, STRANGER, World
from tests.support import reports
from tests.support.factories import active_groups, pengurus_id
from tests.support.harness import WIB
from tests.test_announcements import buttons, compose, group_copies, kirim

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
THIS_WEEK = "2026-11-23"  # the fake clock starts on Senin, 23 November 2026, 09.00 WIB
NEXT_WEEK = "2026-11-30"


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


async def submit(world: World, index: int, code: str, form: str, week: str | None = None) -> None:
    """A report (or a week's evaluation) submitted by the kecamatan's ketua at the clock's current time."""
    await reports.stored_report(world.bot.db, form, user_id=pengurus_id(index), user_name="Ketua",
                                kecamatan_code=code, week=week, now=world.clock.now())  # fmt: skip


async def excuse(world: World, code: str, week: str) -> None:
    # The excuse commands belong to another module; the row is all the recap reads.
    async with world.bot.db.transaction() as tx:
        await tx.execute(
            "INSERT INTO excuse (kecamatan_code, week, reason, added_by_id, added_at) VALUES (?, ?, 'banjir', ?, ?)",
            (code, week, ADMIN_1, "2026-11-23T02:00:00Z"),
        )


@pytest.fixture
async def scene(world: World) -> World:
    """Waled: evaluation and a laporan this week, read the announcement. Ciledug: excused, a laporan on 10 Nov.
    Losari: a laporan in October only. Pabedilan: nothing. The other 36 kecamatan have no group."""
    groups = await active_groups(world, 4, admin_id=ADMIN_1)
    (waled, _), (ciledug, _), (losari, _), _ = groups
    world.clock.set(wib(2026, 10, 20, 10, 0))
    await submit(world, 2, losari.code, "laporan")
    world.clock.set(wib(2026, 11, 10, 9, 0))
    await submit(world, 1, ciledug.code, "laporan")
    world.clock.set(wib(2026, 11, 23, 9, 30))
    await submit(world, 0, waled.code, "evaluasi", week=THIS_WEEK)
    await excuse(world, ciledug.code, THIS_WEEK)
    world.clock.set(wib(2026, 11, 23, 10, 0))
    await submit(world, 0, waled.code, "laporan")
    await kirim(world, await compose(world))
    [copy] = group_copies(world, groups[0][1])
    await world.press(pengurus_id(0), copy, buttons(copy)["Sudah dibaca"])
    world.clock.set(wib(2026, 11, 23, 11, 0))
    return world


async def rekap(world: World, text: str = "/rekap", user: int = ADMIN_1) -> list[dict]:
    """The bot's messages in answer to one command."""
    before = len(world.fake.messages(user))
    await world.say(user, user, text)
    return world.fake.messages(user)[before:]


def recap_text(answer: list[dict]) -> str:
    return "\n".join(m["text"] for m in answer if "text" in m)


def kecamatan_lines(text: str) -> dict[str, str]:
    """Kecamatan name -> its recap line, in the order shown."""
    lines = [line for line in text.splitlines() if line.startswith("• ")]
    return {line.split(" · ")[0].removeprefix("• "): line for line in lines}


async def test_the_month_recap_puts_what_needs_attention_first_and_folds_the_unregistered(scene):
    answer = await rekap(scene)
    text = recap_text(answer)
    assert text.splitlines()[:5] == [
        "Rekap Karang Taruna – bulan November 2026",
        "1/3 kecamatan terdaftar sudah mengisi evaluasi minggu ini (23–29 November 2026)",
        "🟥 belum mengisi 2 · 🟦 diizinkan 1 · 🟩 sudah mengisi 1 · ⬜ belum terdaftar 36",
        "Laporan kegiatan bulan November 2026: 2",
        "Pengumuman bulan November 2026 yang sudah dibaca: 1/4 (25%)",
    ]
    sections = [line for line in text.splitlines() if line[:1] in "🟥🟦🟩⬜" and "(" in line]
    assert sections[:3] == [
        "🟥 Belum mengisi evaluasi minggu ini (2)",
        "🟦 Diizinkan tidak mengisi minggu ini (1)",
        "🟩 Sudah mengisi evaluasi minggu ini (1)",
    ]
    lines = kecamatan_lines(text)
    # Never active before anything, then the longest silent.
    assert list(lines) == ["Pabedilan", "Losari", "Ciledug", "Waled"]
    assert lines["Waled"] == "• Waled · laporan 1 · dibaca 1/1 · terakhir Sen, 23 Nov 2026 10.00 WIB"
    assert lines["Losari"] == "• Losari · laporan 0 · dibaca 0/1 · terakhir Sel, 20 Okt 2026 10.00 WIB"
    assert lines["Pabedilan"] == "• Pabedilan · laporan 0 · dibaca 0/1 · terakhir –"
    [folded] = [line for line in text.splitlines() if line.startswith("⬜ Belum terdaftar (36): ")]
    assert "Jamblang" in folded and "Waled" not in folded
    assert len(text.splitlines()) < 20
    assert all(len(m["text"]) <= 4096 for m in answer if "text" in m)


async def test_the_recap_counts_evaluations_as_the_reminders_do(scene):
    text = recap_text(await rekap(scene))
    await scene.say(ADMIN_1, ADMIN_1, "/pengingat")
    overview = scene.fake.messages(ADMIN_1)[-1]["text"]
    assert "1/3 kecamatan terdaftar sudah mengisi evaluasi" in text
    assert "1/3 kecamatan terdaftar sudah mengisi evaluasi" in overview


async def test_the_chart_is_a_png_sent_after_the_text_with_time_and_totals(scene):
    answer = await rekap(scene)
    assert "text" in answer[0] and "photo" in answer[-1]
    assert answer[-1]["caption"].splitlines() == [
        "📊 Laporan kegiatan per kecamatan, bulan November 2026",
        "Dibuat Senin, 23 November 2026 pukul 11.00 WIB",
        "Total 2 laporan kegiatan dari 4 kecamatan · 1/3 kecamatan terdaftar sudah mengisi evaluasi minggu ini",
        "36 kecamatan belum terdaftar tidak ditampilkan.",
    ]
    upload = scene.fake.calls("sendPhoto")[-1].params["photo"]
    png = upload.data
    assert png.startswith(PNG_SIGNATURE) and upload.filename == "rekap.png"
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    assert width <= 720 and height <= 1280  # narrow: Telegram fits a photo to the phone's width
    pixels = image.imread(io.BytesIO(png), format="png")
    assert pixels.shape[:2] == (height, width)


def test_the_chart_stays_within_telegrams_size_with_all_40_registered():
    from handlers.recap import recap_chart
    from storage.recap import EvaluationStatus, KecamatanRecap

    rows = [
        KecamatanRecap(k.code, k.name, EvaluationStatus.MISSING, i % 7, None, 0, 0, registered=True)
        for i, k in enumerate(load_kecamatan())
    ]
    png = recap_chart(rows, period_of(MONTH, datetime(2026, 11, 23, tzinfo=UTC), WIB))
    width, height = struct.unpack(">II", png[16:24])
    assert width <= 720 and height <= 1280


async def test_minggu_counts_only_this_weeks_reports_and_names_the_week_once(scene):
    text = recap_text(await rekap(scene, "/rekap minggu"))
    assert text.splitlines()[:2] == [
        "Rekap Karang Taruna – minggu ini, 23–29 November 2026",
        "1/3 kecamatan terdaftar sudah mengisi evaluasi",
    ]
    assert text.count("23–29 November 2026") == 3  # title, and the two "minggu ini, …" totals
    assert "Laporan kegiatan minggu ini, 23–29 November 2026: 1" in text
    lines = kecamatan_lines(text)
    assert "laporan 1" in lines["Waled"] and "laporan 0" in lines["Ciledug"]
    assert "minggu" in scene.fake.messages(ADMIN_1)[-1]["caption"]
    assert "Laporan kegiatan bulan November 2026: 2" in recap_text(await rekap(scene, "/rekap BULAN"))


async def test_a_month_by_name_or_number(scene):
    for command in ("/rekap oktober", "/rekap Okt 2026", "/rekap 2026-10"):
        text = recap_text(await rekap(scene, command))
        assert "Laporan kegiatan bulan Oktober 2026: 1" in text, command


async def test_the_week_turns_at_monday_midnight_wib_and_the_month_on_the_first(scene):
    scene.clock.set(wib(2026, 11, 29, 23, 59))
    assert "1/3 kecamatan terdaftar sudah" in recap_text(await rekap(scene))
    scene.clock.set(wib(2026, 11, 30, 0, 0))  # still Sunday in UTC
    text = recap_text(await rekap(scene))
    assert "0/4 kecamatan terdaftar sudah mengisi evaluasi minggu ini (30 November–6 Desember 2026)" in text
    assert "🟥 Belum mengisi evaluasi minggu ini (4)" in text  # Ciledug's excuse was for last week
    assert "Laporan kegiatan bulan November 2026: 2" in text
    assert "Laporan kegiatan minggu ini, 30 November–6 Desember 2026: 0" in recap_text(
        await rekap(scene, "/rekap minggu")
    )
    scene.clock.set(wib(2026, 12, 1, 0, 0))
    text = recap_text(await rekap(scene))
    assert "Laporan kegiatan bulan Desember 2026: 0" in text and "yang sudah dibaca: –" in text
    assert kecamatan_lines(text)["Waled"].endswith("dibaca – · terakhir Sen, 23 Nov 2026 10.00 WIB")


async def test_only_dinsos_admins_get_the_recap(scene):
    answer = await rekap(scene, user=STRANGER)
    assert [m["text"] for m in answer] == [texts.ADMIN_ONLY]
    assert scene.fake.calls("sendPhoto") == []


@pytest.mark.parametrize("command", ["/rekap tahun", "/rekap minggu bulan", "/rekap 2026-13"])
async def test_a_bad_argument_gets_the_usage(world, command):
    answer = await rekap(world, command)
    [reply] = [m["text"] for m in answer]
    assert reply.startswith("Gunakan /rekap untuk bulan ini") and "/rekap oktober" in reply
    assert world.fake.calls("sendPhoto") == []


def test_periods_are_wib_weeks_and_calendar_months_across_the_year_end():
    now = datetime(2026, 12, 31, 17, 30, tzinfo=UTC)  # Jumat, 1 Januari 2027, 00.30 WIB
    month = period_of(MONTH, now, WIB)
    assert (month.since, month.until, month.label) == (wib(2027, 1, 1), wib(2027, 2, 1), "Januari 2027")
    week = period_of(WEEK, now, WIB)
    assert (week.since, week.until) == (wib(2026, 12, 28), wib(2027, 1, 4))
    assert week.label == "28 Desember 2026–3 Januari 2027"
    december = period_of(MONTH, datetime(2026, 12, 5, tzinfo=UTC), WIB)
    assert (december.since, december.until) == (wib(2026, 12, 1), wib(2027, 1, 1))


async def test_before_any_group_is_registered_the_recap_and_its_chart_still_come(world):
    answer = await rekap(world)
    assert "Belum ada kecamatan terdaftar yang perlu mengisi evaluasi minggu ini" in recap_text(answer)
    assert "⬜ Belum terdaftar (40)" in recap_text(answer) and "photo" in answer[-1]


async def test_the_recap_counts_each_published_form_in_its_period_and_names_who_has_not_sent_it(scene):
    from tests.test_xlsform_reminders import published, sent

    waled, ciledug, losari = (k.code for k in load_kecamatan()[:3])
    relawan = await published(scene, "Data relawan", "relawan", "weekly")
    await published(scene, "Data banjir", "banjir", "once", deadline="2026-11-30")
    await published(scene, "Data lansia", "lansia", "monthly", codes=[waled])
    closed = await published(scene, "Data pemuda", "pemuda", "weekly")
    await xlsforms.close(scene.bot.db, closed)
    await sent(scene, relawan, 0, waled)
    await sent(scene, relawan, 0, waled)
    await sent(scene, relawan, 2, losari)
    await sent(scene, relawan, 1, ciledug, test=True)
    text = recap_text(await rekap(scene))
    block = text.split("Formulir dari Dinas Sosial (3)\n")[1].split("\n\n")[0]
    assert block.splitlines() == [
        "📋 Data relawan · minggu ini · 3 kiriman · 2/4 kecamatan · belum: Ciledug, Pabedilan",
        "📋 Data banjir · batas Sen, 30 Nov 2026 · 0 kiriman · 0/4 kecamatan · belum: Waled, Ciledug, Losari, "
        "Pabedilan",
        "📋 Data lansia · bulan ini · 0 kiriman · 0/1 kecamatan · belum: Waled",
    ]
    assert list(kecamatan_lines(text)) == ["Pabedilan", "Losari", "Ciledug", "Waled"]
    scene.clock.set(wib(2026, 12, 1, 9, 0))  # the one-off form's deadline has passed; a new week and month
    text = recap_text(await rekap(scene))
    assert "📋 Data banjir · batas Sen, 30 Nov 2026 sudah lewat · 0 kiriman" in text
    assert "📋 Data relawan · minggu ini · 0 kiriman · 0/4 kecamatan" in text
    assert "Formulir dari Dinas Sosial" not in recap_text(await rekap(scene, "/rekap november"))
