"""Issue 18, metadata and aliases: metadata filled and never asked, every pyxform alias of a type the engine asks
read as that type, and datetime asked as one typed answer and stored as ODK stores it."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from io import StringIO
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from bot.xlsform.answers import parse_typed
from bot.xlsform.export import _answer_columns
from bot.xlsform.model import Kind
from bot.xlsform.read import read_xlsform
from storage import xlsforms
from tests.conftest import ADMIN_1, KETUA, World
from tests.support.xlsforms import c, q, xlsform
from tests.test_forms import buttons, last, press
from tests.test_registration import approve_sumber
from tests.test_xlsform_bot import answer, follow_notice, send_xlsx, upload_and_publish

# Every alias pyxform's question_type_dictionary (and aliases.py) knows for a type the engine asks or fills.
ALIASES = {
    "string": Kind.TEXT, "q string": Kind.TEXT, "add text prompt": Kind.TEXT, "phone number": Kind.TEXT,
    "int": Kind.INTEGER, "q int": Kind.INTEGER, "add integer prompt": Kind.INTEGER, "percentage": Kind.INTEGER,
    "number of days in last month": Kind.INTEGER, "number of days in last six months": Kind.INTEGER,
    "number of days in last year": Kind.INTEGER,
    "q decimal": Kind.DECIMAL, "add decimal prompt": Kind.DECIMAL,
    "q date": Kind.DATE, "add date prompt": Kind.DATE,
    "datetime": Kind.DATETIME, "dateTime": Kind.DATETIME, "date time": Kind.DATETIME, "q dateTime": Kind.DATETIME,
    "q date time": Kind.DATETIME, "add dateTime prompt": Kind.DATETIME, "add date time prompt": Kind.DATETIME,
    "select1 yn": Kind.SELECT_ONE, "select one yn": Kind.SELECT_ONE, "select one from yn": Kind.SELECT_ONE,
    "add select one prompt using yn": Kind.SELECT_ONE,
    "select_multiple yn": Kind.SELECT_MULTIPLE, "select all that apply yn": Kind.SELECT_MULTIPLE,
    "select all that apply from yn": Kind.SELECT_MULTIPLE, "add select multiple prompt using yn": Kind.SELECT_MULTIPLE,
    "image": Kind.IMAGE, "q picture": Kind.IMAGE, "q image": Kind.IMAGE, "add image prompt": Kind.IMAGE,
    "gps": Kind.GEOPOINT, "location": Kind.GEOPOINT, "q location": Kind.GEOPOINT, "q geopoint": Kind.GEOPOINT,
    "add location prompt": Kind.GEOPOINT,
    "q note": Kind.NOTE, "add note prompt": Kind.NOTE,
    "trigger": Kind.ACKNOWLEDGE, "q acknowledge": Kind.ACKNOWLEDGE, "add acknowledge prompt": Kind.ACKNOWLEDGE,
    "start time": Kind.START, "get start time": Kind.START,
    "end time": Kind.END, "get end time": Kind.END,
    "get today": Kind.TODAY,
    "uri:username": Kind.USERNAME,
    "deviceid": Kind.DEVICEID, "imei": Kind.DEVICEID, "device id": Kind.DEVICEID, "get device id": Kind.DEVICEID,
    "uri:deviceid": Kind.DEVICEID,
    "phonenumber": Kind.PHONENUMBER, "get phone number": Kind.PHONENUMBER, "uri:phonenumber": Kind.PHONENUMBER,
    "email": Kind.EMAIL, "uri:email": Kind.EMAIL,
    "subscriberid": Kind.SUBSCRIBERID, "subscriber id": Kind.SUBSCRIBERID, "get subscriber id": Kind.SUBSCRIBERID,
    "uri:subscriberid": Kind.SUBSCRIBERID,
    "simserial": Kind.SIMSERIAL, "sim id": Kind.SIMSERIAL, "get sim id": Kind.SIMSERIAL,
    "uri:simserial": Kind.SIMSERIAL,
}  # fmt: skip


@pytest.mark.parametrize("alias", ALIASES)
def test_every_alias_pyxform_knows_is_read_as_its_type(alias):
    form = read_xlsform(xlsform([q("text", "a", "A"), q(alias, "x", "X")], [c("yn", "ya", "Ya"), c("yn", "t", "T")]))
    assert form.question("x").kind is ALIASES[alias]


@pytest.mark.parametrize("alias", ["q calculate", "add calculate prompt"])
def test_calculate_aliases_are_calculates(alias):
    form = read_xlsform(xlsform([q("text", "a", "A"), q(alias, "x", calculation="string-length(${a})")]))
    assert form.question("x").kind is Kind.CALCULATE and form.question("x").calculation


def test_a_phone_number_question_keeps_pyxforms_digits_only_constraint():
    form = read_xlsform(xlsform([q("phone number", "hp", "Nomor HP")]))
    assert form.question("hp").constraint == r"regex(., '^\d*$')"


META = xlsform(
    [
        q("start", "mulai"),
        q("deviceid", "perangkat"),
        q("imei", "imei"),
        q("username", "pengguna"),
        q("phonenumber", "telepon"),
        q("email", "surel"),
        q("subscriberid", "pelanggan"),
        q("simserial", "sim"),
        q("audit", "audit"),
        q("string", "nama", "Nama kegiatan"),
        q("int", "peserta", "Jumlah peserta", constraint=". > 0"),
        q("select1 jenis", "jenis", "Jenis kegiatan"),
        q("dateTime", "waktu", "Waktu kegiatan", constraint=". <= now()",
          **{"constraint_message::Indonesian (id)": "Waktu kegiatan tidak boleh di masa depan"}),
        q("string", "terlambat", "Mengapa baru dilaporkan?", relevant="${waktu} < today()"),
        q("gps", "lokasi", "Lokasi kegiatan"),
        q("trigger", "setuju", "Data ini benar"),
    ],
    [c("jenis", "rapat", "Rapat"), c("jenis", "bakti", "Bakti sosial")],
    {"form_title": "Laporan kegiatan", "form_id": "kegiatan_meta", "version": "1"},
)  # fmt: skip


async def fill_meta(world: World, user: int) -> None:
    """Each question answered a minute after the one before (the audit's times come from the FakeClock)."""
    assert "Nama kegiatan" in last(world, user)["text"]
    world.clock.advance(timedelta(minutes=1))
    assert "Jumlah peserta" in await answer(world, user, "Rapat pengurus")
    world.clock.advance(timedelta(minutes=1))
    await answer(world, user, "12")
    world.clock.advance(timedelta(minutes=1))
    await press(world, user, "Rapat")
    shown = last(world, user)["text"]
    assert "Waktu kegiatan" in shown and "28/11/2026 14.30" in shown  # how to type it, when the form gives no hint
    assert "Jamnya belum ada" in await answer(world, user, "22/11/2026")
    assert "tidak dikenali" in await answer(world, user, "kemarin sore")
    assert "tidak boleh di masa depan" in await answer(world, user, "28/11/2026 14.30")
    world.clock.advance(timedelta(minutes=1))
    assert "Mengapa baru dilaporkan?" in await answer(world, user, "22/11/2026 pukul 14.30")
    world.clock.advance(timedelta(minutes=1))
    assert "Lokasi kegiatan" in await answer(world, user, "Menunggu laporan desa")
    world.clock.advance(timedelta(minutes=1))
    assert "Data ini benar" in await answer(world, user, "-6.72, 108.55")
    world.clock.advance(timedelta(minutes=1))
    await press(world, user, "OK")


async def test_metadata_is_filled_never_asked_and_datetime_is_stored_as_odk_does(world):
    await approve_sumber(world)
    await upload_and_publish(world, META, "kegiatan.xlsx")
    await follow_notice(world, KETUA, "Laporan kegiatan")
    seen = len(world.fake.messages(KETUA))
    await fill_meta(world, KETUA)
    summary = last(world, KETUA)["text"]
    assert "Waktu kegiatan: 22 November 2026 pukul 14.30" in summary
    for name in ("perangkat", "imei", "pengguna", "telepon", "surel", "pelanggan", "sim", "audit"):
        assert not any(name in m.get("text", "") for m in world.fake.messages(KETUA)[seen - 1 :]), name
    await press(world, KETUA, "Kirim")
    assert "Laporan kegiatan #1 sudah terkirim" in last(world, KETUA)["text"]

    [form] = [f for f in await xlsforms.all_forms(world.bot.db) if f.form_id == "kegiatan_meta"]
    [submission] = await xlsforms.submissions(world.bot.db, form.id)
    answers = submission.data["answers"]
    assert answers["perangkat"] == answers["imei"] == f"telegram:{KETUA}"
    assert answers["pengguna"] == "Asep (@asep_kt)"
    assert [answers[n] for n in ("telepon", "surel", "pelanggan", "sim")] == ["", "", "", ""]
    assert (answers["nama"], answers["peserta"], answers["jenis"]) == ("Rapat pengurus", "12", "rapat")
    assert answers["waktu"] == "2026-11-22T14:30:00.000+07:00"
    assert answers["lokasi"] == "-6.72 108.55 0 0" and answers["terlambat"] == "Menunggu laporan desa"

    audit = list(csv.reader(StringIO(answers["audit"])))
    assert audit[0] == ["question", "answered_at"]
    assert audit[1:] == [
        ["nama", "2026-11-23T09:01:00.000+07:00"],
        ["peserta", "2026-11-23T09:02:00.000+07:00"],
        ["jenis", "2026-11-23T09:03:00.000+07:00"],
        ["waktu", "2026-11-23T09:04:00.000+07:00"],
        ["terlambat", "2026-11-23T09:05:00.000+07:00"],
        ["lokasi", "2026-11-23T09:06:00.000+07:00"],
        ["setuju", "2026-11-23T09:07:00.000+07:00"],
    ]


async def test_the_admin_is_told_only_the_asked_questions(world):
    reply = await send_xlsx(world, ADMIN_1, META, "kegiatan.xlsx")
    assert "Laporan kegiatan" in reply["text"] and "Pertanyaan: 7" in reply["text"]
    assert set(buttons(reply)) == {"Coba isi", "Terbitkan"}


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("28/11/2026 14.30", "2026-11-28T14:30:00.000+07:00"),
        ("28 Nov 2026 jam 9:15 WIB", "2026-11-28T09:15:00.000+07:00"),
        ("hari ini pukul 08.00", "2026-11-23T08:00:00.000+07:00"),
        ("kemarin, 16.45", "2026-11-22T16:45:00.000+07:00"),
        ("sekarang", "2026-11-23T09:00:00.000+07:00"),
    ],
)
def test_a_datetime_is_typed_as_date_and_time_in_wib(typed, stored):
    form = read_xlsform(xlsform([q("datetime", "waktu", "Waktu")]))
    now = datetime(2026, 11, 23, 9, 0, 12, tzinfo=ZoneInfo("Asia/Jakarta"))
    assert parse_typed(form.question("waktu"), typed, now) == stored


def test_a_datetime_is_exported_as_its_wib_wall_time():
    form = read_xlsform(xlsform([q("datetime", "waktu", "Waktu")]))
    [column] = _answer_columns(form, ())
    submitted = SimpleNamespace(answers={"waktu": "2026-11-22T14:30:00.000+07:00"})
    assert column.value({"submission": submitted, "prefix": ""}) == datetime(2026, 11, 22, 14, 30)
