"""An automatic filler: drives bot/xlsform/session.py from the first question to a finished submission, any form.

Each step gets candidate answers by its kind (what a person would type, read by answers.parse_typed as the chat
reads it; choices from the step's filtered list; fake Telegram file ids), tried in turn until session.answer
takes one; a question that takes none is left empty when it may be. Repeats without repeat_count get one or two
instances. `fill` raises Stuck, naming the step, when the form cannot be brought to its end in `max_steps`.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from bot import texts
from bot.xlsform import session
from bot.xlsform.answers import Invalid, parse_typed, range_parameters, range_values
from bot.xlsform.model import Form, Kind
from bot.xlsform.session import Refused, State, Step

WIB = timezone(timedelta(hours=7))
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=WIB)
MAX_STEPS = 500

# What a person would type, per kind, in the order tried: an answer refused moves on to the next.
TYPED = {
    Kind.TEXT: ["Budi", "abc", "1234567890123456", "0812345678", "a", "x", "Ya", "tidak ada"],
    Kind.INTEGER: ["5", "1", "0", "2", "3", "17", "20", "45", "10", "100", "-1", "1000"],
    Kind.DECIMAL: ["1.5", "5", "0.75", "0", "10", "100", "-1"],
    Kind.DATE: ["kemarin", "hari ini", "1/1/2000", "15/6/2020", "1/1/1970"],
    Kind.TIME: ["08.30", "14.00", "0.00"],
    Kind.DATETIME: ["kemarin 08.30", "sekarang", "1/1/2020 07.00"],
    Kind.GEOPOINT: ["-6.72 108.55", "0 0"],
    Kind.BARCODE: ["8991234567890", "ABC123"],
}
RAW = {
    Kind.IMAGE: ["AgACAgUAAxkBAAIBfotofake"],
    Kind.FILE: ["BQACAgUAAxkBAAIBfilefake"],
    Kind.AUDIO: ["AwACAgUAAxkBAAIBvoicefake"],
    Kind.VIDEO: ["BAACAgUAAxkBAAIBvideofake"],
    Kind.START_GEOPOINT: ["-6.72 108.55 0 5"],
    Kind.GEOTRACE: ["-6.70 108.50 0 0;-6.71 108.51 0 0;-6.72 108.53 0 0"],
    Kind.GEOSHAPE: ["-6.70 108.50 0 0;-6.70 108.52 0 0;-6.72 108.52 0 0"],
    Kind.ACKNOWLEDGE: [texts.XLSFORM_ACKNOWLEDGED],
}


class Stuck(AssertionError):
    """The filler cannot bring the form to its end."""


@dataclass(frozen=True)
class Filled:
    state: State
    submission: dict[str, Any]
    steps: int
    summary: list[session.Line]


def _typed(form: Form, step: Step, now: datetime) -> Iterator[str]:
    question = step.question
    assert question is not None
    for text in TYPED.get(question.kind, []):
        try:
            yield parse_typed(question, text, now)
        except Invalid:
            continue


def _range(step: Step) -> Iterator[str]:
    assert step.question is not None
    values = range_values(step.question, most=1000)
    if values:
        yield from (values[0], values[-1], values[len(values) // 2])
    else:
        yield from range_parameters(step.question)[:2]


def candidates(form: Form, state: State, step: Step, now: datetime) -> list[str]:
    """The answers to try for a question, best first: the current one (a default), then by kind."""
    question = step.question
    assert question is not None
    found: list[str] = []
    if state.answers.get(step.key):
        found.append(state.answers[step.key])
    kind = question.kind
    if kind in (Kind.SELECT_ONE, Kind.SELECT_MULTIPLE, Kind.RANK):
        names = [choice.name for choice in session.choices(form, state, step, now)]
        if kind is Kind.SELECT_ONE:
            found += [n for n in names if n != "other"] + [n for n in names if n == "other"]
        elif kind is Kind.RANK:
            found += [" ".join(names), " ".join(reversed(names))] if names else []
        else:
            found += [" ".join(names[:2]), *names, " ".join(names)] if names else []
    elif kind is Kind.RANGE:
        found += list(_range(step))
    elif kind in RAW:
        found += RAW[kind]
    else:
        found += list(_typed(form, step, now))
    return list(dict.fromkeys(v for v in found if v))


def _answer(form: Form, state: State, step: Step, now: datetime) -> State:
    question = step.question
    assert question is not None
    if question.kind is Kind.NOTE:
        return session.keep(form, state, now)
    refusals = []
    for value in candidates(form, state, step, now):
        try:
            return session.answer(form, state, value, now)
        except Refused as exc:
            refusals.append(f"{value!r}: {exc.message}")
    try:
        return session.answer(form, state, "", now)
    except Refused as exc:
        refusals.append(f"'': {exc.message}")
    raise Stuck(f"no answer taken for {step.key} ({question.kind}): " + "; ".join(refusals))


def fill(form: Form, *, seed: int = 0, now: datetime = NOW, max_steps: int = MAX_STEPS,
         known: dict[str, str] | None = None) -> Filled:  # fmt: skip
    """The form filled to its summary and finished; Stuck when it cannot be."""
    rng = random.Random(seed)
    state = session.start(form, now, known or {"username": "Budi", "kecamatan": "32.09.15"})
    taken = 0
    while state.current is not None:
        taken += 1
        if taken > max_steps:
            raise Stuck(f"{form.form_id}: not at the summary after {max_steps} steps (at {state.current})")
        step = session.current(form, state, now)
        if step is None:
            raise Stuck(f"{form.form_id}: the current step {state.current!r} is not among the form's steps")
        before = state
        if step.is_repeat_prompt:
            state = session.more(form, state, step.count < rng.choice((1, 2)), now)
        else:
            state = _answer(form, state, step, now)
        if state == before:
            raise Stuck(f"{form.form_id}: {step.key} taken but nothing changed")
    try:
        submission = session.finish(form, state, now)
    except Refused as exc:
        raise Stuck(f"{form.form_id}: at the summary, finish refused at {exc.step}: {exc.message}") from exc
    return Filled(state, submission, taken, session.summary(form, state, now))
