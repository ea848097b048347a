"""Reading an uploaded XLSForm (bot/xlsform/read.py) into the form model, and every way a file is refused."""

from __future__ import annotations

import pytest

from bot.xlsform.model import Kind, Section
from bot.xlsform.read import FormRejected, read_xlsform
from tests.support.xlsforms import c, q, xlsform


def rejected(data: bytes) -> list[str]:
    with pytest.raises(FormRejected) as caught:
        read_xlsform(data)
    return caught.value.problems


def test_a_form_reads_into_questions_sections_and_choices_with_its_settings():
    form = read_xlsform(
        xlsform(
            [
                q("start", "mulai"),
                q("text", "nama", "Nama ketua", required="yes"),
                q("begin_group", "lokasi", "Lokasi"),
                q("select_one kec", "kec", "Kecamatan"),
                q("select_one desa", "desa", "Desa", choice_filter="kec = ${kec}"),
                q("end_group", ""),
                q("begin_repeat", "anggota", "Anggota"),
                q(
                    "integer",
                    "umur",
                    "Umur",
                    constraint=". >= 0",
                    **{"constraint_message::Indonesian (id)": "Umur salah"},
                ),
                q("end_repeat", ""),
                q("calculate", "dua", calculation="2 * 2"),
            ],
            [c("kec", "a", "Kec A"), c("desa", "a1", "Desa A1", kec="a"), c("desa", "b1", "Desa B1", kec="b")],
            {"form_title": "Pendataan", "form_id": "pendataan", "version": "2026120101"},
        )
    )
    assert (form.title, form.form_id, form.version) == ("Pendataan", "pendataan", "2026120101")
    assert [qq.name for qq in form.questions()] == ["mulai", "nama", "kec", "desa", "umur", "dua"]
    assert [(s.name, s.repeat) for s in form.sections()] == [("lokasi", False), ("anggota", True)]
    nama = form.question("nama")
    assert (nama.kind, nama.label, nama.required, nama.row) == (Kind.TEXT, "Nama ketua", "true()", 3)
    assert (form.question("umur").constraint, form.question("umur").constraint_message) == (". >= 0", "Umur salah")
    assert form.question("desa").choice_filter == "kec = ${kec}"
    assert [(ch.name, dict(ch.extra)) for ch in form.choice_list(form.question("desa"))] == [
        ("a1", {"kec": "a"}),
        ("b1", {"kec": "b"}),
    ]
    assert form.question("mulai").kind is Kind.START and not form.question("mulai").asked
    assert [s.name for s in form.sections_around("umur")] == ["anggota"]


def test_the_indonesian_label_wins_over_other_languages_and_the_default():
    form = read_xlsform(
        xlsform(
            [
                {
                    "type": "select_one ya",
                    "name": "setuju",
                    "label::English (en)": "Agree?",
                    "label::Indonesian (id)": "Setuju?",
                    "hint::Indonesian (id)": "Pilih satu",
                    "hint::English (en)": "Pick one",
                }
            ],
            [{"list_name": "ya", "name": "y", "label::English (en)": "Yes", "label::Indonesian (id)": "Ya"}],
            {"form_title": "T", "form_id": "t", "version": "1", "default_language": "English (en)"},
        )
    )
    question = form.question("setuju")
    assert (question.label, question.hint) == ("Setuju?", "Pilih satu")
    assert form.choice_list(question)[0].label == "Ya"


def test_or_other_adds_an_indonesian_other_choice_and_a_text_question_shown_when_it_is_picked():
    form = read_xlsform(xlsform([q("select_multiple p or_other", "ppks", "PPKS")], [c("p", "lansia", "Lansia")]))
    assert [ch.label for ch in form.choice_list(form.question("ppks"))] == ["Lansia", "Lainnya"]
    other = form.question("ppks_other")
    assert other.relevant == "selected(${ppks}, 'other')"
    assert other.label == "Sebutkan lainnya"


def test_repeat_count_becomes_the_repeat_s_count_expression():
    form = read_xlsform(
        xlsform(
            [
                q("integer", "n", "Berapa?"),
                q("begin_repeat", "r", "R", repeat_count="${n}"),
                q("text", "x", "X"),
                q("end_repeat", ""),
            ]
        )
    )
    repeat = form.node("r")
    assert isinstance(repeat, Section) and repeat.repeat_count == "${n}"


def test_a_type_the_chat_cannot_ask_is_left_out_naming_its_row_and_the_rest_is_read():
    form = read_xlsform(xlsform([q("text", "a", "A"), q("osm", "peta", "Peta"), q("barcode", "kode", "Kode")]))
    assert [x.name for x in form.questions()] == ["a", "kode"]
    assert form.ignored == (
        "Lembar survey, baris 3, kolom type: jenis 'osm' ('peta') belum bisa diisi lewat chat; pertanyaan ini "
        "dilewati.",
    )


def test_duplicate_names_are_refused_even_in_different_groups():
    problems = rejected(
        xlsform([q("begin_group", "g", "G"), q("text", "a", "A"), q("end_group", ""), q("text", "a", "B")])
    )
    assert problems == [
        "Lembar survey, baris 5, kolom name: nama 'a' sudah dipakai pertanyaan lain; setiap nama harus unik."
    ]


def test_pyxform_refusals_come_in_indonesian_with_sheet_row_and_column():
    assert rejected(xlsform([q("text", "a", "A"), q("text", "a", "B")])) == [
        "Lembar survey, baris 3, kolom name: nama 'a' sudah dipakai pertanyaan lain; setiap nama harus unik."
    ]
    assert rejected(xlsform([q("text", "b", "B"), q("txet", "a", "A")])) == [
        "Lembar survey, baris 3, kolom type: jenis pertanyaan 'txet' tidak dikenal."
    ]
    assert rejected(xlsform([q("integer", "a", "A", relevant="${zz} > 3")])) == [
        "Lembar survey, baris 2, kolom relevant: merujuk ${zz}, padahal tidak ada pertanyaan bernama 'zz'."
    ]
    assert rejected(xlsform([q("begin_group", "g", "G"), q("text", "a", "A")])) == [
        "Lembar survey, baris 2, kolom type: 'begin_group' tanpa pasangan penutupnya."
    ]


def test_an_expression_that_does_not_parse_is_refused_naming_row_and_column():
    (problem,) = rejected(xlsform([q("text", "t", "T"), q("integer", "a", "A", constraint=". >> 3")]))
    assert problem.startswith("Lembar survey, baris 3, kolom constraint: rumus '. >> 3' tidak bisa dibaca")


def test_a_calculate_that_refers_to_itself_is_refused():
    assert rejected(xlsform([q("text", "t", "T"), q("calculate", "a", calculation="${a} + 1")])) == [
        "Lembar survey, baris 3, kolom calculation: calculate 'a' merujuk dirinya sendiri."
    ]
    assert rejected(
        xlsform(
            [q("text", "t", "T"), q("calculate", "a", calculation="${b} + 1"), q("calculate", "b", calculation="${a}")]
        )
    ) == ["Lembar survey, baris 3, kolom calculation: calculate saling merujuk: a → b → a."]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Nama,Umur\nA,1\n", "bukan file Excel .xlsx"),
        (b"PK\x03\x04 not really a zip", "bukan file Excel .xlsx"),
        (b"PK\x03\x04" + b"x" * (2 * 1024 * 1024), "File terlalu besar (2,0 MB); batasnya 2 MB"),
    ],
)
def test_bad_files_get_one_clear_message(data: bytes, message: str):
    (problem,) = rejected(data)
    assert message in problem


def test_a_workbook_without_a_survey_sheet_is_refused():
    assert rejected(xlsform([q("text", "a", "A")], survey_sheet="surve", choices=[c("x", "a", "A")])) == [
        "Formulir harus punya lembar (sheet) bernama 'survey'."
    ]


def test_a_form_of_only_calculations_has_nothing_to_ask():
    assert rejected(xlsform([q("calculate", "a", calculation="1")])) == [
        "Formulir tidak berisi satu pun pertanyaan yang bisa ditanyakan."
    ]


def test_the_rejection_message_lists_the_problems_and_says_nothing_was_saved():
    with pytest.raises(FormRejected) as caught:
        read_xlsform(xlsform([q("text", "a", "A"), q("text", "a", "B")]))
    message = caught.value.message
    assert message.startswith("Formulir belum bisa dipakai; tidak ada yang disimpan atau diterbitkan.")
    assert "• Lembar survey, baris 3, kolom name: nama 'a'" in message
