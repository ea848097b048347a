"""Reports stored by today's forms ↔ submissions of their XLSForm versions (bot/xlsform/legacy.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.wilayah import load_kecamatan
from bot.xlsform import builtin
from bot.xlsform.evaluate import Instance
from bot.xlsform.legacy import from_xlsform, to_xlsform
from storage import forms, wilayah
from storage.db import Database
from storage.migrate import apply_pending
from tests.support import reports
from tests.support.builtin_forms import FORMS

SUMBER = "32.09.15"
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)

LAPORAN = {
    "nama_kegiatan": "Pelatihan sablon remaja",
    "bidang": "b01",
    "tanggal": "2026-11-22",
    "lokasi": {"code": "32.09.15.1006", "name": "Kaliwadas"},
    "jumlah_peserta": 35,
    "ppks": ["p01", "p02"],
    "jumlah_penerima": 12,
    "sumber_dana": "swadaya",
    "jumlah_dana": None,
    "hasil": "Remaja mampu menyablon kaos sendiri",
    "kendala": "Peralatan kurang",
    "foto": ["FILE1", "FILE2"],
}
EVALUASI = {
    "jumlah_kegiatan": 3,
    "capaian": "Bank sampah berjalan",
    "jumlah_ppks": 15,
    "kendala": "Belum ada tempat",
    "rencana": "Rapat pengurus",
    "kebutuhan": None,
    "kondisi": "baik",
}


@pytest.fixture
async def db(tmp_path):
    database = Database(tmp_path / "today.db")
    await database.open()
    await apply_pending(database)
    await wilayah.sync(database, load_kecamatan())
    yield database
    await database.close()


async def stored_report(db: Database, form: str, answers: dict) -> forms.Report:
    """A report as /laporan or /evaluasi stores it."""
    return await reports.stored_report(db, form, user_id=2002, user_name="Dewi", kecamatan_code=SUMBER, now=NOW,
                                       week="2026-11-23" if form == "evaluasi" else None, answers=answers)  # fmt: skip


async def previous_release_report(db: Database, form: str, answers: dict, admins: tuple[int, ...] = ()) -> int:
    return await reports.previous_release_report(
        db, form, user_id=2002, user_name="Dewi", kecamatan_code=SUMBER, now=NOW, answers=answers,
        week="2026-11-23" if form == "evaluasi" else None, admins=admins,
    )  # fmt: skip


@pytest.mark.parametrize(("key", "answers"), [("laporan", LAPORAN), ("evaluasi", EVALUASI)])
async def test_a_stored_report_converts_to_the_xlsform_and_back_unchanged(db, key, answers):
    report = await stored_report(db, key, answers)
    fields = FORMS[key].fields
    data = to_xlsform(fields, report.answers, report.kecamatan_code)
    assert from_xlsform(fields, data, report.kecamatan_code) == report.answers


async def test_converted_answers_pass_the_xlsform_s_own_constraints(db):
    report = await stored_report(db, "laporan", LAPORAN)
    data = to_xlsform(FORMS["laporan"].fields, report.answers, report.kecamatan_code)
    assert data["answers"]["lokasi"] == "32.09.15.1006" and data["repeats"] == {"foto": 2}
    assert data["answers"]["foto[2]/foto_file"] == "FILE2" and data["answers"]["ppks"] == "p01 p02"
    form = builtin.form("laporan")
    instance = Instance(form, data["answers"], data["repeats"], now=NOW.astimezone())
    for question in form.questions():
        value = data["answers"].get(question.name)
        if value and question.constraint:
            assert instance.boolean(question.constraint, question.name), question.name
    names = {c.name for c in form.choice_list(form.question("lokasi"))}
    assert data["answers"]["lokasi"] in names


async def test_migration_0007_on_a_database_of_today_s_release_keeps_its_reports(tmp_path):
    from storage import migrate, xlsforms

    everything = migrate.available()
    database = await reports.previous_release_database(tmp_path / "release.db", before=7)
    try:
        report_id = await previous_release_report(database, "laporan", LAPORAN)
        applied = await apply_pending(database)
        assert [m.version for m in applied] == [m.version for m in everything if m.version >= 7]
        report = await forms.get_report(database, report_id)
        assert report is not None and report.answers == LAPORAN and report.number == 1
        upload = await xlsforms.store_version(database, form_id="uji", title="Uji", version="1", workbook=b"x",
                                              by=1001, now=NOW)  # fmt: skip
        assert upload.created and upload.form.state == "draft"
    finally:
        await database.close()


async def test_migration_0010_keeps_every_version_review_and_copy_of_the_previous_release(tmp_path):
    """Reports stored before /laporan moved onto the XLSForm engine: still read, reviewed and found by their
    admins' copies; a new version of one is stored next to them."""
    from storage import reviews

    database = await reports.previous_release_database(tmp_path / "release.db", before=10)
    try:
        laporan = await previous_release_report(database, "laporan", LAPORAN, admins=(1001, 1002))
        evaluasi = await previous_release_report(database, "evaluasi", EVALUASI, admins=(1001,))
        async with database.transaction() as tx:  # Dinsos had accepted the evaluation
            await tx.execute("UPDATE report_version SET review_status = 'diterima', reviewed_by = 'Siti' "
                             "WHERE report_id = ?", (evaluasi,))  # fmt: skip
        assert min(m.version for m in await apply_pending(database)) == 10  # and what came after it
        async with database.read() as tx:
            assert await tx.fetchall("PRAGMA foreign_key_check") == []
            assert (await tx.fetchone("PRAGMA integrity_check"))[0] == "ok"
        report = await forms.get_report(database, laporan)
        assert report is not None and report.answers == LAPORAN and report.version == 1
        [version] = await forms.versions(database, evaluasi)
        assert version.answers == EVALUASI and version.review_status == "diterima" and version.reviewed_by == "Siti"
        assert [c.chat_id for c in await reviews.admin_copies(database, laporan, 1)] == [1001, 1002]
        assert [c.chat_id for c in await reviews.admin_copies(database, evaluasi, 1)] == [1001]
        # This week's evaluation is still the one of the week: a new one becomes its version 2.
        again = await stored_report(database, "evaluasi", {**EVALUASI, "capaian": "Bank sampah di dua desa"})
        assert again.id == evaluasi and again.version == 2 and again.number == 1
        assert [v.answers["capaian"] for v in await forms.versions(database, evaluasi)] == [
            "Bank sampah berjalan", "Bank sampah di dua desa"]  # fmt: skip
        assert (await stored_report(database, "laporan", LAPORAN)).number == 2
    finally:
        await database.close()
