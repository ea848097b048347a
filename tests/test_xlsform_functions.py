"""The ODK XForms function list (https://getodk.github.io/xforms-spec/#xpath-functions) in bot/xlsform/evaluate.py:
one case or more per function through Instance, then the reader accepting forms that use them (and refusing
pulldata() with its row), then whole forms filled through the session controller."""

from __future__ import annotations

import base64
import hashlib
import math
import random
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.xlsform import session
from bot.xlsform.evaluate import Instance, check
from bot.xlsform.model import Choice, Form, Kind, Question, Section
from bot.xlsform.read import FormRejected, read_xlsform
from storage import xlsforms
from tests.conftest import ADMIN_1
from tests.support.xlsforms import c, q, xlsform
from tests.test_xlsform_bot import send_xlsx

NOW = datetime(2026, 12, 1, 10, 30)

FORM = Form(
    "fungsi",
    "Fungsi",
    "1",
    (
        Question("umur", Kind.INTEGER, "Umur", 2),
        Question("nama", Kind.TEXT, "Nama", 3),
        Question("tanggal", Kind.DATE, "Tanggal", 4),
        Question("waktu", Kind.TIME, "Waktu", 5),
        Question("ppks", Kind.SELECT_MULTIPLE, "PPKS", 6, list_name="ppks"),
        Question("kondisi", Kind.SELECT_ONE, "Kondisi", 7, list_name="kondisi"),
        Question("jalur", Kind.TEXT, "Jalur", 8),
        Section(
            "anggota",
            "Anggota",
            9,
            (
                Question("an", Kind.TEXT, "Nama anggota", 10),
                Question("usia", Kind.INTEGER, "Usia", 11),
                Question("titik", Kind.GEOPOINT, "Titik", 12),
            ),
            repeat=True,
        ),
        Question("kosong", Kind.TEXT, "Kosong", 14),
        Question("hasil", Kind.CALCULATE, "", 15),
    ),
    {
        "ppks": (Choice("lansia", "Lansia"), Choice("anak", "Anak terlantar"), Choice("difabel", "Disabilitas")),
        "kondisi": (Choice("baik", "Baik"), Choice("cukup", "Cukup")),
    },
)

ANSWERS = {
    "umur": "20",
    "nama": "Siti Aminah",
    "tanggal": "2026-11-30",
    "waktu": "18:00:00.000",
    "ppks": "lansia anak difabel",
    "kondisi": "cukup",
    # Two points one degree of latitude apart, then back: a trace of about 2 x 111 km.
    "jalur": "-6.7 108.5 0 0;-5.7 108.5 0 0;-6.7 108.5 0 0",
    "anggota[1]/an": "Budi",
    "anggota[1]/usia": "17",
    "anggota[1]/titik": "-6.7 108.5 0 5",
    "anggota[2]/an": "Ani",
    "anggota[2]/usia": "25",
    "anggota[2]/titik": "-6.7 108.6 0 5",
    "anggota[3]/an": "Cici",
    "anggota[3]/usia": "8",
    "anggota[3]/titik": "-6.6 108.6 0 5",
}


def instance(answers: dict[str, str] | None = None, *, rng: random.Random | None = None) -> Instance:
    return Instance(FORM, ANSWERS if answers is None else answers, {"anggota": 3}, now=NOW, rng=rng)


def value(expression: str, at: str = "kosong") -> str:
    return instance().string(expression, at)


CASES = [
    # numbers over repeats
    ("max(${usia})", "25"),
    ("max(3, 9, 4)", "9"),
    ("min(${usia})", "8"),
    ("min(3, ${umur}, 4)", "3"),
    ("max(${kosong})", ""),  # an unanswered value is no number: NaN, stored as no value
    ("sum(${usia})", "50"),
    ("sum(${usia}) div count(${usia})", repr(50 / 3)),
    ("round(2.5)", "3"),
    ("round(2.4)", "2"),
    ("round(3.14159, 2)", "3.14"),
    ("round(1234.5678, -2)", "1200"),
    ("round(2.675, 1)", "2.7"),
    ("pow(2, 10)", "1024"),
    ("pow(${umur}, 0.5)", repr(20**0.5)),
    ("sqrt(16)", "4"),
    ("sqrt(-1)", ""),
    ("exp(0)", "1"),
    ("exp(1)", repr(math.e)),
    ("exp10(3)", "1000"),
    ("log(1)", "0"),
    ("log(0)", ""),
    ("log10(1000)", "3"),
    ("sin(0)", "0"),
    ("cos(0)", "1"),
    ("round(tan(pi() div 4), 6)", "1"),
    ("asin(1) = pi() div 2", "true"),
    ("acos(1)", "0"),
    ("atan(1) * 4 = pi()", "true"),
    ("atan2(1, 1) * 4 = pi()", "true"),
    ("atan2(0, -1) = pi()", "true"),
    ("pi()", repr(math.pi)),
    ("abs(-3.5)", "3.5"),
    ("abs(${umur} - 30)", "10"),
    ("int(3.7)", "3"),
    ("int(-3.7)", "-3"),
    ("number('4.25')", "4.25"),
    ("number('x')", ""),
    ("number(${tanggal})", "20787"),
    # dates and times
    ("date(0)", "1970-01-01"),
    ("date(20000)", "2024-10-04"),
    ("date('2026-11-30')", "2026-11-30"),
    ("date(${tanggal} + 2)", "2026-12-02"),
    ("date(today() - 7)", "2026-11-24"),
    ("date('bukan tanggal')", ""),
    ("date-time(0.5)", "1970-01-01T12:00:00.000"),
    ("date-time('2026-11-30T08:15:00')", "2026-11-30T08:15:00.000"),
    ("decimal-date-time('1970-01-02T12:00:00')", "1.5"),
    ("decimal-date-time('2026-12-01T10:30:00')", repr(20788 + 10.5 / 24)),
    ("decimal-date-time(now()) = decimal-date-time('2026-12-01T10:30:00')", "true"),
    ("decimal-time('12:00:00')", "0.5"),
    ("decimal-time(${waktu})", "0.75"),
    ("decimal-time('25:00')", ""),
    ("format-date('2026-12-01', '%Y-%m-%d')", "2026-12-01"),
    ("format-date(${tanggal}, '%e %b %Y (%a)')", "30 Nov 2026 (Sen)"),
    ("format-date('2026-03-05', '%d/%m/%y %e.%n')", "05/03/26 5.3"),
    ("format-date(today(), '%a %e %b')", "Sel 1 Des"),
    ("format-date(20788, '%Y-%m-%d')", "2026-12-01"),
    ("format-date('kemarin', '%Y')", ""),
    ("format-date-time('2026-12-01T09:05:03.250', '%H:%M:%S.%3 %h')", "09:05:03.250 9"),
    ("format-date-time(now(), '%e/%n/%Y %H:%M')", "1/12/2026 10:30"),
    ("today()", "2026-12-01"),
    ("now()", "2026-12-01T10:30:00.000"),
    # repeats and selects
    ("indexed-repeat(${an}, ${anggota}, 2)", "Ani"),
    ("indexed-repeat(${usia}, ${anggota}, 3) + 1", "9"),
    ("indexed-repeat(${an}, ${anggota}, 4)", ""),
    ("count(${an})", "3"),
    ("count(${usia}[. > 10])", "2"),
    ("count-selected(${ppks})", "3"),
    ("count-selected(${kosong})", "0"),
    ("selected(${ppks}, 'anak')", "true"),
    ("selected(${ppks}, 'an')", "false"),
    ("selected-at(${ppks}, 0)", "lansia"),
    ("selected-at(${ppks}, 2)", "difabel"),
    ("selected-at(${ppks}, 3)", ""),
    ("jr:choice-name(${kondisi}, '${kondisi}')", "Cukup"),
    ("jr:choice-name(selected-at(${ppks}, 1), '${ppks}')", "Anak terlantar"),
    # strings
    ("substr('abcdef', 1, 3)", "bc"),
    ("substr(${nama}, 5)", "Aminah"),
    ("substring-before(${nama}, ' ')", "Siti"),
    ("substring-after(${nama}, ' ')", "Aminah"),
    ("string-length(${nama})", "11"),
    ("contains(${nama}, 'Amin')", "true"),
    ("starts-with(${nama}, 'Siti')", "true"),
    ("starts-with(${nama}, 'Amin')", "false"),
    ("ends-with(${nama}, 'nah')", "true"),
    ("ends-with(${nama}, 'Siti')", "false"),
    ("translate(${nama}, 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')", "SITI AMINAH"),
    ("normalize-space('  Siti    Aminah ')", "Siti Aminah"),
    ("concat(${nama}, ' (', ${umur}, ')')", "Siti Aminah (20)"),
    ("concat(${an})", "Budi"),
    ("join(', ', ${an})", "Budi, Ani, Cici"),
    ("join('-', 'a', ${umur}, 'b')", "a-20-b"),
    ("coalesce(${kosong}, ${nama})", "Siti Aminah"),
    ("if(${umur} >= 18, 'dewasa', 'anak')", "dewasa"),
    ("boolean-from-string('true')", "true"),
    ("boolean-from-string('1')", "true"),
    ("boolean-from-string('false')", "false"),
    ("boolean-from-string('ya')", "false"),
    ("checklist(2, 3, true(), false(), ${nama})", "true"),
    ("checklist(-1, 1, true(), true())", "false"),
    ("checklist(3, -1, ${an})", "true"),
    ("weighted-checklist(3, 5, true(), 2, false(), 10, ${nama}, 1)", "true"),
    ("weighted-checklist(-1, 2, true(), 2, true(), 1)", "false"),
    ("regex(${nama}, '^[A-Z][a-z]+ [A-Z]')", "true"),
    ("count-non-empty(${an})", "3"),
    ("count-non-empty(${kosong})", "0"),
    ("base64-decode('U2l0aSBBbWluYWg=')", "Siti Aminah"),
    ("base64-decode('bukan base64!')", ""),
    ("count(randomize(${an}))", "3"),
    ("join(',', randomize(${an}, 42)) = join(',', randomize(${an}, 42))", "true"),
    # geography
    ("round(distance(${titik}), -2)", "22200"),
    ("round(distance(${jalur}) div 1000)", "223"),
    ("distance('-6.7 108.5 0 0')", "0"),
    ("round(area('0 0 0 0;0 0.01 0 0;0.01 0.01 0 0;0.01 0 0 0;0 0 0 0') div 1000)", "1239"),
    ("area(${kosong})", "0"),
]


@pytest.mark.parametrize(("expression", "expected"), CASES, ids=[e for e, _ in CASES])
def test_each_function_gives_the_spec_s_value(expression: str, expected: str):
    assert value(expression) == expected


@pytest.mark.parametrize(
    ("algorithm", "name"), [("MD5", "md5"), ("SHA-1", "sha1"), ("SHA-256", "sha256"), ("sha256", "sha256"),
                            ("SHA-384", "sha384"), ("SHA-512", "sha512")],
)  # fmt: skip
def test_digest_gives_base64_by_default_and_hex_when_asked(algorithm: str, name: str):
    raw = hashlib.new(name, b"Siti Aminah").digest()
    assert value(f"digest(${{nama}}, '{algorithm}')") == base64.b64encode(raw).decode()
    assert value(f"digest(${{nama}}, '{algorithm}', 'hex')") == raw.hex()
    assert value(f"digest(${{nama}}, '{algorithm}', 'base64')") == base64.b64encode(raw).decode()


def test_digest_of_an_unknown_algorithm_is_an_error():
    with pytest.raises(ValueError, match="digest"):
        value("digest('x', 'CRC32')")


def test_inside_a_repeat_indexed_repeat_reads_another_instance_and_position_its_own():
    assert value("indexed-repeat(${an}, ${anggota}, 1)", "anggota[3]/usia") == "Budi"
    assert value("${an}", "anggota[3]/usia") == "Cici"
    assert value("position(..)", "anggota[2]/usia") == "2"
    assert value("indexed-repeat(${usia}, ${anggota}, position(..) - 1)", "anggota[3]/an") == "25"


def test_uuid_and_random_are_fresh_each_time_and_repeatable_from_a_seed():
    inst = instance()
    first, second = inst.string("uuid()", "kosong"), inst.string("uuid()", "kosong")
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", first)
    assert first != second
    assert re.fullmatch(r"[0-9A-Za-z]{12}", inst.string("uuid(12)", "kosong"))
    numbers = {float(inst.string("random()", "kosong")) for _ in range(20)}
    assert len(numbers) == 20 and all(0 <= n < 1 for n in numbers)
    seeded = [instance(rng=random.Random(7)).string("concat(uuid(), ' ', random())", "kosong") for _ in range(2)]
    assert seeded[0] == seeded[1]


def test_randomize_gives_every_node_once_in_some_order():
    orders = {instance().string("join(',', randomize(${an}))", "kosong") for _ in range(30)}
    assert all(sorted(order.split(",")) == ["Ani", "Budi", "Cici"] for order in orders)
    assert len(orders) > 1


def test_once_keeps_the_node_s_value_and_computes_only_when_it_is_empty():
    assert instance({**ANSWERS, "hasil": ""}).string("once(${nama})", "hasil") == "Siti Aminah"
    assert instance({**ANSWERS, "hasil": "lama"}).string("once(${nama})", "hasil") == "lama"
    assert instance({**ANSWERS, "hasil": "lama"}).string("once(uuid())", "hasil") == "lama"


@pytest.mark.parametrize(
    "expression",
    ["max(${a})", "round(${a}, 1)", "sqrt(${a})", "cos(${a})", "atan(${a})", "atan2(1, ${a})", "pi()",
     "date-time(${a})", "decimal-date-time(${a})", "format-date-time(${a}, '%H')", "once(uuid())", "uuid(8)",
     "indexed-repeat(${a}, ${r}, 1)", "selected-at(${a}, 0)", "ends-with(${a}, 'x')", "join(' ', ${a})",
     "boolean-from-string(${a})", "checklist(1, 2, ${a}, ${a})", "weighted-checklist(1, 2, ${a}, 1)",
     "digest(${a}, 'SHA-1', 'hex')", "distance(${a})", "area(${a})", "count-non-empty(${a})",
     "base64-decode(${a})", "randomize(${a}, 3)"],
)  # fmt: skip
def test_every_new_function_parses(expression: str):
    check(expression)


# --- the reader ----------------------------------------------------------------------------------------------


def test_a_form_using_the_functions_issue_18_found_refused_is_accepted():
    form = read_xlsform(
        xlsform(
            [
                q("decimal", "x", "X"),
                q("calculate", "bulat", calculation="round(${x}, 1)"),
                q("calculate", "akar", calculation="sqrt(abs(${x}))"),
                q("calculate", "sudut", calculation="atan(${x}) + cos(${x}) + sin(${x})"),
                q("calculate", "kode", calculation="once(uuid())"),
                q("calculate", "hash", calculation="digest(${x}, 'SHA-256', 'hex')"),
                q("note", "n", "Bulat ${bulat}, akar ${akar}"),
            ]
        )
    )
    assert [q.name for q in form.questions()][:3] == ["x", "bulat", "akar"]


def test_pulldata_is_refused_at_upload_naming_its_row():
    data = xlsform(
        [
            q("text", "nik", "NIK"),
            q("calculate", "nama", calculation="pulldata('penduduk', 'nama', 'nik', ${nik})"),
            q("note", "n", "Nama: ${nama}"),
        ]
    )
    with pytest.raises(FormRejected) as refused:
        read_xlsform(data)
    [problem] = refused.value.problems
    assert "baris 3" in problem and "kolom calculation" in problem and "pulldata()" in problem
    assert "Formulir belum bisa dipakai" in refused.value.message


def test_an_unknown_function_in_a_dynamic_default_is_refused_at_upload_not_when_filling():
    with pytest.raises(FormRejected) as refused:
        read_xlsform(xlsform([q("text", "a", "A", default="bukanfungsi(1)")]))
    assert "baris 2" in refused.value.problems[0] and "kolom default" in refused.value.problems[0]


# --- whole forms through the session controller -------------------------------------------------------------

JAKARTA = ZoneInfo("Asia/Jakarta")
SESSION_NOW = datetime(2026, 12, 1, 10, 30, tzinfo=JAKARTA)


def test_a_household_form_fills_with_repeat_aggregates_indexed_repeat_and_once():
    form = read_xlsform(
        xlsform(
            [
                q("calculate", "kode", calculation="once(uuid(8))"),
                q("date", "tgl", "Tanggal kunjungan"),
                q("begin_repeat", "anggota", "Anggota"),
                q("text", "nama", "Nama"),
                q("integer", "umur", "Umur"),
                q("end_repeat", ""),
                q("calculate", "tertua", calculation="max(${umur})"),
                q("calculate", "termuda", calculation="min(${umur})"),
                q("calculate", "rata", calculation="round(sum(${umur}) div count(${umur}), 1)"),
                q("calculate", "pertama", calculation="indexed-repeat(${nama}, ${anggota}, 1)"),
                q("calculate", "semua", calculation="join(', ', ${nama})"),
                q("calculate", "hari", calculation="format-date(${tgl}, '%a, %e %b %Y')"),
                q("select_multiple ppks", "ppks", "PPKS"),
                q("calculate", "utama", calculation="jr:choice-name(selected-at(${ppks}, 0), '${ppks}')"),
                q("note", "ringkas", "${pertama}: ${tertua}/${termuda}/${rata}; ${hari}; ${utama}"),
            ],
            [c("ppks", "lansia", "Lansia"), c("ppks", "anak", "Anak terlantar")],
        )
    )
    state = session.start(form, SESSION_NOW)
    kode = state.answers["kode"]
    assert re.fullmatch(r"[0-9A-Za-z]{8}", kode)
    state = session.answer(form, state, "2026-11-30", SESSION_NOW)
    for i, (nama, umur) in enumerate([("Budi", "40"), ("Ani", "35"), ("Cici", "6")]):
        if i:
            state = session.more(form, state, True, SESSION_NOW)
        state = session.answer(form, state, nama, SESSION_NOW)
        state = session.answer(form, state, umur, SESSION_NOW)
    state = session.more(form, state, False, SESSION_NOW)
    state = session.answer(form, state, "anak lansia", SESSION_NOW)
    step = session.current(form, state, SESSION_NOW)
    assert step is not None and step.key == "ringkas"
    assert session.label(form, state, step, SESSION_NOW) == "Budi: 40/6/27; Sen, 30 Nov 2026; Anak terlantar"
    assert state.answers["semua"] == "Budi, Ani, Cici"
    # once(): every later answer re-settled the form, and the code stayed the first one.
    assert state.answers["kode"] == kode
    state = session.keep(form, state, SESSION_NOW)
    assert state.current is None and state.answers["kode"] == kode


def test_a_constraint_and_relevance_built_on_the_new_functions_guide_the_fill():
    form = read_xlsform(
        xlsform(
            [
                q("text", "nik", "NIK", constraint="string-length(.) = 16 and starts-with(., '3209')",
                  **{"constraint_message::Indonesian (id)": "NIK Kabupaten Cirebon 16 angka"}),
                q("decimal", "luas", "Luas (m2)", constraint="sqrt(.) < 100"),
                q("integer", "sisi", "Sisi", relevant="ends-with(${nik}, '1')"),
                q("calculate", "kunci", calculation="digest(${nik}, 'MD5', 'hex')"),
                q("note", "n", "Kunci ${kunci}"),
            ]
        )
    )  # fmt: skip
    state = session.start(form, SESSION_NOW)
    with pytest.raises(session.Refused, match="NIK Kabupaten Cirebon 16 angka"):
        session.answer(form, state, "3174000000000001", SESSION_NOW)
    state = session.answer(form, state, "3209000000000002", SESSION_NOW)
    with pytest.raises(session.Refused):
        session.answer(form, state, "10000", SESSION_NOW)
    state = session.answer(form, state, "400", SESSION_NOW)
    assert state.current == "n"  # sisi is asked only for a NIK ending in 1
    assert state.answers["kunci"] == hashlib.md5(b"3209000000000002").hexdigest()


# --- through the chat ------------------------------------------------------------------------------------------


async def test_an_admin_uploading_a_form_with_pulldata_is_told_the_row_and_nothing_is_stored(world):
    data = xlsform(
        [
            q("text", "nik", "NIK"),
            q("integer", "umur", "Umur", constraint="sqrt(.) < 11 and round(., 0) = ."),
            q("calculate", "nama", calculation="pulldata('penduduk', 'nama', 'nik', ${nik})"),
        ]
    )
    reply = await send_xlsx(world, ADMIN_1, data)
    assert "tidak ada yang disimpan" in reply["text"]
    assert "baris 4, kolom calculation" in reply["text"] and "pulldata()" in reply["text"]
    assert "baris 3" not in reply["text"]  # sqrt() and round(x, digits) are understood
    assert await xlsforms.all_forms(world.bot.db) == []
