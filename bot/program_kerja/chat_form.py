"""One program as a form on the XLSForm engine: composing a program kerja in the chat (issue 17, the third way).

The form is built here, in code, rather than read from a workbook: its questions are model.FIELDS, its choice
lists the laporan's own (bidang, PPKS, sumber dana, bot/program_kerja/lists.py) and the wilayah's desa, so a change
to any of them reaches the chat with no generated .xlsx to keep in step, and opening it costs no pyxform read.
Nobody downloads, edits or publishes this form; the Excel template is the workbook pengurus fill in.

bot/xlsform/session.py walks it as it walks any form (order, Kembali, Ubah jawaban, the desa list filtered by the
hidden `kecamatan`, "sasaran lain" required only when no PPKS is served). Each answer is read as it is given by
model.read_field, and Simpan hands the whole program to model.read_program: one check for every path.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any

from bot.forms.parse import format_rupiah
from bot.program_kerja.lists import BIDANG, PPKS, SUMBER_DANA
from bot.program_kerja.model import (
    BULAN,
    FIELDS,
    KECAMATAN_LEVEL,
    Program,
    Read,
    bidang_label,
    bulan_label,
    lokasi_label,
    ppks_label,
    read_field,
    read_program,
    sumber_label,
)
from bot.texts import program_chat as t
from bot.texts import program_kerja as labels
from bot.texts.region import villages
from bot.wilayah import Kecamatan, current, load_kecamatan, normalize_name
from bot.xlsform import session
from bot.xlsform.model import Choice, Form, Kind, Question
from bot.xlsform.session import Refused, State

FORM_ID = "program_kerja"
NONE = "tidak_ada"  # the "Tidak ada" of sasaran PPKS: no PPKS served, so "sasaran lain" must say who is
MULTIPLE = ("sasaran_ppks", "bulan")
CHOICES = {"bidang": "bidang", "sumber_dana": "sumber", "lokasi": "desa", "sasaran_ppks": "ppks", "bulan": "bulan"}
_KINDS = {"target_peserta": Kind.INTEGER, "target_penerima": Kind.INTEGER, "anggaran": Kind.INTEGER,
          "bidang": Kind.SELECT_ONE, "sumber_dana": Kind.SELECT_ONE, "lokasi": Kind.SELECT_ONE,
          "sasaran_ppks": Kind.SELECT_MULTIPLE, "bulan": Kind.SELECT_MULTIPLE}  # fmt: skip


def form() -> Form:
    """The form for one program, with the villages of the region in use."""
    return _form(current().code)


@lru_cache(maxsize=2)
def _form(region_code: str) -> Form:
    """Built once per region (a process serves one; tests start bots of several)."""
    questions = [Question("kecamatan", Kind.HIDDEN, "", 1)]
    for row, name in enumerate(FIELDS, start=2):
        questions.append(
            Question(
                name, _KINDS.get(name, Kind.TEXT), villages(t.PROMPTS[name]), row, hint=villages(t.HINTS[name]),
                required=_REQUIRED.get(name, "true()"), required_message=_REQUIRED_MESSAGE.get(name, ""),
                list_name=CHOICES.get(name, ""), choice_filter=_FILTERS.get(name, ""),
                appearance="rupiah" if name == "anggaran" else "",
            )
        )  # fmt: skip
    return Form(FORM_ID, t.FORM_TITLE, "1", tuple(questions), _choices())


_REQUIRED = {"sasaran_lain": f"selected(${{sasaran_ppks}}, '{NONE}')"}
_REQUIRED_MESSAGE = {"sasaran_lain": labels.EMPTY_SASARAN}
_FILTERS = {"lokasi": f"kec = ${{kecamatan}} or kec = '{KECAMATAN_LEVEL}'"}


def _choices() -> dict[str, tuple[Choice, ...]]:
    desa = tuple(Choice(v.code, v.name, (("kec", k.code),)) for k in load_kecamatan() for v in k.villages)
    return {
        "bidang": tuple(Choice(str(c.value), c.label) for c in BIDANG),
        "sumber": tuple(Choice(str(c.value), c.label) for c in SUMBER_DANA),
        "ppks": (*(Choice(str(c.value), c.label) for c in PPKS), Choice(NONE, t.NONE_LABEL)),
        "bulan": tuple(Choice(str(i), name) for i, name in enumerate(BULAN, start=1)),
        "desa": (*desa, Choice(KECAMATAN_LEVEL, labels.LOKASI_KECAMATAN, (("kec", KECAMATAN_LEVEL),))),
    }


# --- answers: what the session stores (ODK strings) and what the model reads -----------------------------------


def _to_answer(name: str, value: Any) -> str:
    """A value as read_field returns it, as the session stores it."""
    if name == "sasaran_ppks":
        return " ".join(value) or NONE
    if name == "bulan":
        return " ".join(str(m) for m in value)
    return str(value)


def _to_raw(name: str, answer: str) -> Any:
    if name in MULTIPLE:
        return [] if answer in ("", NONE) else answer.split()
    return answer


def read_answer(name: str, given: str | list[str], kecamatan: Kecamatan) -> str:
    """What the person typed or chose for one question, read by the model: the session's string, or ValueError
    with the Indonesian reason. `given` is typed text, or the chosen choice names of a multiple choice."""
    if name == "sasaran_ppks" and isinstance(given, str) and normalize_name(given) == normalize_name(t.NONE_LABEL):
        return NONE
    if isinstance(given, list):
        if name == "sasaran_ppks" and given == [NONE]:
            return NONE
        if name == "sasaran_ppks" and NONE in given:
            raise ValueError(t.NONE_WITH_OTHERS)
    return _to_answer(name, read_field(name, given, kecamatan))


def read(answers: Mapping[str, str], kecamatan: Kecamatan, uid: str) -> Read:
    """The whole program through the one check (read_program)."""
    return read_program({name: _to_raw(name, answers.get(name, "")) for name in FIELDS}, kecamatan, uid=uid)


def start(kecamatan_code: str, now: datetime) -> State:
    """A fresh conversation at the first question."""
    return session.start(form(), now, {"kecamatan": kecamatan_code})


def replay(program: Program, kecamatan_code: str, now: datetime) -> State:
    """A conversation holding a program's answers, as if given one by one: it ends at the summary (or at the first
    answer the form refuses now, which is asked again)."""
    data = program.as_dict()
    state = start(kecamatan_code, now)
    for name in FIELDS:
        try:
            state = session.answer(form(), state, _to_answer(name, data[name]), now)
        except Refused:
            break
    return state


def shown(name: str, answer: str, kecamatan: Kecamatan | None) -> str:
    """An answer as a person reads it (labels, short months, rupiah)."""
    if not answer:
        return "-"
    if name == "bidang":
        return bidang_label(answer)
    if name == "sumber_dana":
        return sumber_label(answer)
    if name == "sasaran_ppks":
        return t.NONE_LABEL if answer == NONE else ", ".join(ppks_label(code) for code in answer.split())
    if name == "bulan":
        return bulan_label([int(m) for m in answer.split()])
    if name == "lokasi":
        return lokasi_label(answer, kecamatan)
    if name == "anggaran":
        return format_rupiah(int(answer))
    return answer
