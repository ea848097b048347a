"""The files an XLSForm comes with: a ZIP holding the workbook and its CSVs, CSVs sent as documents right after
the workbook, select_one_from_file / select_one_external lists and pulldata() over the attached CSVs."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from bot.xlsform import session
from bot.xlsform.attachments import ZipRefused, unzip
from bot.xlsform.read import FormRejected, read_xlsform
from storage import xlsforms
from tests.conftest import ADMIN_1, ANGGOTA
from tests.support.xlsforms import c, q, xlsform
from tests.test_forms import buttons, last, press
from tests.test_registration import approve_sumber
from tests.test_xlsform_bot import SUMBER, answer, follow_notice, send_xlsx

DESA_CSV = b"name,label,kec\nbode,Bode Lor,plumbon\ngombang,Gombang,plumbon\nwaled,Waled Kota,waled\n"
BANSOS_CSV = b"desa,penerima,jumlah\nbode,120,Rp 36 juta\ngombang,85,Rp 25 juta\n"
BANTUAN_SURVEY = [
    q("select_one kec", "kec", "Kecamatan"),
    q("select_one_from_file desa.csv", "desa", "Desa", choice_filter="kec = ${kec}"),
    q("calculate", "jumlah", calculation="pulldata('bansos', 'jumlah', 'desa', ${desa})"),
    q("note", "info", "Bantuan desa ini: ${jumlah}"),
    q("integer", "kk", "Jumlah KK yang dikunjungi"),
]
BANTUAN_CHOICES = [c("kec", "plumbon", "Plumbon"), c("kec", "waled", "Waled")]
BANTUAN = xlsform(BANTUAN_SURVEY, BANTUAN_CHOICES, {"form_title": "Cek bantuan", "form_id": "cek", "version": "1"})
NOW = datetime(2026, 12, 1, 10, 30, tzinfo=ZoneInfo("Asia/Jakarta"))


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


async def send_document(world, user: int, data: bytes, name: str) -> dict:
    document = world.fake.new_file(data, "document", file_name=name, mime_type="application/octet-stream")
    await world.bot.handled(world.fake.send_message(user, user, document=document))
    return last(world, user)


# --- reading ----------------------------------------------------------------------------------------------


def test_choices_and_pulldata_come_from_the_attached_csvs():
    form = read_xlsform(BANTUAN, attachments={"desa.csv": DESA_CSV, "bansos.csv": BANSOS_CSV})
    assert form.missing_files == ()
    state = session.start(form, NOW)
    state = session.answer(form, state, "plumbon", NOW)
    step = session.current(form, state, NOW)
    assert [ch.label for ch in session.choices(form, state, step, NOW)] == ["Bode Lor", "Gombang"]
    state = session.answer(form, state, "gombang", NOW)
    assert session.label(form, state, session.current(form, state, NOW), NOW) == "Bantuan desa ini: Rp 25 juta"


def test_a_list_csv_not_attached_is_named_and_a_pulldata_csv_not_attached_refuses_the_form():
    form = read_xlsform(xlsform(BANTUAN_SURVEY[:2], BANTUAN_CHOICES))
    assert form.missing_files == ("desa.csv",)
    with pytest.raises(FormRejected) as refused:
        read_xlsform(BANTUAN, attachments={"desa.csv": DESA_CSV})
    [problem] = refused.value.problems
    assert "baris 4" in problem and "bansos.csv" in problem and "ZIP" in problem


def test_a_pulldata_whose_file_is_not_written_in_quotes_is_refused():
    with pytest.raises(FormRejected) as refused:
        read_xlsform(xlsform([q("text", "f", "File"), q("calculate", "x", calculation="pulldata(${f}, 'a', 'b', 1)")]))
    assert "baris 3" in refused.value.problems[0] and "tanda kutip" in refused.value.problems[0]


def test_select_multiple_from_a_simple_xml_file():
    form = read_xlsform(
        xlsform([q("select_multiple_from_file bantuan.xml", "bantuan", "Bantuan yang diterima")]),
        attachments={"Bantuan.XML": b"<root><item><name>pkh</name><label>PKH</label></item>"
                     b"<item><name>bpnt</name><label>BPNT</label></item></root>"},
    )  # fmt: skip
    state = session.start(form, NOW)
    assert [ch.label for ch in session.choices(form, state, session.current(form, state, NOW), NOW)] == ["PKH", "BPNT"]


def test_select_one_external_takes_its_choices_from_the_external_choices_sheet():
    book = load_workbook(io.BytesIO(xlsform(
        [q("select_one kec", "kec", "Kecamatan"),
         q("select_one_external desa", "desa", "Desa", choice_filter="kec = ${kec}")],
        BANTUAN_CHOICES,
    )))  # fmt: skip
    sheet = book.create_sheet("external_choices")
    for row in (["list_name", "name", "label", "kec"], ["desa", "bode", "Bode Lor", "plumbon"],
                ["desa", "ciledug", "Ciledug", "waled"]):  # fmt: skip
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    form = read_xlsform(out.getvalue())
    state = session.answer(form, session.start(form, NOW), "waled", NOW)
    assert [ch.name for ch in session.choices(form, state, session.current(form, state, NOW), NOW)] == ["ciledug"]


@pytest.mark.parametrize(
    ("files", "said"),
    [
        ({"../../etc/cron.d/x.csv": b"a", "cek.xlsx": BANTUAN}, "jalur yang tidak diizinkan"),
        ({"/abs.csv": b"a", "cek.xlsx": BANTUAN}, "jalur yang tidak diizinkan"),
        ({f"f{i}.csv": b"a" for i in range(60)} | {"cek.xlsx": BANTUAN}, "terlalu banyak file"),
        ({"bom.csv": b"\0" * (21 * 1024 * 1024), "cek.xlsx": BANTUAN}, "terlalu besar"),
        ({"desa.csv": DESA_CSV}, "tidak ada file formulir"),
    ],
)
def test_an_unsafe_or_useless_zip_is_refused(files, said):
    with pytest.raises(ZipRefused) as refused:
        unzip(zipped(files))
    assert said in refused.value.message


# --- through the chat ------------------------------------------------------------------------------------


async def test_a_zip_with_its_csvs_is_uploaded_published_and_filled_to_the_end(world):
    await approve_sumber(world)
    data = zipped({"cek/cek.xlsx": BANTUAN, "cek/desa.csv": DESA_CSV, "cek/bansos.csv": BANSOS_CSV})
    reply = await send_document(world, ADMIN_1, data, "cek-bantuan.zip")
    assert "Cek bantuan" in reply["text"] and "Lampiran terbaca" in reply["text"]
    assert "bansos.csv" in reply["text"] and "desa.csv" in reply["text"]
    await press(world, ADMIN_1, "Terbitkan")
    await press(world, ADMIN_1, "Sekali (batas 7 hari)")
    await press(world, ADMIN_1, "Semua kecamatan aktif")
    await follow_notice(world, ANGGOTA, "Cek bantuan")
    assert "Kecamatan" in last(world, ANGGOTA)["text"]
    await press(world, ANGGOTA, "Plumbon")
    assert "Desa" in last(world, ANGGOTA)["text"]
    assert set(buttons(last(world, ANGGOTA))) >= {"Bode Lor", "Gombang"}
    assert "Waled Kota" not in buttons(last(world, ANGGOTA))
    await press(world, ANGGOTA, "Bode Lor")
    assert "Bantuan desa ini: Rp 36 juta" in last(world, ANGGOTA)["text"]
    await press(world, ANGGOTA, "Lanjut")
    await answer(world, ANGGOTA, "14")
    await press(world, ANGGOTA, "Kirim")
    assert "Cek bantuan #1 sudah terkirim" in last(world, ANGGOTA)["text"]
    [form] = await xlsforms.all_forms(world.bot.db)
    [submission] = await xlsforms.submissions(world.bot.db, form.id)
    answers = submission.data["answers"]
    assert submission.kecamatan_code == SUMBER
    assert (answers["kec"], answers["desa"], answers["jumlah"], answers["kk"]) == (
        "plumbon",
        "bode",
        "Rp 36 juta",
        "14",
    )


async def test_a_csv_sent_after_the_workbook_is_attached_and_the_form_can_then_be_tried(world):
    data = xlsform(BANTUAN_SURVEY[:2] + BANTUAN_SURVEY[4:], BANTUAN_CHOICES,
                   {"form_title": "Kunjungan desa", "form_id": "kunjungan", "version": "1"})  # fmt: skip
    reply = await send_xlsx(world, ADMIN_1, data, name="kunjungan.xlsx")
    assert "memerlukan file lampiran" in reply["text"] and "desa.csv" in reply["text"] and "30 menit" in reply["text"]
    assert not buttons(reply)
    world.clock.advance(timedelta(minutes=10))
    reply = await send_document(world, ADMIN_1, DESA_CSV, "desa.csv")
    assert "desa.csv" in reply["text"] and "Kunjungan desa" in reply["text"] and "lengkap" in reply["text"]
    await press(world, ADMIN_1, "Coba isi")
    await press(world, ADMIN_1, "Waled")
    assert list(buttons(last(world, ADMIN_1)))[:1] == ["Waled Kota"]


async def test_a_csv_long_after_any_upload_is_not_attached(world):
    await send_xlsx(world, ADMIN_1, xlsform(BANTUAN_SURVEY[:2], BANTUAN_CHOICES), name="x.xlsx")
    world.clock.advance(timedelta(minutes=31))
    reply = await send_document(world, ADMIN_1, DESA_CSV, "desa.csv")
    assert "tidak dapat dilampirkan" in reply["text"] and "30 menit" in reply["text"]


async def test_a_missing_pulldata_csv_is_named_at_upload_and_nothing_stored(world):
    reply = await send_document(world, ADMIN_1, zipped({"cek.xlsx": BANTUAN, "desa.csv": DESA_CSV}), "cek.zip")
    assert "bansos.csv" in reply["text"] and "tidak ada yang disimpan" in reply["text"]
    assert await xlsforms.all_forms(world.bot.db) == []


async def test_a_malicious_zip_is_refused_politely(world):
    reply = await send_document(world, ADMIN_1, zipped({"../../evil.csv": b"x", "cek.xlsx": BANTUAN}), "cek.zip")
    assert "jalur yang tidak diizinkan" in reply["text"] and "Tidak ada yang disimpan" in reply["text"]
    assert await xlsforms.all_forms(world.bot.db) == []
