"""The laporan's question "Kegiatan ini bagian dari program kerja yang mana?": the kecamatan's approved programs
as its choices, given to each draft when the draft is read.

The built-in workbook (bot/data/xlsforms/laporan.xlsx) holds only "Di luar program kerja" in the question's
list `program_kerja`, and asks the question when the hidden `program_tahun` holds the year of the activity's date.
A stored form version is frozen and shared by every draft, so a draft gets its own copy of the form with the
kecamatan's programs added to the list (each with its year and months, which the question's choice_filter reads)
and its state's `program_tahun` set to the years that have programs. Both are read afresh with every message: a
plan approved or revised while a draft is open is what the draft offers next. A kecamatan without an approved
plan gets the shared form untouched, and is never asked.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, replace
from datetime import date, datetime

from bot.forms.fields import OUTSIDE
from bot.xlsform import session
from bot.xlsform.model import Choice, Form
from bot.xlsform.session import State
from storage import program_kerja
from storage.db import Database

PROGRAM = "program"  # the question's name, and the laporan's answer key (the uid, or OUTSIDE)
LIST = "program_kerja"
YEARS = "program_tahun"
# A laporan's date goes back at most 366 days (the bundled workbook's constraint on tanggal): on 1 January, to the
# year before last.
YEARS_BACK = 2
_CACHED = 256  # per-draft forms kept, so a draft's next message reuses its form and the evaluator's memos


@dataclass(frozen=True)
class Offer:
    """The approved programs a kecamatan's laporan may count towards, as choices with their year and months."""

    choices: tuple[Choice, ...] = ()
    years: str = ""  # the years that have programs, space-separated (the hidden answer)


# Each kecamatan's offer, kept until a plan is accepted (storage.program_kerja.acceptances moves): every answer of
# every laporan loads its draft's form with the offer, and reading it from the database each time queued a read
# behind the answers' writes.
_offers: weakref.WeakKeyDictionary[Database, dict[tuple[str, int], tuple[int, Offer]]] = weakref.WeakKeyDictionary()


async def offer(db: Database, kecamatan_code: str, today: date) -> Offer:
    accepted = program_kerja.acceptances(db)  # before the read: an acceptance during it makes the next call read
    held = _offers.setdefault(db, {})
    kept = held.get((kecamatan_code, today.year))
    if kept is not None and kept[0] == accepted:
        return kept[1]
    years = list(range(today.year - YEARS_BACK, today.year + 1))
    by_year = await program_kerja.in_force_by_year(db, kecamatan_code, years)
    choices = tuple(
        Choice(p.uid, p.nama, (("tahun", str(year)), ("bulan", " ".join(str(m) for m in p.bulan))))
        for year, programs in sorted(by_year.items())
        for p in programs
    )
    found = Offer(choices, " ".join(str(year) for year in sorted(by_year)))
    held[(kecamatan_code, today.year)] = (accepted, found)
    return found


def asks(form: Form) -> bool:
    """Whether this form version has the question (versions from before program kerja do not)."""
    return form.has(PROGRAM) and form.has(YEARS)


async def for_draft(db: Database, form: Form, state: State, kecamatan_code: str, today: date) -> tuple[Form, State]:
    """The draft's form and state with the kecamatan's programs of today."""
    if not asks(form):
        return form, state
    found = await offer(db, kecamatan_code, today)
    return with_offer(form, found), with_years(state, found)


_forms: dict[tuple[int, tuple[Choice, ...]], tuple[Form, Form]] = {}


def with_offer(form: Form, found: Offer) -> Form:
    """The form with these programs before "Di luar program kerja"; the same object for the same programs."""
    if not found.choices:
        return form
    key = (id(form), found.choices)
    cached = _forms.get(key)
    if cached is None or cached[0] is not form:
        if len(_forms) >= _CACHED:
            _forms.clear()
        listed = (*found.choices, *form.choices.get(LIST, ()))
        cached = _forms[key] = (form, replace(form, choices={**form.choices, LIST: listed}))
    return cached[1]


def with_years(state: State, found: Offer) -> State:
    answers = {k: v for k, v in state.answers.items() if k != YEARS}
    if found.years:
        answers[YEARS] = found.years
    return state if answers == state.answers else replace(state, answers=answers)


def known(found: Offer) -> dict[str, str]:
    """What a new draft knows by name (session.start's `known`)."""
    return {YEARS: found.years} if found.years else {}


def expected(state: State) -> bool:
    """Before the date is given: whether the question is likely asked (the kecamatan has programs)."""
    return bool(state.answers.get(YEARS))


def names(form: Form) -> dict[str, str]:
    """uid → program name of the programs the draft's form offers."""
    return {c.name: c.label for c in form.choices.get(LIST, ()) if c.name != OUTSIDE}


def planned(choice: Choice, month: int) -> bool:
    """Whether the program is planned in this month (1-12)."""
    return str(month) in dict(choice.extra).get("bulan", "").split()


def ordered(choices: list[Choice], tanggal: str) -> list[tuple[int, Choice]]:
    """The choices with their positions: the activity month's programs first, then the others, the outside last."""
    month = date.fromisoformat(tanggal).month if tanggal else 0

    def rank(item: tuple[int, Choice]) -> tuple[bool, bool, int]:
        position, choice = item
        return (choice.name == OUTSIDE, not planned(choice, month), position)

    return sorted(enumerate(choices), key=rank)


def chosen_gone(form: Form, state: State, now: datetime) -> bool:
    """The program chosen is no longer offered: a revision removed it, or the date moved to another year."""
    value = state.answers.get(PROGRAM)
    if not value or not asks(form):
        return False
    step = next((s for s in session.steps(form, state, now) if s.key == PROGRAM), None)
    return step is not None and value not in {c.name for c in session.choices(form, state, step, now)}
