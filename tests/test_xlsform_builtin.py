"""The built-in forms as XLSForm (bot/data/xlsforms/): what the script writes, and run by the XLSForm engine."""

from __future__ import annotations

import importlib.util
from datetime import datetime
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from bot.forms.definitions import EVALUASI, LAPORAN
from bot.forms.parse import Invalid
from bot.wilayah import kecamatan_by_code
from bot.xlsform import builtin, session
from bot.xlsform.answers import match_choice, parse_typed
from bot.xlsform.session import Refused

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
SUMBER = "32.09.15"
SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "build_builtin_xlsforms.py"


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("build_builtin_xlsforms", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cells(data: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(BytesIO(data), read_only=True)
    return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}


@pytest.mark.parametrize("key", builtin.KEYS)
def test_the_committed_workbooks_are_what_the_script_writes(key: str):
    script = _script()
    assert cells(builtin.workbook(key)) == cells(script.workbook(script.BUILTIN[key]))


@pytest.mark.parametrize(("key", "legacy"), [("laporan", LAPORAN), ("evaluasi", EVALUASI)])
def test_the_xlsform_asks_today_s_questions_in_today_s_words(key, legacy):
    form = builtin.form(key)
    asked = [q for q in form.questions() if q.asked]
    assert [q.label for q in asked] == [f.prompt for f in legacy.fields]
    assert form.title == legacy.title


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
    with pytest.raises(Refused):
        session.answer(form, state, "ab", NOW)  # min 3 characters
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
