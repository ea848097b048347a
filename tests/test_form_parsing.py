"""Reading answers as people type them on a phone: dates, counts, rupiah, villages."""

from __future__ import annotations

from datetime import date

import pytest

from bot.forms.fields import Answering, example, read_text
from bot.forms.parse import NEXT, Invalid, date_examples, format_rupiah, parse_count, parse_date, parse_rupiah
from bot.wilayah import kecamatan_by_code
from tests.support.builtin_forms import LAPORAN

TODAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25/11/2026", date(2026, 11, 25)),
        ("25-11-2026", date(2026, 11, 25)),
        ("25.11.26", date(2026, 11, 25)),
        ("25 November 2026", date(2026, 11, 25)),
        ("25 nov 2026", date(2026, 11, 25)),
        ("Rabu, 25 November 2026", date(2026, 11, 25)),
        ("hari ini", TODAY),
        ("Kemarin", date(2026, 11, 26)),
        ("3/2/2026", date(2026, 2, 3)),  # day first, never M/D/Y
    ],
)
def test_dates_in_indonesian_forms(text, expected):
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("28/11", date(2025, 11, 28)),  # today is 27 November 2026
        ("25/11", date(2026, 11, 25)),
        ("25 Nov", date(2026, 11, 25)),
        ("25 nov.", date(2026, 11, 25)),
        ("tgl 25/11/2026", date(2026, 11, 25)),
        ("tanggal 25 November", date(2026, 11, 25)),
        ("Rabu, 25 Nov", date(2026, 11, 25)),
        ("27/11", TODAY),
        ("1/12", date(2025, 12, 1)),  # December 2026 has not come yet: last year's
        ("29/2", date(2024, 2, 29)),
    ],
)
def test_a_date_without_a_year_is_the_most_recent_such_day_not_in_the_future(text, expected):
    assert parse_date(text, TODAY) == expected


def test_a_holiday_without_a_year_is_the_next_such_day():
    assert parse_date("25 Des", TODAY, without_year=NEXT) == date(2026, 12, 25)
    assert parse_date("1/1", TODAY, without_year=NEXT) == date(2027, 1, 1)


@pytest.mark.parametrize("today", [TODAY, date(2026, 12, 1), date(2027, 1, 2), date(2028, 3, 1)])
def test_the_date_question_example_is_built_from_today_and_each_form_in_it_is_accepted(today):
    field = LAPORAN.field("tanggal")
    shown = example(field, today)
    assert str(today.year) in shown or str(today.year - 1) in shown
    answers = date_examples(today)
    assert len(answers) == 4 and ", ".join(answers[:-1]) + ", atau " + answers[-1] == shown
    kecamatan = kecamatan_by_code("32.09.15")
    assert kecamatan is not None
    for answer in answers:
        read_text(field, answer, Answering(kecamatan, today))  # raises Invalid if refused


def test_the_examples_seen_in_a_real_run_are_accepted_on_1_december_2026():
    field, today = LAPORAN.field("tanggal"), date(2026, 12, 1)
    kecamatan = kecamatan_by_code("32.09.15")
    assert kecamatan is not None
    for text in ("28/11", "28 Nov", "tgl 28/11/2026"):
        assert read_text(field, text, Answering(kecamatan, today)) == "2026-11-28"
    assert example(field, today) == "28/11/2026, 28 Nov, hari ini, atau kemarin"


@pytest.mark.parametrize("text", ["31/02/2026", "besok lusa", "2026-11-25x", "13/13/2026", "", "31/2", "tgl"])
def test_impossible_or_unknown_dates_are_refused(text):
    with pytest.raises(Invalid):
        parse_date(text, TODAY)


@pytest.mark.parametrize(("text", "expected"), [("35", 35), ("35 orang", 35), ("1.200 peserta", 1200), ("0", 0)])
def test_counts(text, expected):
    assert parse_count(text) == expected


@pytest.mark.parametrize("text", ["-5", "banyak", "3,5", "12a"])
def test_bad_counts(text):
    with pytest.raises(Invalid):
        parse_count(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Rp1.500.000", 1_500_000), ("1500000", 1_500_000), ("1,5 juta", 1_500_000), ("750 ribu", 750_000),
     ("750rb", 750_000), ("Rp 2.000.000,-", 2_000_000), ("2 jt", 2_000_000)],
)  # fmt: skip
def test_rupiah(text, expected):
    assert parse_rupiah(text) == expected


def test_rupiah_is_written_with_dots():
    assert format_rupiah(125_000_000) == "Rp125.000.000"


def test_villages_match_only_within_the_kecamatan_and_tolerate_small_typos():
    sumber = kecamatan_by_code("32.09.15")
    field = LAPORAN.field("lokasi")
    ctx = Answering(sumber, TODAY)
    first = sumber.villages[0]
    assert read_text(field, first.name.upper(), ctx)["code"] == first.code
    assert read_text(field, "tingkat kecamatan", ctx)["code"] == "kecamatan"
    other = kecamatan_by_code("32.09.01").villages[0].name
    with pytest.raises(Invalid, match="tidak ada di Kecamatan Sumber"):
        read_text(field, other, ctx)

