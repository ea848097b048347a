"""Program kerja's core: one check of a program for every path, the versions of a plan from draft to revision,
and the realization counted from linked laporan, by the clock."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.program_kerja import laporan_question, realization
from bot.program_kerja.model import KECAMATAN_LEVEL, read_program
from bot.wilayah import kecamatan_by_code, load_kecamatan
from storage import program_kerja, wilayah
from storage.db import Database
from storage.migrate import apply_pending
from tests.support.plans import approved_plan, plan_with, program, program_input
from tests.support.reports import previous_release_database, stored_report

SUMBER = next(k for k in load_kecamatan() if k.name == "Sumber")
NOW = datetime(2027, 1, 10, 3, 0, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path):
    database = Database(tmp_path / "plan.db")
    await database.open()
    await apply_pending(database)
    await wilayah.sync(database, load_kecamatan())
    yield database
    await database.close()


def test_a_program_as_people_write_it_is_read_into_codes():
    village = SUMBER.villages[0]
    read = read_program(program_input(lokasi=village.name.upper(), bulan="januari; 3, Jul", sasaran_ppks="ppks 3, 1",
                                      anggaran="1,5 juta", sumber_dana="apbdes", bidang="2"), SUMBER)  # fmt: skip
    assert read.problems == []
    assert read.program is not None
    assert read.program.lokasi == village.code
    assert read.program.bulan == (1, 3, 7)
    assert read.program.sasaran_ppks == ("PPKS-01", "PPKS-03")
    assert (read.program.anggaran, read.program.sumber_dana, read.program.bidang) == (1_500_000, "apbdes", "b02")


def test_every_problem_of_a_program_is_named_by_its_column():
    read = read_program(program_input(nama="", bulan="Maretan", anggaran="-5", lokasi="Kota Bandung",
                                      target_peserta="banyak"), SUMBER)  # fmt: skip
    assert read.program is None
    by_field = {p.field: p for p in read.problems}
    assert set(by_field) == {"nama", "bulan", "anggaran", "lokasi", "target_peserta"}
    assert by_field["bulan"].column == "Bulan pelaksanaan"
    assert "Maretan" in by_field["bulan"].message
    assert "Sumber" in by_field["lokasi"].message
    assert "negatif" in by_field["anggaran"].message


def test_a_program_needs_a_sasaran():
    read = read_program(program_input(sasaran_ppks="", sasaran_lain=""), SUMBER)
    assert [p.field for p in read.problems] == ["sasaran_ppks"]


async def test_a_plan_goes_from_draft_through_a_fix_to_approval_and_a_revision(db):
    first = program(SUMBER.code, nama="Bank sampah")
    plan = await plan_with(db, SUMBER.code, 2027, [first], now=NOW)
    assert (plan.version, plan.status) == (1, "draf")
    assert await program_kerja.submit(db, plan.id, user_id=2001, user_name="Asep", now=NOW, owed=[])
    with pytest.raises(program_kerja.NotEditable):
        await program_kerja.editable_plan(db, SUMBER.code, 2027, user_id=2001, user_name="Asep", now=NOW)
    assert not await program_kerja.save_program(db, plan.id, program(SUMBER.code, nama="Lain"), now=NOW)
    assert await program_kerja.decide(db, plan.id, status="perlu_perbaikan", note="Anggaran terlalu besar",
                                      admin_id=1001, admin_name="Siti", now=NOW, owed=[])  # fmt: skip
    assert not await program_kerja.decide(db, plan.id, status="diterima", note=None, admin_id=1001,
                                          admin_name="Siti", now=NOW, owed=[])  # fmt: skip
    again = await program_kerja.editable_plan(db, SUMBER.code, 2027, user_id=2001, user_name="Asep", now=NOW)
    assert again.id == plan.id and again.review_note == "Anggaran terlalu besar"
    assert await program_kerja.save_program(db, plan.id, program(SUMBER.code, uid=first.uid, anggaran="500000",
                                                                 nama="Bank sampah"), now=NOW)  # fmt: skip
    assert await program_kerja.submit(db, plan.id, user_id=2001, user_name="Asep", now=NOW, owed=[])
    assert await program_kerja.decide(db, plan.id, status="diterima", note=None, admin_id=1001, admin_name="Siti",
                                      now=NOW, owed=[])  # fmt: skip
    [kept] = await program_kerja.programs(db, plan.id)
    assert (kept.uid, kept.anggaran) == (first.uid, 500_000)

    revision = await program_kerja.editable_plan(db, SUMBER.code, 2027, user_id=2001, user_name="Asep", now=NOW)
    assert (revision.version, revision.status) == (2, "draf")
    assert [p.uid for p in await program_kerja.programs(db, revision.id)] == [first.uid]
    added = program(SUMBER.code, nama="Santunan lansia")
    assert await program_kerja.save_program(db, revision.id, added, now=NOW)
    state = (await program_kerja.year_states(db, 2027, SUMBER.code))[SUMBER.code]
    assert state.in_force is not None and state.in_force.id == plan.id  # still the approved one until decided
    assert await program_kerja.submit(db, revision.id, user_id=2001, user_name="Asep", now=NOW, owed=[])
    assert await program_kerja.decide(db, revision.id, status="diterima", note=None, admin_id=1001,
                                      admin_name="Siti", now=NOW, owed=[])  # fmt: skip
    statuses = [(p.version, p.status) for p in await program_kerja.versions(db, SUMBER.code, 2027)]
    assert statuses == [(2, "diterima"), (1, "diganti")]
    force = await program_kerja.in_force_programs(db, 2027)
    assert [p.nama for p in force[SUMBER.code]] == ["Bank sampah", "Santunan lansia"]


async def test_an_empty_plan_cannot_be_submitted_and_reordering_needs_every_program(db):
    plan = await plan_with(db, SUMBER.code, 2027, [], now=NOW)
    assert not await program_kerja.submit(db, plan.id, user_id=2001, user_name="Asep", now=NOW, owed=[])
    a, b = program(SUMBER.code, nama="Satu"), program(SUMBER.code, nama="Dua")
    await program_kerja.replace_programs(db, plan.id, [a, b], now=NOW)
    assert not await program_kerja.reorder(db, plan.id, [b.uid], now=NOW)
    assert await program_kerja.reorder(db, plan.id, [b.uid, a.uid], now=NOW)
    assert [p.nama for p in await program_kerja.programs(db, plan.id)] == ["Dua", "Satu"]
    assert await program_kerja.remove_program(db, plan.id, a.uid, now=NOW)
    assert [p.nama for p in await program_kerja.programs(db, plan.id)] == ["Dua"]


async def _laporan(db, tanggal: str, program_uid: str | None, peserta: int = 25, dana: int = 400_000):  # type: ignore[no-untyped-def]
    answers = {
        "nama_kegiatan": "Sablon", "bidang": "b01", "tanggal": tanggal,
        "lokasi": {"code": KECAMATAN_LEVEL, "name": "Tingkat kecamatan"}, "jumlah_peserta": peserta,
        "ppks": [], "jumlah_penerima": 10, "sumber_dana": "apbdes", "jumlah_dana": dana,
        "hasil": "Berjalan dengan baik", "foto": [],
    }  # fmt: skip
    if program_uid is not None:
        answers["program"] = program_uid
    return await stored_report(db, "laporan", user_id=2001, user_name="Asep", kecamatan_code=SUMBER.code,
                               now=NOW, answers=answers)  # fmt: skip


async def test_realization_counts_linked_laporan_and_a_month_turns_late_when_it_ends(db):
    sablon = program(SUMBER.code, nama="Sablon", bulan="Mar, Jun", anggaran="1000000")
    lansia = program(SUMBER.code, nama="Lansia", bulan="Mar", anggaran="500000")
    await approved_plan(db, SUMBER.code, 2027, [sablon, lansia], now=NOW)
    await _laporan(db, "2027-03-05", sablon.uid, peserta=25, dana=400_000)
    await _laporan(db, "2027-03-20", "luar")
    await _laporan(db, "2026-03-20", sablon.uid)  # last year's: not this plan's
    programs = (await program_kerja.in_force_programs(db, 2027))[SUMBER.code]
    acts = await program_kerja.activities(db, 2027, SUMBER.code)

    in_march = realization.realize(programs, acts, year=2027, today=date(2027, 3, 31))
    assert [(r.program.nama, r.status, r.late) for r in in_march] == [("Sablon", "sebagian", False),
                                                                        ("Lansia", "belum", False)]  # fmt: skip
    assert (in_march[0].peserta, in_march[0].dana) == (25, 400_000)

    in_april = realization.realize(programs, acts, year=2027, today=date(2027, 4, 1))
    assert [r.late_months for r in in_april] == [(), (3,)]
    assert [r.program.nama for r in realization.turned_late(in_april, 3)] == ["Lansia"]
    summary = realization.totals(in_april, acts)
    assert (summary.programs, summary.done, summary.partly, summary.late) == (2, 0, 1, 1)
    assert (summary.anggaran, summary.dana, summary.activities, summary.outside) == (1_500_000, 400_000, 1, 1)
    assert realization.by_month(in_april)[2] == (3, 2, 1)


async def test_laporan_stored_before_program_kerja_count_as_outside_the_plan(tmp_path):
    db = await previous_release_database(tmp_path / "old.db", before=14)
    try:
        await apply_pending(db)
        old = await _laporan(db, "2027-02-01", None)  # its answers have no program, as every laporan before 0014
        sablon = program(SUMBER.code, nama="Sablon", bulan="Feb")
        await approved_plan(db, SUMBER.code, 2027, [sablon], now=NOW)
        acts = await program_kerja.activities(db, 2027, SUMBER.code)
        assert [(a.report_id, a.program_uid) for a in acts] == [(old.id, None)]
        realized = realization.realize([sablon], acts, year=2027, today=date(2027, 3, 1))
        assert realized[0].status == "belum" and realization.totals(realized, acts).outside == 1
    finally:
        await db.close()


def test_kecamatan_names_resolve():
    assert kecamatan_by_code(SUMBER.code) is SUMBER


async def test_the_laporan_question_offers_a_plan_from_the_moment_it_is_accepted(db):
    """The offer is kept between answers, and read again after every acceptance (a plan or its perubahan)."""
    today = date(2027, 3, 1)
    assert (await laporan_question.offer(db, SUMBER.code, today)).choices == ()
    sablon = program(SUMBER.code, nama="Sablon", bulan="Mar")
    await approved_plan(db, SUMBER.code, 2027, [sablon], now=NOW)
    assert [c.label for c in (await laporan_question.offer(db, SUMBER.code, today)).choices] == ["Sablon"]
    lansia = program(SUMBER.code, nama="Lansia", bulan="Apr")
    revision = await plan_with(db, SUMBER.code, 2027, [sablon, lansia], now=NOW)
    assert await program_kerja.submit(db, revision.id, user_id=2001, user_name="Asep", now=NOW, owed=[])
    assert [c.label for c in (await laporan_question.offer(db, SUMBER.code, today)).choices] == ["Sablon"]
    assert await program_kerja.decide(db, revision.id, status="diterima", note=None, admin_id=1001,
                                      admin_name="Siti", now=NOW, owed=[])  # fmt: skip
    offered = await laporan_question.offer(db, SUMBER.code, today)
    assert [c.label for c in offered.choices] == ["Sablon", "Lansia"]
