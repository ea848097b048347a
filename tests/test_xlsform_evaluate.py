"""XLSForm expressions (bot/xlsform/evaluate.py) against answers, with ODK's meaning, alone (no form file, no bot)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.xlsform.evaluate import ExpressionError, Instance, check, references
from bot.xlsform.model import Choice, Form, Kind, Question, Section

NOW = datetime(2026, 12, 1, 10, 30)

FORM = Form(
    "uji",
    "Uji",
    "1",
    (
        Question("umur", Kind.INTEGER, "Umur", 2),
        Question("nama", Kind.TEXT, "Nama", 3),
        Question("tanggal", Kind.DATE, "Tanggal", 4),
        Question("ppks", Kind.SELECT_MULTIPLE, "PPKS", 5, list_name="ppks"),
        Question("kondisi", Kind.SELECT_ONE, "Kondisi", 6, list_name="kondisi"),
        Section(
            "anggota",
            "Anggota",
            7,
            (Question("an", Kind.TEXT, "Nama anggota", 8), Question("usia", Kind.INTEGER, "Usia", 9)),
            repeat=True,
        ),
        Question("kosong", Kind.TEXT, "Kosong", 11),
    ),
    {
        "ppks": (Choice("lansia", "Lansia"), Choice("anak", "Anak terlantar")),
        "kondisi": (Choice("baik", "Baik"), Choice("cukup", "Cukup")),
    },
)

ANSWERS = {
    "umur": "20",
    "nama": "Siti",
    "tanggal": "2026-11-30",
    "ppks": "lansia anak",
    "kondisi": "baik",
    "anggota[1]/an": "Budi",
    "anggota[1]/usia": "17",
    "anggota[2]/an": "Ani",
    "anggota[2]/usia": "25",
}


def instance(answers: dict[str, str] | None = None, repeats: dict[str, int] | None = None) -> Instance:
    return Instance(FORM, ANSWERS if answers is None else answers, {"anggota": 2} if repeats is None else repeats,
                    now=NOW)  # fmt: skip


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("${umur} > 17", "true"),
        ("${umur} = 20", "true"),
        ("${umur} = '20'", "true"),
        ("${umur} + 1", "21"),
        ("${umur} div 8", "2.5"),
        ("${umur} mod 6", "2"),
        ("-${umur}", "-20"),
        ("selected(${ppks}, 'anak')", "true"),
        ("selected(${ppks}, 'disabilitas')", "false"),
        ("count-selected(${ppks})", "2"),
        ("count-selected(${kosong})", "0"),
        ("today()", "2026-12-01"),
        ("${tanggal} < today()", "true"),
        ("${tanggal} >= today()", "false"),
        ("today() - ${tanggal}", "1"),
        ("${tanggal} = '2026-11-30'", "true"),
        ("regex(${nama}, '^[A-Z][a-z]+$')", "true"),
        ("regex(${nama}, '[0-9]')", "false"),
        ("string-length(${nama})", "4"),
        ("string-length(${kosong})", "0"),
        ("if(${umur} >= 18, 'dewasa', 'anak')", "dewasa"),
        ("coalesce(${kosong}, ${nama})", "Siti"),
        ("coalesce(${nama}, 'x')", "Siti"),
        ("int(7.9)", "7"),
        ("int(-7.9)", "-7"),
        ("int(${umur} div 3)", "6"),
        ("number('12.5') * 2", "25"),
        ("concat(${nama}, ' (', ${umur}, ')')", "Siti (20)"),
        ("jr:choice-name(${kondisi}, '${kondisi}')", "Baik"),
        ("jr:choice-name('anak', '${ppks}')", "Anak terlantar"),
        ("count(${an})", "2"),
        ("sum(${usia})", "42"),
        ("${umur} > 17 and ${nama} != ''", "true"),
        ("${umur} < 10 or selected(${ppks}, 'lansia')", "true"),
        ("not(${kosong} = '')", "false"),
    ],
)
def test_expressions_from_outside_a_repeat(expression: str, expected: str):
    assert instance().string(expression, "kosong") == expected


def test_an_empty_answer_is_an_empty_string_and_arithmetic_on_it_gives_no_value():
    empty = instance({}, {})
    assert empty.boolean("${umur} = ''", "nama")
    assert not empty.boolean("${umur} > 0", "nama")
    assert empty.string("${umur} + 1", "nama") == ""  # NaN is stored as no value
    assert empty.boolean("${nama} = ''", "umur")


def test_dot_is_the_answer_being_checked():
    inst = instance()
    assert inst.boolean(". >= 0 and . <= 120", "umur")
    assert not inst.boolean(". >= 0 and . <= 120", "umur", value="130")
    assert inst.boolean("regex(., '^08[0-9]{8,11}$')", "nama", value="081234567890")
    # The stand-in value is for that one evaluation only.
    assert inst.string("${umur}", "nama") == "20"


def test_inside_a_repeat_a_reference_to_a_sibling_is_this_instance_s_answer():
    inst = instance()
    assert inst.string("${an}", "anggota[1]/usia") == "Budi"
    assert inst.string("${an}", "anggota[2]/usia") == "Ani"
    assert inst.boolean("${usia} < 18", "anggota[1]/an")
    assert not inst.boolean("${usia} < 18", "anggota[2]/an")
    assert inst.string("position(..)", "anggota[2]/an") == "2"
    # Outside the repeat the same reference means every instance.
    assert inst.string("count(${usia}[. >= 18])", "nama") == "1"
    # From inside, a question outside the repeat is the one answer.
    assert inst.string("${umur} - ${usia}", "anggota[1]/an") == "3"


def test_choice_filter_reads_the_choice_columns_and_the_answers():
    question = Question("desa", Kind.SELECT_ONE, "Desa", 12, list_name="desa",
                        choice_filter="kec = ${nama} or kec = 'semua' or name = ${an}")  # fmt: skip
    desa = (
        Choice("d1", "D1", (("kec", "Siti"),)), Choice("d2", "D2", (("kec", "semua"),)),
        Choice("d3", "D3", (("kec", "lain"),)), Choice("Ani", "Ani", (("kec", "lain"),)),
    )  # fmt: skip
    form = Form(FORM.form_id, FORM.title, FORM.version, (*FORM.children, question), {**FORM.choices, "desa": desa})
    inst = Instance(form, ANSWERS, {"anggota": 2}, now=NOW)
    assert [c.name for c in inst.allowed_choices(question, "desa")] == ["d1", "d2"]
    # Inside a repeat, ${an} is the instance's own answer.
    inner = Question("pilih", Kind.SELECT_ONE, "Pilih", 10, list_name="desa", choice_filter="name = ${an}")
    repeat = Section("anggota", "Anggota", 7, (*FORM.children[5].children, inner), repeat=True)
    form = Form(FORM.form_id, FORM.title, FORM.version, (*FORM.children[:5], repeat, FORM.children[6]),
                {**FORM.choices, "desa": desa})  # fmt: skip
    inst = Instance(form, ANSWERS, {"anggota": 2}, now=NOW)
    assert [c.name for c in inst.allowed_choices(inner, "anggota[2]/pilih")] == ["Ani"]


def test_references_lists_the_names_read():
    assert references("${a} + ${b} > ${a}") == ["a", "b", "a"]


@pytest.mark.parametrize("expression", [". >> 3", "${a} +", "if(1, 2)", "selected(${a})", "tidak_ada(1)", "'abc"])
def test_check_refuses_what_does_not_parse(expression: str):
    with pytest.raises(ExpressionError):
        check(expression)


@pytest.mark.parametrize("expression", [". > 0", "selected(${a}, 'x') and ${b} != ''", "jr:choice-name(${a}, '${a}')"])
def test_check_accepts_xlsform_expressions(expression: str):
    check(expression)


def test_python_is_never_evaluated():
    with pytest.raises(ExpressionError):
        check("__import__('os').system('true')")


# --- properties --------------------------------------------------------------------------------------------

numbers = st.integers(min_value=-(10**6), max_value=10**6)


@given(a=numbers, b=numbers)
def test_arithmetic_and_comparison_of_answers_agree_with_integers(a: int, b: int):
    inst = Instance(FORM, {"umur": str(a), "usia": "", "nama": str(b)}, {}, now=NOW)
    assert inst.string("${umur} + ${nama}", "kosong") == str(a + b)
    assert inst.string("${umur} - ${nama}", "kosong") == str(a - b)
    assert inst.string("${umur} * ${nama}", "kosong") == str(a * b)
    assert inst.boolean("${umur} < ${nama}", "kosong") == (a < b)
    assert inst.boolean("${umur} = ${nama}", "kosong") == (a == b)


@given(
    chosen=st.lists(st.sampled_from(["lansia", "anak", "difabel", "yatim"]), unique=True),
    wanted=st.sampled_from(["lansia", "anak", "difabel", "yatim"]),
)
def test_selected_and_count_selected_agree_with_the_chosen_set(chosen: list[str], wanted: str):
    inst = Instance(FORM, {"ppks": " ".join(chosen)}, {}, now=NOW)
    assert inst.boolean(f"selected(${{ppks}}, '{wanted}')", "kosong") == (wanted in chosen)
    assert inst.string("count-selected(${ppks})", "kosong") == str(len(chosen))


@given(day=st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)))
def test_dates_compare_and_subtract_as_days(day: date):
    inst = Instance(FORM, {"tanggal": day.isoformat()}, {}, now=NOW)
    assert inst.boolean("${tanggal} <= today()", "kosong") == (day <= NOW.date())
    assert inst.string("today() - ${tanggal}", "kosong") == str((NOW.date() - day).days)
    assert inst.boolean("${tanggal} > today() - 7", "kosong") == (day > NOW.date() - timedelta(days=7))


@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40))
def test_string_length_counts_characters_of_any_answer(text: str):
    inst = Instance(FORM, {"nama": text}, {}, now=NOW)
    assert inst.string("string-length(${nama})", "kosong") == str(len(text))


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("round(${umur} div 3, 2)", "6.67"),
        ("round(-2.5)", "-2"),
        ("round(-2.25, 1)", "-2.3"),
        ("abs(-3)", "3"),
        ("pow(2, 3)", "8"),
        ("substr(${nama}, 1, 3)", "it"),
        ("substr(${nama}, 2)", "ti"),
        ("format-date(${tanggal}, '%d %b %Y')", "30 Nov 2026"),
        ("format-date(${tanggal}, '%a, %e/%n/%y')", "Sen, 30/11/26"),
        ("format-date(${kosong}, '%Y')", ""),
    ],
)
def test_more_odk_functions_round_abs_pow_substr_format_date(expression, expected):
    check(expression)
    assert instance().string(expression, "umur") == expected
