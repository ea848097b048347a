"""The files XLSForms come in: .xls as well as .xlsx, forms without a settings sheet named by their file and
versioned by their upload time, and a form pyxform itself fails on refused, not crashed on."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

from bot.xlsform import form_json
from bot.xlsform.read import read_xlsform
from storage import xlsforms
from tests.conftest import ADMIN_1, ANGGOTA
from tests.support.xlsforms import c, q, xls_xlsform, xlsform
from tests.test_forms import last, press
from tests.test_registration import approve_sumber
from tests.test_xlsform_bot import SUMBER, answer, follow_notice, send_xlsx

LANSIA_SURVEY = [
    q("text", "nama", "Nama lansia", required="yes"),
    q("integer", "umur", "Umur", required="yes", constraint=". >= 60",
      **{"constraint_message::Indonesian (id)": "Lansia berumur 60 tahun ke atas"}),
    q("begin_group", "kondisi", "Kondisi"),
    q("select_one yn", "sendiri", "Tinggal sendiri?"),
    q("select_multiple bantuan", "bantuan", "Bantuan yang diterima"),
    q("end_group", ""),
    q("note", "selesai", "Terima kasih, data ${nama} sudah lengkap."),
]  # fmt: skip
LANSIA_CHOICES = [
    c("yn", "ya", "Ya"),
    c("yn", "tidak", "Tidak"),
    c("bantuan", "pkh", "PKH"),
    c("bantuan", "bpnt", "BPNT"),
]
LANSIA_XLS = xls_xlsform(
    LANSIA_SURVEY, LANSIA_CHOICES, {"form_title": "Pendataan lansia", "form_id": "lansia", "version": "3"}
)
# Written by Kobo's "Download XLS" long ago: no settings sheet at all.
POSYANDU_XLSX = xlsform([q("text", "kader", "Nama kader"), q("integer", "balita", "Jumlah balita")], settings={})
BANSOS_XLS = xls_xlsform([q("text", "penerima", "Nama penerima"), q("decimal", "nilai", "Nilai bantuan")])


async def test_an_xls_form_is_uploaded_published_filled_to_the_end_and_downloaded_as_xls(world):
    await approve_sumber(world)
    reply = await send_xlsx(world, ADMIN_1, LANSIA_XLS, name="lansia.xls")
    assert "Pendataan lansia" in reply["text"] and "Versi: 3" in reply["text"]
    assert "Pertanyaan: 5 · Bagian: 1" in reply["text"]
    await press(world, ADMIN_1, "Terbitkan")
    await press(world, ADMIN_1, "Sekali (batas 7 hari)")
    await press(world, ADMIN_1, "Semua kecamatan aktif")
    await follow_notice(world, ANGGOTA, "Pendataan lansia")
    assert "Nama lansia" in last(world, ANGGOTA)["text"]
    await answer(world, ANGGOTA, "Mbah Karsih")
    assert "Lansia berumur 60 tahun ke atas" in await answer(world, ANGGOTA, "45")
    assert "Tinggal sendiri?" in await answer(world, ANGGOTA, "72")
    await press(world, ANGGOTA, "Ya")
    await press(world, ANGGOTA, "PKH")
    await press(world, ANGGOTA, "Selesai")
    assert "Terima kasih, data Mbah Karsih sudah lengkap." in last(world, ANGGOTA)["text"]
    await press(world, ANGGOTA, "Lanjut")
    await press(world, ANGGOTA, "Kirim")
    assert "Pendataan lansia #1 sudah terkirim" in last(world, ANGGOTA)["text"]
    [form] = await xlsforms.all_forms(world.bot.db)
    [submission] = await xlsforms.submissions(world.bot.db, form.id)
    answers = submission.data["answers"]
    assert submission.kecamatan_code == SUMBER
    assert (answers["nama"], answers["umur"], answers["sendiri"], answers["bantuan"]) == (
        "Mbah Karsih",
        "72",
        "ya",
        "pkh",
    )

    await world.say(ADMIN_1, ADMIN_1, "/formulir")
    await press(world, ADMIN_1, "1. Unduh XLSForm")
    document = last(world, ADMIN_1)["document"]
    assert document["file_name"] == "lansia-v3.xls"
    assert world.fake.world.files[document["file_id"]].data == LANSIA_XLS


async def test_the_format_is_known_from_the_bytes_not_the_name(world):
    reply = await send_xlsx(world, ADMIN_1, b"Nama,Umur\nA,1\n", name="data.xls")
    assert "bukan file Excel .xlsx atau .xls" in reply["text"]
    reply = await send_xlsx(world, ADMIN_1, LANSIA_XLS, name="lansia.xlsx")  # an .xls saved under a wrong name
    assert "Pendataan lansia" in reply["text"]
    [form] = await xlsforms.all_forms(world.bot.db)
    assert form.form_id == "lansia"


async def test_two_forms_without_settings_are_two_forms_named_by_their_files(world):
    first = await send_xlsx(world, ADMIN_1, POSYANDU_XLSX, name="Survei Posyandu.xlsx")
    second = await send_xlsx(world, ADMIN_1, BANSOS_XLS, name="survei-bansos 2026.xls")
    assert "✅ Formulir Survei Posyandu terbaca." in first["text"]
    assert "✅ Formulir survei-bansos 2026 terbaca." in second["text"]
    assert "sudah pernah diunggah" not in second["text"]
    forms = {f.form_id: f.title for f in await xlsforms.all_forms(world.bot.db)}
    assert forms == {"Survei_Posyandu": "Survei Posyandu", "survei-bansos_2026": "survei-bansos 2026"}


async def test_a_form_without_version_gets_its_upload_time_and_sent_again_later_becomes_a_new_version(world):
    reply = await send_xlsx(world, ADMIN_1, BANSOS_XLS, name="bansos.xls")
    assert "Versi: 202611230900" in reply["text"]  # Senin 23 November 2026, 09.00 WIB
    world.clock.advance(timedelta(seconds=30))
    reply = await send_xlsx(world, ADMIN_1, BANSOS_XLS, name="bansos.xls")
    assert "Versi ini sudah pernah diunggah" in reply["text"]  # the same minute: the same file sent twice
    world.clock.advance(timedelta(days=1, hours=2))
    reply = await send_xlsx(world, ADMIN_1, BANSOS_XLS, name="bansos.xls")
    assert "Versi: 202611241100" in reply["text"]
    [form] = await xlsforms.all_forms(world.bot.db)
    assert [v.version for v in await xlsforms.versions(world.bot.db, form.id)] == ["202611230900", "202611241100"]


async def test_the_same_workbook_under_two_names_is_tried_as_two_forms(world):
    await send_xlsx(world, ADMIN_1, BANSOS_XLS, name="bansos kecamatan.xls")
    await press(world, ADMIN_1, "Coba isi")
    assert "bansos kecamatan" in last(world, ADMIN_1)["text"]
    await send_xlsx(world, ADMIN_1, BANSOS_XLS, name="bansos desa.xls")
    await press(world, ADMIN_1, "Coba isi")
    assert "bansos desa" in last(world, ADMIN_1)["text"]
    forms = await xlsforms.all_forms(world.bot.db)
    assert {f.form_id for f in forms} == {"bansos_kecamatan", "bansos_desa"}


async def test_pyxform_failing_on_a_form_is_a_refusal_and_the_bot_goes_on(world, monkeypatch, caplog):
    import pyxform.xls2json

    def broken(*args, **kwargs):
        raise TypeError("unhashable type: 'dict'")

    monkeypatch.setattr(pyxform.xls2json, "workbook_to_json", broken)
    before = len(world.fake.messages(ADMIN_1))
    with caplog.at_level(logging.ERROR):
        reply = await send_xlsx(world, ADMIN_1, LANSIA_XLS, name="lansia.xls")
    assert "tidak dapat dibaca oleh pembaca XLSForm" in reply["text"]
    assert "tidak ada yang disimpan" in reply["text"]
    assert len(world.fake.messages(ADMIN_1)) == before + 1  # the refusal only: no error report
    assert any(r.exc_info and isinstance(r.exc_info[1], TypeError) for r in caplog.records)
    assert await xlsforms.all_forms(world.bot.db) == []
    monkeypatch.undo()
    reply = await send_xlsx(world, ADMIN_1, LANSIA_XLS, name="lansia.xls")
    assert "Pendataan lansia" in reply["text"]


def test_a_stored_form_read_again_keeps_the_name_and_version_of_its_upload():
    form = read_xlsform(BANSOS_XLS, "survei bansos.xls", uploaded_at=datetime(2026, 11, 23, 9, 0))
    older = json.loads(form_json.dumps(form))
    older["reader"] = 0  # written by an earlier reader: read again from the workbook, which has no settings
    again = form_json.read(BANSOS_XLS, json.dumps(older))
    assert (again.form_id, again.title, again.version) == ("survei_bansos", "survei bansos", "202611230900")
    assert [q.name for q in again.questions()] == ["penerima", "nilai"]
