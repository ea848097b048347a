"""Reading answers as people type them on a phone: dates, counts, rupiah, villages."""

from __future__ import annotations

from datetime import date

import pytest

from bot.forms.definitions import LAPORAN
from bot.forms.fields import Answering, read_text
from bot.forms.parse import Invalid, format_rupiah, parse_count, parse_date, parse_rupiah
from bot.wilayah import kecamatan_by_code

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


@pytest.mark.parametrize("text", ["31/02/2026", "besok lusa", "2026-11-25x", "13/13/2026", ""])
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


def test_a_future_date_is_refused_for_an_activity():
    with pytest.raises(Invalid, match="masa depan"):
        read_text(LAPORAN.field("tanggal"), "28/11/2026", Answering(kecamatan_by_code("32.09.15"), TODAY))


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


def test_a_text_answer_over_its_limit_is_refused_with_the_length():
    with pytest.raises(Invalid, match="terlalu panjang"):
        read_text(LAPORAN.field("nama_kegiatan"), "x" * 201, Answering(kecamatan_by_code("32.09.15"), TODAY))
