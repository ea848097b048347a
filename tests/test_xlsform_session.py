"""The conversation model (bot/xlsform/session.py) alone: no Telegram, no database, a fixed clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.forms.parse import Invalid
from bot.xlsform import session
from bot.xlsform.answers import match_choice, parse_typed
from bot.xlsform.model import Form
from bot.xlsform.read import read_xlsform
from bot.xlsform.session import Refused, State
from tests.support.xlsforms import c, q, xlsform

NOW = datetime(2026, 12, 1, 10, 30, tzinfo=ZoneInfo("Asia/Jakarta"))


def form_of(survey, choices=None) -> Form:
    return read_xlsform(xlsform(survey, choices))


def test_questions_come_in_order_and_the_summary_after_the_last():
    form = form_of([q("text", "a", "A"), q("integer", "b", "B"), q("note", "n", "Terima kasih")])
    state = session.start(form, NOW)
    assert state.current == "a"
    state = session.answer(form, state, "x", NOW)
    assert state.current == "b"
    state = session.answer(form, state, "3", NOW)
    assert state.current == "n"
    state = session.keep(form, state, NOW)
    assert state.current is None
    assert [(line.label, line.value) for line in session.summary(form, state, NOW)] == [("A", "x"), ("B", "3")]


def test_required_and_constraint_refuse_with_the_form_s_own_message():
    form = form_of(
        [
            q("integer", "umur", "Umur", required="yes", constraint=". >= 0 and . <= 120",
              **{"constraint_message::Indonesian (id)": "Umur 0 sampai 120", "required_message::Indonesian (id)":
                 "Umur wajib diisi"}),
            q("text", "catatan", "Catatan", required="yes"),
        ]
    )  # fmt: skip
    state = session.start(form, NOW)
    with pytest.raises(Refused, match="Umur 0 sampai 120"):
        session.answer(form, state, "130", NOW)
    with pytest.raises(Refused, match="Umur wajib diisi"):
        session.answer(form, state, "", NOW)
    state = session.answer(form, state, "30", NOW)
    with pytest.raises(Refused, match="Pertanyaan ini wajib dijawab"):
        session.answer(form, state, "", NOW)


def test_relevant_skips_a_question_and_an_answer_that_became_irrelevant_is_dropped():
    form = form_of(
        [
            q("select_one yn", "punya", "Punya usaha?"),
            q("text", "usaha", "Nama usaha", relevant="${punya} = 'ya'", required="yes"),
            q("text", "akhir", "Akhir"),
        ],
        [c("yn", "ya", "Ya"), c("yn", "tidak", "Tidak")],
    )
    state = session.start(form, NOW)
    state = session.answer(form, state, "tidak", NOW)
    assert state.current == "akhir"  # the required question was hidden and not asked
    state = session.back(form, state, NOW)
    state = session.answer(form, state, "ya", NOW)
    assert state.current == "usaha"
    state = session.answer(form, state, "Warung", NOW)
    state = session.answer(form, state, "ok", NOW)
    assert state.current is None and state.answers["usaha"] == "Warung"
    state = session.edit(form, state, "punya", NOW)
    state = session.answer(form, state, "tidak", NOW)
    assert "usaha" not in state.answers
    assert [line.key for line in session.summary(form, state, NOW)] == ["punya", "akhir"]
    assert state.current is None


def test_kembali_goes_to_the_previous_shown_question_not_the_skipped_one():
    form = form_of([q("integer", "a", "A"), q("text", "b", "B", relevant="${a} > 10"), q("text", "c", "C")])
    state = session.start(form, NOW)
    state = session.answer(form, state, "5", NOW)
    assert state.current == "c"
    state = session.back(form, state, NOW)
    assert state.current == "a"
    with pytest.raises(Refused, match="pertanyaan pertama"):
        session.back(form, state, NOW)


def test_a_repeat_asks_tambah_lagi_and_keeps_each_instance_apart():
    form = form_of(
        [
            q("begin_repeat", "anggota", "Anggota"),
            q("text", "nama", "Nama"),
            q("integer", "umur", "Umur ${nama}"),
            q("end_repeat", ""),
            q("calculate", "jumlah", calculation="count(${nama})"),
            q("note", "total", "Jumlah anggota: ${jumlah}"),
        ]
    )
    state = session.start(form, NOW)
    state = session.answer(form, state, "Budi", NOW)
    assert session.label(form, state, session.current(form, state, NOW), NOW) == "Umur Budi"
    state = session.answer(form, state, "17", NOW)
    assert state.current == "anggota#add1"
    state = session.more(form, state, True, NOW)
    assert state.current == "anggota[2]/nama"
    state = session.answer(form, state, "Ani", NOW)
    state = session.answer(form, state, "25", NOW)
    state = session.more(form, state, False, NOW)
    assert state.current == "total"
    assert session.label(form, state, session.current(form, state, NOW), NOW) == "Jumlah anggota: 2"
    assert state.answers["anggota[2]/nama"] == "Ani" and state.answers["jumlah"] == "2"
    labels = [line.label for line in session.summary(form, state, NOW)]
    assert labels[:2] == ["Anggota 1 › Nama", "Anggota 1 › Umur Budi"]


def test_each_instance_added_by_tambah_lagi_gets_the_question_s_default():
    form = form_of([q("begin_repeat", "anggota", "Anggota"), q("text", "status", "Status", default="serumah"),
                    q("end_repeat", "")])  # fmt: skip
    state = session.start(form, NOW)
    assert state.answers["anggota[1]/status"] == "serumah"
    state = session.answer(form, state, "merantau", NOW)
    state = session.more(form, state, True, NOW)
    assert state.answers["anggota[2]/status"] == "serumah" and state.answers["anggota[1]/status"] == "merantau"


def test_expression_defaults_are_evaluated_when_the_form_and_each_instance_start():
    form = form_of([q("date", "tgl", "Tanggal", default="today()"), q("integer", "n", "N", default="2 + 3"),
                    q("text", "kota", "Kota", default="Cirebon"), q("begin_repeat", "r", "R"),
                    q("integer", "nomor", "Nomor", default="position(..) * 10"), q("end_repeat", "")])  # fmt: skip
    state = session.start(form, NOW)
    assert (state.answers["tgl"], state.answers["n"], state.answers["kota"]) == ("2026-12-01", "5", "Cirebon")
    assert state.answers["r[1]/nomor"] == "10"
    for _ in range(3):
        state = session.keep(form, state, NOW)
    state = session.keep(form, state, NOW)
    state = session.more(form, state, True, NOW)
    assert state.answers["r[2]/nomor"] == "20"


def test_repeat_count_makes_that_many_instances_and_drops_the_rest_when_it_shrinks():
    form = form_of(
        [
            q("integer", "n", "Berapa anak?"),
            q("begin_repeat", "anak", "Anak", repeat_count="${n}"),
            q("text", "nama", "Nama anak"),
            q("end_repeat", ""),
        ]
    )
    state = session.start(form, NOW)
    state = session.answer(form, state, "2", NOW)
    assert state.current == "anak[1]/nama"
    state = session.answer(form, state, "A", NOW)
    state = session.answer(form, state, "B", NOW)
    assert state.current is None
    state = session.edit(form, state, "n", NOW)
    state = session.answer(form, state, "1", NOW)
    assert state.answers.get("anak[2]/nama") is None and state.answers["anak[1]/nama"] == "A"
    assert state.current is None


def test_choice_filter_cascades_and_an_answer_not_allowed_any_more_is_the_person_s_to_fix():
    form = form_of(
        [
            q("select_one kec", "kec", "Kecamatan"),
            q("select_one desa", "desa", "Desa", choice_filter="kec = ${kec}"),
        ],
        [
            c("kec", "sumber", "Sumber"),
            c("kec", "weru", "Weru"),
            c("desa", "s1", "Babakan", kec="sumber"),
            c("desa", "s2", "Kenanga", kec="sumber"),
            c("desa", "w1", "Tegalwangi", kec="weru"),
        ],
    )
    state = session.start(form, NOW)
    state = session.answer(form, state, "weru", NOW)
    step = session.current(form, state, NOW)
    assert [ch.label for ch in session.choices(form, state, step, NOW)] == ["Tegalwangi"]
    state = session.back(form, state, NOW)
    state = session.answer(form, state, "sumber", NOW)
    step = session.current(form, state, NOW)
    assert [ch.label for ch in session.choices(form, state, step, NOW)] == ["Babakan", "Kenanga"]


def test_defaults_are_offered_and_kept_and_metadata_is_filled_in():
    form = form_of(
        [
            q("start", "mulai"),
            q("today", "hari"),
            q("end", "selesai"),
            q("integer", "jumlah", "Jumlah", default="5"),
        ]
    )
    state = session.start(form, NOW)
    assert state.answers["jumlah"] == "5"
    assert state.answers["hari"] == "2026-12-01" and state.answers["mulai"].startswith("2026-12-01T10:30")
    state = session.keep(form, state, NOW)
    submission = session.finish(form, state, NOW + timedelta(minutes=5))
    assert submission["answers"]["jumlah"] == "5"
    assert submission["answers"]["selesai"].startswith("2026-12-01T10:35")


def test_a_required_question_that_became_relevant_blocks_the_finish_and_names_itself():
    form = form_of(
        [
            q("text", "a", "A"),
            q("text", "b", "B", required="yes", relevant="${c} = 'x'"),
            q("text", "c", "C"),
        ]
    )
    state = session.start(form, NOW)
    state = session.answer(form, state, "1", NOW)
    state = session.answer(form, state, "x", NOW)
    # b became relevant after c: it is asked next, and finishing before that is refused.
    assert state.current == "b"
    with pytest.raises(Refused) as refused:
        session.finish(form, state, NOW)
    assert refused.value.step == "b"


def test_the_state_round_trips_through_json():
    form = form_of([q("text", "a", "A"), q("text", "b", "B")])
    state = session.answer(form, session.start(form, NOW), "x", NOW)
    assert State.from_json(state.to_json()) == state


def test_typed_answers_are_read_the_indonesian_way():
    form = form_of(
        [q("integer", "i", "I"), q("decimal", "d", "D"), q("date", "t", "T"), q("time", "j", "J"),
         q("geopoint", "g", "G")]
    )  # fmt: skip
    question = form.question
    assert parse_typed(question("i"), "35 orang", NOW) == "35"
    assert parse_typed(question("i"), "-4", NOW) == "-4"
    assert parse_typed(question("d"), "2,5", NOW) == "2.5"
    assert parse_typed(question("d"), "1.234,5", NOW) == "1234.5"
    assert parse_typed(question("t"), "kemarin", NOW) == "2026-11-30"
    assert parse_typed(question("t"), "25 November 2026", NOW) == "2026-11-25"
    assert parse_typed(question("j"), "09.30", NOW) == "09:30:00.000+07:00"
    assert parse_typed(question("g"), "-6.72, 108.55", NOW) == "-6.72 108.55 0 0"
    for name, bad in (("i", "banyak"), ("d", "dua"), ("t", "31/02/2026"), ("j", "25.00"), ("g", "rumah")):
        with pytest.raises(Invalid):
            parse_typed(question(name), bad, NOW)


def test_a_typed_choice_with_a_small_typo_is_found():
    form = form_of([q("select_one desa", "desa", "Desa")],
                   [c("desa", "d1", "Babakan"), c("desa", "d2", "Kenanga"), c("desa", "d3", "Sumber")])  # fmt: skip
    options = form.choice_list(form.question("desa"))
    assert match_choice(options, "kenanga").name == "d2"
    assert match_choice(options, "Kenangga").name == "d2"
    with pytest.raises(Invalid, match="Pilihan itu tidak ada"):
        match_choice(options, "Jakarta")
