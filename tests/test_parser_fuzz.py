"""Whatever people type, the parsers of user input answer with a value or Invalid (its kin), never a crash.

Hypothesis writes the inputs: any text, digit strings thousands long, exponents, unit words after huge numbers.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.forms.fields import Answering, read_text
from bot.forms.parse import Invalid, parse_count, parse_date, parse_rupiah
from bot.wilayah import kecamatan_by_code, match_kecamatan, match_village, suggest_kecamatan, suggest_villages
from bot.xlsx_export import PeriodError, parse_period
from tests.support.builtin_forms import FORMS

TODAY = date(2026, 11, 27)
SUMBER = kecamatan_by_code("32.09.15")
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

digits = st.text(alphabet="0123456789", min_size=1, max_size=6000)
units = st.sampled_from(["", " orang", " peserta", " juta", "jt", " ribu", "rb", "k", ",-", ",00"])
prefixes = st.sampled_from(["", "Rp", "Rp.", "sekitar ", "-", "±"])
numberish = st.builds(lambda p, d, sep, d2, u: f"{p}{d}{sep}{d2}{u}", prefixes, digits,
                      st.sampled_from(["", ".", ",", "e", "e+", "E-", "/", " "]), st.text("0123456789", max_size=5),
                      units)  # fmt: skip
anything = st.one_of(st.text(max_size=300), numberish)

HUGE = {"count": ["5" * 5000, "9" * 4301 + " orang"], "rupiah": ["5" * 5000, "1" * 400 + " juta", "1" * 400 + ",5 jt"]}


@FUZZ
@given(anything)
@example("1e999")
@example("5" * 5000)
def test_counts_give_a_number_or_invalid(text):
    try:
        assert parse_count(text) >= 0
    except Invalid:
        pass


@FUZZ
@given(anything)
@example("1" * 400 + " juta")
def test_rupiah_gives_an_amount_or_invalid(text):
    try:
        assert parse_rupiah(text) >= 0
    except Invalid:
        pass


@FUZZ
@given(st.one_of(st.text(max_size=100), st.from_regex(r"\d{1,6}[/.\-]\d{1,6}[/.\-]\d{1,8}", fullmatch=True)))
def test_dates_give_a_date_or_invalid(text):
    try:
        parse_date(text, TODAY)
    except Invalid:
        pass


@pytest.mark.parametrize("key", sorted(FORMS))
@FUZZ
@given(text=anything)
def test_every_typed_field_of_every_form_gives_a_value_or_its_own_message(key, text):
    ctx = Answering(SUMBER, TODAY)
    for field in FORMS[key].fields:
        if not field.takes_text:
            continue
        try:
            read_text(field, text, ctx)
        except Invalid as exc:
            assert str(exc)


@pytest.mark.parametrize("kind", sorted(HUGE))
def test_a_huge_number_gets_the_fields_maximum(kind):
    for field in (f for form in FORMS.values() for f in form.fields if f.type.value == kind):
        for text in HUGE[kind]:
            with pytest.raises(Invalid, match=r"paling besar [\d.]+\."):
                read_text(field, text, Answering(SUMBER, TODAY))


def test_leading_zeros_do_not_count_as_digits():
    assert parse_count("0" * 5000 + "7") == 7
    assert parse_rupiah("0" * 5000 + "7 rb") == 7000


def test_an_exponent_is_not_a_way_to_write_a_count_or_an_amount():
    for field in (f for form in FORMS.values() for f in form.fields if f.type.value in ("count", "rupiah")):
        with pytest.raises(Invalid, match="dengan angka"):
            read_text(field, "1e999", Answering(SUMBER, TODAY))


@FUZZ
@given(st.text(max_size=200))
def test_kecamatan_and_village_names_match_or_not_never_crash(text):
    match_kecamatan(text)
    suggest_kecamatan(text)
    match_village(SUMBER, text)
    suggest_villages(SUMBER, text)


@FUZZ
@given(st.one_of(st.text(max_size=60), st.from_regex(r"\d{1,6}-\d{1,4}", fullmatch=True),
                 st.from_regex(r"\d{1,3}/\d{1,3}/\d{1,6}\.\.\d{1,3}/\d{1,3}/\d{1,6}", fullmatch=True)))  # fmt: skip
@example("0000-01")
@example("9999-12")
def test_export_periods_give_a_period_or_the_usage(text):
    try:
        parse_period(text, TODAY)
    except PeriodError:
        pass
