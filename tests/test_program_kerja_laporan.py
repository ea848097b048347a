"""A laporan kegiatan counts towards the kecamatan's program kerja (issue 17, Realization): the question after the
date offers the approved programs (the activity month's first) and "Di luar program kerja", only where there is
an approved plan for the activity's year; the answer links the report, and realization counts it, by the clock."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from bot.program_kerja import laporan_question, realization
from bot.xlsform import builtin, session
from bot.xlsform.model import Choice
from bot.xlsx_export import to_xlsx
from storage import forms, program_kerja
from storage.export import all_tables
from tests.conftest import ADMIN_1, KETUA, World
from tests.support.harness import FakeClock
from tests.support.plans import approved_plan, program
from tests.test_forms import answer, buttons, last, press
from tests.test_registration import approve_sumber
from tests.test_xlsx_export import rows

SUMBER = "32.09.15"
WIB = ZoneInfo("Asia/Jakarta")
MARCH = datetime(2027, 3, 22, 2, 0, tzinfo=UTC)  # Senin, 22 Maret 2027, 09.00 WIB
QUESTION = "Kegiatan ini bagian dari program kerja yang mana?"
OUTSIDE = "Di luar program kerja"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MARCH)


@pytest.fixture
async def plan(world):  # type: ignore[no-untyped-def]
    """Sumber registered, with its approved plan for 2027: a June program listed before a March one."""
    await approve_sumber(world)
    bank = program(SUMBER, nama="Bank sampah desa", bulan="Jun")
    sablon = program(SUMBER, nama="Pelatihan sablon remaja", bulan="Mar")
    await approved_plan(world.bot.db, SUMBER, 2027, [bank, sablon], now=world.clock.now())
    return bank, sablon


def keyboard(message: dict) -> list[str]:
    """The button labels of a message, in order."""
    return [b["text"] for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


async def up_to_the_date(world: World, tanggal: str = "5/3/2027") -> None:
    await world.say(KETUA, KETUA, "/laporan")
    await answer(world, KETUA, "Kegiatan karang taruna")
    await press(world, KETUA, "Pendidikan dan Pelatihan")
    await answer(world, KETUA, tanggal)


async def after_the_program(world: World) -> None:
    """Every question after the program kerja one, up to the summary (no amount, no photos)."""
    await answer(world, KETUA, "kaliwadas")
    await answer(world, KETUA, "35 orang")
    await press(world, KETUA, "Tidak ada")
    await answer(world, KETUA, "12")
    await press(world, KETUA, "Swadaya")
    await press(world, KETUA, "Lewati")
    await answer(world, KETUA, "Remaja mampu menyablon kaos sendiri")
    await press(world, KETUA, "Lewati")
    await press(world, KETUA, "Selesai")


async def the_report(world: World):  # type: ignore[no-untyped-def]
    [report] = await forms.all_reports(world.bot.db, "laporan")
    return report


async def test_a_laporan_in_march_offers_the_march_program_first_and_is_linked_to_it(world, plan):
    _, sablon = plan
    await world.say(KETUA, KETUA, "/laporan")
    assert "13 pertanyaan" in world.fake.messages(KETUA)[-2]["text"] and "(1/13)" in last(world, KETUA)["text"]
    await answer(world, KETUA, "Pelatihan sablon angkatan 1")
    await press(world, KETUA, "Pendidikan dan Pelatihan")
    await answer(world, KETUA, "5/3/2027")
    asked = last(world, KETUA)
    assert "(4/13)" in asked["text"] and QUESTION in asked["text"] and "bulan Maret" in asked["text"]
    assert keyboard(asked)[:3] == ["Pelatihan sablon remaja", "Bank sampah desa", OUTSIDE]
    await press(world, KETUA, "Pelatihan sablon remaja")
    assert "(5/13)" in last(world, KETUA)["text"]
    await after_the_program(world)
    summary = last(world, KETUA)["text"]
    assert "Program kerja: Pelatihan sablon remaja" in summary
    await press(world, KETUA, "Kirim")

    report = await the_report(world)
    assert report.answers["program"] == sablon.uid
    [activity] = await program_kerja.activities(world.bot.db, 2027, SUMBER)
    assert (activity.report_id, activity.program_uid) == (report.id, sablon.uid)
    copy = next(m for m in world.fake.messages(ADMIN_1) if "Laporan kegiatan #" in m.get("text", ""))
    assert "Program kerja: Pelatihan sablon remaja" in copy["text"]
    await world.say(KETUA, KETUA, "/laporan_saya")
    assert "Program kerja: Pelatihan sablon remaja" in last(world, KETUA)["text"]
    await world.say(ADMIN_1, ADMIN_1, "/tinjau")
    assert "Program kerja: Pelatihan sablon remaja" in last(world, ADMIN_1)["text"]


async def test_a_kecamatan_without_an_approved_plan_is_never_asked(world):
    await approve_sumber(world)
    await world.say(KETUA, KETUA, "/laporan")
    assert "12 pertanyaan" in world.fake.messages(KETUA)[-2]["text"] and "(1/12)" in last(world, KETUA)["text"]
    await answer(world, KETUA, "Kerja bakti")
    await press(world, KETUA, "Lingkungan Hidup")
    await answer(world, KETUA, "5/3/2027")
    assert "(4/12)" in last(world, KETUA)["text"] and QUESTION not in last(world, KETUA)["text"]
    await after_the_program(world)
    assert "Program kerja" not in last(world, KETUA)["text"]
    await press(world, KETUA, "Kirim")
    report = await the_report(world)
    assert "program" not in report.answers
    [activity] = await program_kerja.activities(world.bot.db, 2027, SUMBER)
    assert activity.program_uid is None  # outside the plan
    copy = next(m for m in world.fake.messages(ADMIN_1) if "Laporan kegiatan #" in m.get("text", ""))
    assert "Program kerja" not in copy["text"]


async def test_an_activity_of_a_year_without_a_plan_is_not_asked_either(world, plan):
    await up_to_the_date(world, "20/12/2026")  # the plan is 2027's
    assert "(4/12)" in last(world, KETUA)["text"] and QUESTION not in last(world, KETUA)["text"]


async def test_di_luar_program_kerja_is_stored_as_luar(world, plan):
    await up_to_the_date(world)
    await press(world, KETUA, OUTSIDE)
    await after_the_program(world)
    assert f"Program kerja: {OUTSIDE}" in last(world, KETUA)["text"]
    await press(world, KETUA, "Kirim")
    assert (await the_report(world)).answers["program"] == "luar"
    [activity] = await program_kerja.activities(world.bot.db, 2027, SUMBER)
    assert activity.program_uid is None


async def test_the_export_names_the_program_of_each_laporan(world, plan):
    await up_to_the_date(world)
    await press(world, KETUA, "Bank sampah desa")
    await after_the_program(world)
    await press(world, KETUA, "Kirim")
    await up_to_the_date(world)
    await press(world, KETUA, OUTSIDE)
    await after_the_program(world)
    await press(world, KETUA, "Kirim")
    tables = await all_tables(world.bot.db)
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx(tables, tz=WIB, generated_at=world.clock.now())))
    assert [row["Program kerja"] for row in rows(workbook["Laporan kegiatan"])] == ["Bank sampah desa", OUTSIDE]


async def test_a_program_may_be_typed_by_its_name(world, plan):
    bank, _ = plan
    await up_to_the_date(world)
    reply = await answer(world, KETUA, "Arisan pemuda")
    assert "Pilihan itu tidak ada" in reply and QUESTION in world.fake.messages(KETUA)[-2]["text"]
    await answer(world, KETUA, "bank sampah")  # close enough to one name only
    assert "(5/13)" in last(world, KETUA)["text"]
    await after_the_program(world)
    await press(world, KETUA, "Kirim")
    assert (await the_report(world)).answers["program"] == bank.uid


async def test_the_march_program_turns_late_when_march_ends_without_a_laporan(world, plan):
    bank, sablon = plan
    await up_to_the_date(world)
    await press(world, KETUA, OUTSIDE)
    await after_the_program(world)
    await press(world, KETUA, "Kirim")

    async def realized() -> dict[str, tuple[str, bool]]:
        programs = (await program_kerja.in_force_programs(world.bot.db, 2027, SUMBER))[SUMBER]
        acts = await program_kerja.activities(world.bot.db, 2027, SUMBER)
        today = world.clock.now().astimezone(WIB).date()
        found = realization.realize(programs, acts, year=2027, today=today)
        return {r.program.uid: (r.status, r.late) for r in found}

    assert await realized() == {bank.uid: ("belum", False), sablon.uid: ("belum", False)}
    world.clock.set(datetime(2027, 4, 1, 9, 0, tzinfo=WIB))
    assert await realized() == {bank.uid: ("belum", False), sablon.uid: ("belum", True)}


async def test_a_correction_keeps_the_link_and_can_change_it(world, plan):
    bank, sablon = plan
    await up_to_the_date(world)
    await press(world, KETUA, "Pelatihan sablon remaja")
    await after_the_program(world)
    await press(world, KETUA, "Kirim")
    await world.say(KETUA, KETUA, "/laporan_saya")
    await press(world, KETUA, "Koreksi laporan kegiatan #1")
    assert "Program kerja: Pelatihan sablon remaja" in last(world, KETUA)["text"]
    await press(world, KETUA, "Ubah")
    assert "Program kerja" in buttons(last(world, KETUA))
    await press(world, KETUA, "Program kerja")
    assert "Jawaban sekarang: Pelatihan sablon remaja" in last(world, KETUA)["text"]
    await press(world, KETUA, "Bank sampah desa")
    assert "Program kerja: Bank sampah desa" in last(world, KETUA)["text"]
    await press(world, KETUA, "Kirim")
    versions = await forms.versions(world.bot.db, 1)
    assert [v.answers["program"] for v in versions] == [sablon.uid, bank.uid]


async def revise_without(world: World, gone, kept) -> None:  # type: ignore[no-untyped-def]
    """Sumber's plan revised and approved again without `gone`."""
    await approved_plan(world.bot.db, SUMBER, 2027, [kept], now=world.clock.now())
    assert [p.uid for p in (await program_kerja.in_force_programs(world.bot.db, 2027, SUMBER))[SUMBER]] == [kept.uid]


async def test_a_program_removed_while_its_button_is_on_screen_is_refused_and_asked_again(world, plan):
    bank, sablon = plan
    await up_to_the_date(world)
    await revise_without(world, sablon, bank)
    update = await world.press(KETUA, last(world, KETUA), buttons(last(world, KETUA))["Pelatihan sablon remaja"])
    alert = world.fake.callback_answer(update["callback_query"]["id"])
    assert alert is not None and "sudah tidak ada di program kerja" in alert["text"] and alert["show_alert"]
    again = last(world, KETUA)
    assert QUESTION in again["text"] and keyboard(again)[:2] == ["Bank sampah desa", OUTSIDE]
    assert await forms.all_reports(world.bot.db, "laporan") == []


async def test_a_chosen_program_removed_before_kirim_is_asked_again_and_nothing_breaks(world, plan):
    bank, sablon = plan
    await up_to_the_date(world)
    await press(world, KETUA, "Pelatihan sablon remaja")
    await after_the_program(world)
    await revise_without(world, sablon, bank)
    await press(world, KETUA, "Kirim")
    said = [m["text"] for m in world.fake.messages(KETUA)[-2:]]
    assert "Mohon pilih lagi programnya" in said[0] and QUESTION in said[1]
    assert await forms.all_reports(world.bot.db, "laporan") == []
    await press(world, KETUA, "Bank sampah desa")
    await press(world, KETUA, "Kirim")
    assert (await the_report(world)).answers["program"] == bank.uid


async def test_stored_answers_without_a_program_replay_as_before(world, plan):
    """A draft of the previous release, or a report stored before this one: no `program` answer."""
    bank, _ = plan
    old = {
        "nama_kegiatan": "Kerja bakti", "bidang": "b06", "tanggal": "2027-03-05",
        "lokasi": {"code": "kecamatan", "name": "Tingkat Kecamatan Sumber"}, "jumlah_peserta": 20, "ppks": [],
        "jumlah_penerima": 20, "sumber_dana": "swadaya", "jumlah_dana": None,
        "hasil": "Selokan desa bersih kembali", "kendala": None, "foto": [],
    }  # fmt: skip
    now = world.clock.now().astimezone(WIB)
    form = builtin.form("laporan")
    known = {"kecamatan": SUMBER, "username": "Asep"}
    without_plan = builtin.replay(form, old, known, now)
    assert without_plan.current is None  # the summary: nothing left to ask
    assert "program" not in session.finish(form, without_plan, now)["answers"]

    offer = await laporan_question.offer(world.bot.db, SUMBER, now.date())
    with_plan = laporan_question.with_offer(form, offer)
    state = builtin.replay(with_plan, old, {**known, **laporan_question.known(offer)}, now)
    assert state.current == "program"  # only the new question is left
    assert state.answers["lokasi"] == "kecamatan" and state.answers["hasil"] == "Selokan desa bersih kembali"
    state = session.answer(with_plan, state, bank.uid, now)
    assert state.current is None
    assert session.finish(with_plan, state, now)["answers"]["program"] == bank.uid

    half = {"nama_kegiatan": "Kerja bakti", "bidang": "b06", "tanggal": "2027-03-05"}
    assert builtin.replay(with_plan, half, {**known, **laporan_question.known(offer)}, now).current == "program"
    assert builtin.replay(form, half, known, now).current == "lokasi"


def test_the_month_s_programs_come_first_then_the_others_then_outside():
    march, june = program(SUMBER, nama="Maret", bulan="Mar"), program(SUMBER, nama="Juni", bulan="Mar, Jun")
    listed = [Choice("luar", OUTSIDE)] + [
        Choice(p.uid, p.nama, (("tahun", "2027"), ("bulan", " ".join(map(str, p.bulan))))) for p in (march, june)
    ]
    in_june = laporan_question.ordered(listed, "2027-06-01")
    assert [c.label for _, c in in_june] == ["Juni", "Maret", OUTSIDE]
    assert [i for i, _ in in_june] == [2, 1, 0]  # positions in the session's list, which a button presses
    assert [c.label for _, c in laporan_question.ordered(listed, "2027-03-01")] == ["Maret", "Juni", OUTSIDE]
