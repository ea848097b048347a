"""The built-in forms as XLSForm (bot/data/xlsforms/): what the bundled workbooks ask, run by the XLSForm engine."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.forms import schema
from bot.forms.fields import FieldType
from bot.forms.parse import Invalid
from bot.program_kerja import lists
from bot.wilayah import kecamatan_by_code
from bot.xlsform import builtin, session
from bot.xlsform.answers import match_choice, parse_typed
from bot.xlsform.read import read_xlsform
from bot.xlsform.session import Refused
from tests.support.xlsforms import c, q, xlsform

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
SUMBER = "32.09.15"


def test_the_laporan_workbook_gives_each_question_its_look():
    laporan = schema.of(builtin.form("laporan"))
    assert laporan.title == "Laporan kegiatan" and not laporan.weekly
    assert [(f.key, f.label, f.type) for f in laporan.fields] == [
        ("nama_kegiatan", "Nama kegiatan", FieldType.TEXT),
        ("bidang", "Bidang", FieldType.CHOICE),
        ("tanggal", "Tanggal kegiatan", FieldType.DATE),
        ("program", "Program kerja", FieldType.PROGRAM),
        ("lokasi", "Lokasi", FieldType.VILLAGE),
        ("jumlah_peserta", "Jumlah peserta", FieldType.COUNT),
        ("ppks", "PPKS yang dilayani", FieldType.MULTI_CHOICE),
        ("jumlah_penerima", "Jumlah penerima manfaat", FieldType.COUNT),
        ("sumber_dana", "Sumber dana", FieldType.CHOICE),
        ("jumlah_dana", "Jumlah dana", FieldType.RUPIAH),
        ("hasil", "Hasil/uraian", FieldType.TEXT),
        ("kendala", "Kendala", FieldType.TEXT),
        ("foto", "Foto dokumentasi", FieldType.PHOTOS),
    ]
    assert laporan.field("nama_kegiatan").example == "Pelatihan sablon untuk remaja"  # from the hint "Contoh: …"
    assert laporan.field("ppks").none_label == "Tidak ada"  # the choice named tidak_ada
    assert "tidak_ada" not in {c.value for c in laporan.field("ppks").choices}
    assert laporan.field("program").none_label == "Di luar program kerja"
    assert not laporan.field("jumlah_dana").required and laporan.field("hasil").narrative


def test_the_evaluasi_is_weekly_and_asks_seven_questions():
    evaluasi = schema.of(builtin.form("evaluasi"))
    assert evaluasi.weekly and evaluasi.title == "Evaluasi mingguan"
    assert [f.key for f in evaluasi.fields] == [
        "jumlah_kegiatan", "capaian", "jumlah_ppks", "kendala", "rencana", "kebutuhan", "kondisi",
    ]  # fmt: skip


def test_a_laporan_version_that_listed_its_villages_itself_still_asks_a_village():
    """Versions 1 and 2 had the villages in a list named desa: a draft opened on them finishes as before."""
    old = xlsform(
        survey=[q("hidden", "kecamatan"),
                q("select_one desa", "lokasi", "Di desa mana?", choice_filter="kec = ${kecamatan}")],
        choices=[c("desa", "32.09.15.1006", "Kaliwadas", kec=SUMBER)],
        settings={"form_id": "laporan", "version": "2"},
    )  # fmt: skip
    assert schema.of(read_xlsform(old)).field("lokasi").type is FieldType.VILLAGE


def test_program_kerja_lists_are_the_bundled_laporan_s():
    laporan = schema.of(builtin.form("laporan"))
    assert laporan.field("bidang").choices == lists.BIDANG
    assert laporan.field("sumber_dana").choices == lists.SUMBER_DANA
    assert laporan.field("ppks").choices == lists.PPKS


def test_the_village_is_a_select_one_of_the_kecamatan_s_desa_and_accepts_a_typo():
    form = builtin.form("laporan")
    state = session.start(form, NOW, {"kecamatan": SUMBER, "username": "Dewi"})
    assert state.answers["kecamatan"] == SUMBER and state.answers["pengisi"] == "Dewi"
    state = session.answer(form, state, "Pelatihan sablon remaja", NOW)
    state = session.answer(form, state, "b01", NOW)
    state = session.answer(form, state, parse_typed(form.question("tanggal"), "kemarin", NOW), NOW)
    step = session.current(form, state, NOW)
    assert step is not None and step.key == "lokasi"
    options = session.choices(form, state, step, NOW)
    sumber = kecamatan_by_code(SUMBER)
    assert sumber is not None
    assert [c.label for c in options] == [v.name for v in sumber.villages] + ["Tingkat kecamatan"]
    assert match_choice(options, "kaliwadass").name == next(v.code for v in sumber.villages if v.name == "Kaliwadas")
    with pytest.raises(Invalid):
        match_choice(options, "Tegalwangi")  # a village of Weru, not of Sumber


def test_the_laporan_keeps_today_s_validation():
    form = builtin.form("laporan")
    state = session.start(form, NOW, {"kecamatan": SUMBER})
    with pytest.raises(Refused, match="minimal 3 dan maksimal 200 karakter"):
        session.answer(form, state, "ab", NOW)
    with pytest.raises(Refused, match="minimal 3 dan maksimal 200 karakter"):
        session.answer(form, state, "x" * 201, NOW)
    state = session.answer(form, state, "Pelatihan sablon remaja", NOW)
    state = session.answer(form, state, "b01", NOW)
    with pytest.raises(Refused, match="masa depan"):
        session.answer(form, state, "2026-11-24", NOW)
    assert parse_typed(form.question("jumlah_dana"), "1,5 juta", NOW) == "1500000"
    ppks = form.question("ppks")
    state = session.answer(form, state, "2026-11-22", NOW)
    state = session.answer(form, state, "kecamatan", NOW)
    state = session.answer(form, state, "35", NOW)
    assert state.current == ppks.name
    with pytest.raises(Refused, match="Tidak ada"):
        session.answer(form, state, "tidak_ada p01", NOW)
