"""Filling in one form, with no Telegram in sight: where the person is, what comes next, what an answer does.

This is JavaRosa's FormEntryController for a chat (STYLE.md lesson 13). A `State` is plain data, saved as JSON
after every step; every function takes the form, a state and the time, and returns a new state (or raises
Refused with the Indonesian reason). After each change `_settle` brings the answers back in line with the
form, as ODK does: calculates recomputed, answers of questions that became irrelevant dropped, repeat_count
instances added or removed.

Steps are keyed like answers: 'nama', 'anggota[2]/umur', and 'anggota#add2' for the "Tambah lagi?" asked after
the second instance of a repeat without repeat_count.
"""

from __future__ import annotations

import json
import math
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from bot import texts
from bot.texts import xlsform_types as type_texts
from bot.xlsform.answers import Invalid, display, parse_typed
from bot.xlsform.appearance import is_label_only
from bot.xlsform.evaluate import Instance, to_number
from bot.xlsform.model import EMPTY_METADATA, Choice, Form, Kind, Node, Question, Section

MAX_REPEATS = 50  # a repeat_count above this is capped: a chat of hundreds of instances helps nobody
_SETTLE_ROUNDS = 5  # calculates that read later calculates settle in a few rounds


class Refused(ValueError):
    """The answer or move cannot be taken; the message says why, in Indonesian."""

    def __init__(self, message: str, step: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.step = step  # where to go to fix it (a submit refused for an unanswered question)


@dataclass(frozen=True)
class State:
    answers: dict[str, str] = field(default_factory=dict)
    repeats: dict[str, int] = field(default_factory=dict)
    passed: tuple[str, ...] = ()  # steps answered, skipped or acknowledged
    history: tuple[str, ...] = ()  # steps shown, oldest first, for Kembali
    current: str | None = None  # the step on screen; None means the summary
    started_at: str = ""

    def to_json(self) -> str:
        return json.dumps(
            {
                "answers": self.answers, "repeats": self.repeats,
                "passed": list(self.passed), "history": list(self.history), "current": self.current,
                "started_at": self.started_at,
            },
            ensure_ascii=False,
        )  # fmt: skip

    def screen(self) -> str:
        """Which screen of the conversation this state shows, as 8 hex digits: a chat's buttons carry it, so a
        press on an older screen (the same question asked again after Kembali included) is told it is stale."""
        return f"{zlib.crc32(f'{len(self.history)}:{self.current}'.encode()):08x}"

    @classmethod
    def from_json(cls, text: str) -> State:
        data = json.loads(text)
        return cls(
            answers=dict(data["answers"]), repeats=dict(data["repeats"]),
            passed=tuple(data["passed"]), history=tuple(data["history"]), current=data["current"],
            started_at=data["started_at"],
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Step:
    key: str
    prefix: str  # the repeat instance path the step sits in ('' outside repeats, 'anggota[2]/' inside)
    question: Question | None = None
    repeat: Section | None = None  # set for a "Tambah lagi?" step
    count: int = 0  # instances so far, for a "Tambah lagi?" step

    @property
    def is_repeat_prompt(self) -> bool:
        return self.repeat is not None


# --- walking the form --------------------------------------------------------------------------------------


@dataclass
class _Walk:
    """One pass over the form against one Instance: the visible steps and the answers as they should be."""

    instance: Instance
    answers: dict[str, str]
    repeats: dict[str, int]
    steps: list[Step] = field(default_factory=list)
    relevant: set[str] = field(default_factory=set)

    def nodes(self, nodes: tuple[Node, ...], prefix: str, shown: bool) -> None:
        for node in nodes:
            if isinstance(node, Section) and node.repeat:
                self.repeat_section(node, prefix, shown)
            elif isinstance(node, Section):
                visible = shown and self.is_relevant(node.relevant, prefix + node.name)
                self.nodes(node.children, prefix, visible)
            else:
                self.question(node, prefix, shown)

    def is_relevant(self, expression: str, at: str) -> bool:
        return not expression or (self.instance.has(at) and self.instance.boolean(expression, at))

    def question(self, question: Question, prefix: str, shown: bool) -> None:
        key = prefix + question.name
        if not (shown and self.is_relevant(question.relevant, key)):
            self.answers.pop(key, None)
            return
        self.relevant.add(key)
        if question.kind is Kind.CALCULATE and question.calculation and self.instance.has(key):
            self.answers[key] = self.instance.string(question.calculation, key)
        elif question.kind is Kind.START_GEOPOINT:
            self.steps.insert(0, Step(key, prefix, question))  # asked once, before anything else, as ODK takes it
        elif question.asked:
            self.steps.append(Step(key, prefix, question))

    def repeat_section(self, section: Section, prefix: str, shown: bool) -> None:
        key = prefix + section.name
        if section.repeat_count:
            count = self.counted(section, key) if shown else 0
        else:
            count = max(self.repeats.get(key, 1), 1) if shown else 0
        self.repeats[key] = count
        for i in range(1, count + 1):
            inner = f"{key}[{i}]"
            visible = self.is_relevant(section.relevant, inner)
            self.nodes(section.children, inner + "/", visible)
        if count and not section.repeat_count and self.is_relevant(section.relevant, f"{key}[{count}]"):
            self.steps.append(Step(f"{key}#add{count}", prefix, repeat=section, count=count))

    def counted(self, section: Section, key: str) -> int:
        """repeat_count, read in the repeat's parent (the enclosing repeat instance, or the whole form)."""
        parent = key.rsplit("/", 1)[0] if "/" in key else ""
        if not self.instance.has(parent):
            return 0  # an enclosing instance new in this pass: counted in the next pass, whose instance holds it
        number = to_number(self.instance.string(section.repeat_count, parent) or "nan")
        return 0 if math.isnan(number) else max(0, min(MAX_REPEATS, int(number)))


def _walk(form: Form, state: State, now: datetime) -> _Walk:
    instance = Instance(form, state.answers, state.repeats, now=now)
    walk = _Walk(instance, dict(state.answers), dict(state.repeats))
    walk.nodes(form.children, "", True)
    return walk


_last_settled: list[tuple[Form, str, datetime, tuple[State, list[Step]]]] = []


def _settle(form: Form, state: State, now: datetime) -> tuple[State, list[Step]]:
    """The state with calculates, relevance and repeat counts applied until nothing changes.

    One message asks for the same settling several times (the step on screen, then the answer, then the next
    step): the last result is kept, keyed by the state's JSON, so it is computed once.
    """
    text = state.to_json()
    if _last_settled:
        last_form, last_text, last_now, result = _last_settled[0]
        if last_form is form and last_text == text and last_now == now:
            return result
    result = _settle_anew(form, state, now)
    _last_settled[:] = [(form, text, now, result)]
    return result


def _settle_anew(form: Form, state: State, now: datetime) -> tuple[State, list[Step]]:
    for _ in range(_SETTLE_ROUNDS):
        walk = _walk(form, state, now)
        kept = {k: v for k, v in walk.answers.items() if k in walk.relevant}
        answers = _with_defaults(form, kept, state.repeats, walk.repeats, now)
        settled = replace(state, answers=answers, repeats=walk.repeats)
        if settled == state:
            break
        state = settled
    keys = {s.key for s in walk.steps}
    state = replace(
        state,
        passed=tuple(k for k in state.passed if k in keys),
        history=tuple(k for k in state.history if k in keys),
    )
    return state, walk.steps


def _with_defaults(
    form: Form, answers: dict[str, str], before: dict[str, int], after: dict[str, int], now: datetime
) -> dict[str, str]:
    """Defaults for repeat instances that have just come into being (the form's own are set by `start`)."""
    answers = dict(answers)
    for key, count in after.items():
        for i in range(before.get(key, 0) + 1, count + 1):
            section = form.node(key.rsplit("/", 1)[-1].split("[", 1)[0])
            assert isinstance(section, Section)
            answers.update(_defaults(section.children, f"{key}[{i}]/", now))
            answers = _dynamic_defaults(form, section.children, f"{key}[{i}]/", answers, after, now)
    return answers


def _defaults(
    nodes: tuple[Node, ...], prefix: str, now: datetime, known: Mapping[str, str] | None = None
) -> dict[str, str]:
    found: dict[str, str] = {}
    for node in nodes:
        if isinstance(node, Section):
            if not node.repeat:
                found.update(_defaults(node.children, prefix, now, known))
        elif node.kind in (Kind.HIDDEN, Kind.USERNAME) and known and node.name in known:
            found[prefix + node.name] = known[node.name]
        elif node.kind is Kind.USERNAME and known and USERNAME in known:
            found[prefix + node.name] = known[USERNAME]
        elif node.kind is Kind.DEVICEID and known and DEVICEID in known:
            found[prefix + node.name] = known[DEVICEID]
        elif node.kind in EMPTY_METADATA or node.kind is Kind.AUDIT:
            found[prefix + node.name] = ""
        elif node.kind is Kind.START:
            found[prefix + node.name] = now.isoformat(timespec="milliseconds")
        elif node.kind is Kind.TODAY:
            found[prefix + node.name] = now.date().isoformat()
        elif node.default and not node.default_dynamic:
            found[prefix + node.name] = node.default
    return found


def _dynamic_defaults(
    form: Form, nodes: tuple[Node, ...], prefix: str, answers: dict[str, str], repeats: Mapping[str, int],
    now: datetime,
) -> dict[str, str]:  # fmt: skip
    """The answers with the expression defaults of these questions (not inside nested repeats) evaluated."""
    answers = dict(answers)
    for node in nodes:
        if isinstance(node, Section):
            if not node.repeat:
                answers = _dynamic_defaults(form, node.children, prefix, answers, repeats, now)
        elif node.default_dynamic:
            value = Instance(form, answers, repeats, now=now).string(node.default, prefix + node.name)
            if value:
                answers[prefix + node.name] = value
    return answers


# --- the controller ----------------------------------------------------------------------------------------


USERNAME = "username"
DEVICEID = "deviceid"
# The audit question's value: ODK's audit is a CSV file of events; a chat has no file, so it is a CSV text in the
# answers (exported as any other answer), one line per question answered, skipped or acknowledged: the answer's
# key ('nama', 'anggota[2]/umur') and the time, ISO 8601 with the offset, as ODK stores dateTime. A question
# answered again (after Kembali or from the summary) gets another line, as ODK logs every visit.
AUDIT_HEADER = "question,answered_at"


def start(form: Form, now: datetime, known: Mapping[str, str] | None = None) -> State:
    """A fresh state at the first question; metadata and defaults filled in.

    `known`: what the bot knows that the form may ask for by name: hidden questions of that name (the group's
    `kecamatan` code), and 'username' for username metadata.
    """
    answers = _dynamic_defaults(form, form.children, "", _defaults(form.children, "", now, known), {}, now)
    state = State(answers=answers, started_at=now.isoformat(timespec="seconds"))
    state, steps = _settle(form, state, now)
    return _goto(state, _next_unpassed(steps, state, after=None))


def steps(form: Form, state: State, now: datetime) -> list[Step]:
    return _settle(form, state, now)[1]


def current(form: Form, state: State, now: datetime) -> Step | None:
    """The step on screen, or None for the summary."""
    return next((s for s in steps(form, state, now) if s.key == state.current), None)


def _goto(state: State, step: Step | None) -> State:
    if step is None:
        return replace(state, current=None)
    history = state.history if state.history[-1:] == (step.key,) else (*state.history, step.key)
    return replace(state, current=step.key, history=history)


def _next_unpassed(steps: list[Step], state: State, after: str | None) -> Step | None:
    """The first step after `after` not yet passed; else the first unpassed anywhere; None: all done."""
    keys = [s.key for s in steps]
    begin = keys.index(after) + 1 if after in keys else 0
    for step in (*steps[begin:], *steps[:begin]):
        if step.key not in state.passed:
            return step
    return None


def _advance(form: Form, state: State, key: str, now: datetime) -> State:
    state = replace(
        state, passed=(*(k for k in state.passed if k != key), key), answers=_audited(form, state, key, now)
    )
    state, found = _settle(form, state, now)
    return _goto(state, _next_unpassed(found, state, after=key))


def _audited(form: Form, state: State, key: str, now: datetime) -> dict[str, str]:
    """The answers with a line for this step added to every audit question (outside repeats, as ODK's audit)."""
    audits = [q.name for q in form.questions() if q.kind is Kind.AUDIT and not form.sections_around(q.name)]
    if not audits or "#add" in key:
        return state.answers
    line = f"{_csv_field(key)},{now.isoformat(timespec='milliseconds')}"
    answers = dict(state.answers)
    for name in audits:
        answers[name] = f"{answers.get(name) or AUDIT_HEADER}\n{line}"
    return answers


def _csv_field(text: str) -> str:
    return f'"{text.replace(chr(34), chr(34) * 2)}"' if any(c in text for c in ',"\n') else text


def _step(form: Form, state: State, now: datetime) -> tuple[Step, Instance]:
    step = current(form, state, now)
    if step is None:
        raise Refused(texts.BUTTON_EXPIRED)
    return step, Instance(form, state.answers, state.repeats, now=now)


def answer(form: Form, state: State, value: str, now: datetime) -> State:
    """The current question answered with `value` (ODK's string); checked against required and constraint."""
    step, instance = _step(form, state, now)
    question = step.question
    assert question is not None
    if value == "":
        if _required(question, instance, step.key):
            raise Refused(question.required_message or texts.XLSFORM_REQUIRED)
        answers = {k: v for k, v in state.answers.items() if k != step.key}
    else:
        value = _typed_check(form, state, step, value, now)
        if question.constraint and not instance.boolean(question.constraint, step.key, value=value):
            raise Refused(question.constraint_message or texts.XLSFORM_CONSTRAINT)
        answers = {**state.answers, step.key: value}
    return _advance(form, replace(state, answers=answers), step.key, now)


def _typed_check(form: Form, state: State, step: Step, value: str, now: datetime) -> str:
    """What the question's type itself asks of an answer (a range's bounds, a whole ranking, enough points)."""
    question = step.question
    assert question is not None
    if question.kind is Kind.RANGE:
        try:
            return parse_typed(question, value, now)
        except Invalid as exc:
            raise Refused(str(exc)) from exc
    if question.kind is Kind.RANK:
        names = [c.name for c in choices(form, state, step, now)]
        if sorted(value.split()) != sorted(names):
            raise Refused(type_texts.RANK_NOT_ALL)
    if question.kind in (Kind.GEOTRACE, Kind.GEOSHAPE):
        points = [p.strip() for p in value.split(";") if p.strip()]
        shape = question.kind is Kind.GEOSHAPE
        if shape and len(points) > 1 and points[0] == points[-1]:
            points.pop()  # already closed: counted without its closing point
        if len(points) < (3 if shape else 2):
            raise Refused(type_texts.SHAPE_TOO_FEW if shape else type_texts.TRACE_TOO_FEW)
        return ";".join([*points, points[0]] if shape else points)  # ODK's geoshape ends where it began
    return value


def keep(form: Form, state: State, now: datetime) -> State:
    """The current answer (a default, or one given before Kembali) kept as it is; notes are acknowledged so."""
    step, _ = _step(form, state, now)
    # A `label` choice question is a header of its choices, never answered: passed over as a note is.
    if step.question is not None and step.question.kind is not Kind.NOTE and not is_label_only(step.question):
        return answer(form, state, state.answers.get(step.key, ""), now)
    return _advance(form, state, step.key, now)


def hold(form: Form, state: State, value: str, now: datetime) -> State:
    """Store a value for the current question without moving on (a select_multiple being ticked)."""
    step, _ = _step(form, state, now)
    answers = {**state.answers, step.key: value} if value else {k: v for k, v in state.answers.items() if k != step.key}
    return replace(state, answers=answers)


def set_answer(form: Form, state: State, key: str, value: str, now: datetime) -> State:
    """Store a value for a step on screen beside the current one (a `field-list` group's question), not moving
    on: required and constraint are checked when the group is done (`answer_group`)."""
    if key not in {s.key for s in steps(form, state, now)}:
        raise Refused(texts.BUTTON_EXPIRED)
    answers = {**state.answers, key: value} if value else {k: v for k, v in state.answers.items() if k != key}
    return replace(state, answers=answers)


def answer_group(form: Form, state: State, keys: list[str], now: datetime) -> State:
    """The steps of a group asked as one message, answered together: each checked as `answer` checks one, all
    passed, then on to the first unpassed step after the group."""
    state, found = _settle(form, state, now)
    shown = [s for s in found if s.key in keys and s.question is not None]
    if not shown:
        raise Refused(texts.BUTTON_EXPIRED)
    instance = Instance(form, state.answers, state.repeats, now=now)
    for step in shown:
        question = step.question
        assert question is not None
        value = state.answers.get(step.key, "")
        if is_label_only(question):
            continue
        if value == "" and _required(question, instance, step.key):
            raise Refused(question.required_message or texts.XLSFORM_REQUIRED, step.key)
        if value and question.constraint and not instance.boolean(question.constraint, step.key):
            raise Refused(question.constraint_message or texts.XLSFORM_CONSTRAINT, step.key)
    taken = {s.key for s in shown}
    for step in shown:
        state = replace(state, answers=_audited(form, state, step.key, now))
    state = replace(state, passed=(*(k for k in state.passed if k not in taken), *(s.key for s in shown)))
    state, found = _settle(form, state, now)
    return _goto(state, _next_unpassed(found, state, after=shown[-1].key))


def more(form: Form, state: State, yes: bool, now: datetime) -> State:
    """The answer to "Tambah lagi?": one more instance of the repeat, or on to what follows it."""
    step, _ = _step(form, state, now)
    if step.repeat is None:
        raise Refused(texts.BUTTON_EXPIRED)
    repeat_key = step.key.split("#add", 1)[0]
    if yes:
        repeats = {**state.repeats, repeat_key: step.count + 1}
        # The new instance's defaults, here: settling sees the count already raised, so it cannot tell it is new.
        prefix = f"{repeat_key}[{step.count + 1}]/"
        answers = {**state.answers, **_defaults(step.repeat.children, prefix, now)}
        answers = _dynamic_defaults(form, step.repeat.children, prefix, answers, repeats, now)
        return _advance(form, replace(state, answers=answers, repeats=repeats), step.key, now)
    # "Tidak": the prompt is passed; Kembali to it and "Ya" still adds one.
    return _advance(form, state, step.key, now)


def back(form: Form, state: State, now: datetime) -> State:
    """Kembali: the question shown before this one (from the summary: the last one shown)."""
    state, _ = _settle(form, state, now)
    history = list(state.history)
    if state.current is not None and history and history[-1] == state.current:
        history.pop()
    if not history:
        raise Refused(texts.XLSFORM_FIRST_QUESTION)
    return replace(state, current=history[-1], history=tuple(history))


def edit(form: Form, state: State, key: str, now: datetime) -> State:
    """From the summary, go to one answered question to answer it again."""
    state, found = _settle(form, state, now)
    step = next((s for s in found if s.key == key), None)
    if step is None:
        raise Refused(texts.BUTTON_EXPIRED)
    return _goto(state, step)


def _required(question: Question, instance: Instance, key: str) -> bool:
    return bool(question.required) and instance.boolean(question.required, key)


def may_skip(form: Form, state: State, step: Step, now: datetime) -> bool:
    """Whether the question may be left empty now (its required expression may depend on other answers)."""
    if step.question is None:
        return False
    return not _required(step.question, Instance(form, state.answers, state.repeats, now=now), step.key)


def choices(form: Form, state: State, step: Step, now: datetime) -> list[Choice]:
    """The choices the question offers now: its list, through its choice_filter if it has one."""
    assert step.question is not None
    listed = form.choice_list(step.question)
    if not step.question.choice_filter:
        return list(listed)
    return Instance(form, state.answers, state.repeats, now=now).allowed_choices(step.question, step.key)


def label(form: Form, state: State, step: Step, now: datetime) -> str:
    """The question's label with its ${name} outputs filled in, as ODK shows them."""
    if step.repeat is not None:
        return step.repeat.label
    assert step.question is not None
    return _fill(form, state, step, step.question.label, now)


def hint(form: Form, state: State, step: Step, now: datetime) -> str:
    assert step.question is not None
    return _fill(form, state, step, step.question.hint, now)


def _fill(form: Form, state: State, step: Step, text: str, now: datetime) -> str:
    if "${" not in text:
        return text
    instance = Instance(form, state.answers, state.repeats, now=now)

    def value(name: str) -> str:
        raw = instance.string(f"${{{name}}}", step.key)
        node = form.node(name)
        return display(node, raw, form.choice_list(node)) if isinstance(node, Question) and raw else raw

    return re.sub(r"\$\{([^}\s]+)\}", lambda m: value(m[1]), text)


# --- the end -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Line:
    key: str
    label: str
    value: str


def summary(form: Form, state: State, now: datetime) -> list[Line]:
    """The relevant answered questions, in form order, labelled with their repeat instance."""
    lines = []
    for step in steps(form, state, now):
        question = step.question
        if question is None or question.kind in (Kind.NOTE, Kind.ACKNOWLEDGE) or step.key not in state.answers:
            continue
        shown = display(question, state.answers[step.key], form.choice_list(question))
        named = question.short_label or label(form, state, step, now)  # label_ringkas: a summary line's name
        lines.append(Line(step.key, _instance_label(form, step) + named, shown))
    return lines


def _instance_label(form: Form, step: Step) -> str:
    if not step.prefix:
        return ""
    parts = []
    for part in step.prefix.strip("/").split("/"):
        name, _, index = part.partition("[")
        parts.append(texts.xlsform_repeat_item(form.node(name).label or name, int(index.rstrip("]"))))
    return " › ".join(parts) + " › "


def finish(form: Form, state: State, now: datetime) -> dict[str, Any]:
    """The submission: the relevant answers with end metadata; Refused naming the step still to answer."""
    state, found = _settle(form, state, now)
    instance = Instance(form, state.answers, state.repeats, now=now)
    for step in found:
        question = step.question
        if step.key not in state.passed and (question is None or question.kind is not Kind.NOTE):
            raise Refused(texts.XLSFORM_UNANSWERED, step.key)
        if question is None:
            continue
        value = state.answers.get(step.key, "")
        if value == "" and _required(question, instance, step.key) and not is_label_only(question):
            raise Refused(question.required_message or texts.XLSFORM_REQUIRED, step.key)
        if value and question.constraint and not instance.boolean(question.constraint, step.key):
            raise Refused(question.constraint_message or texts.XLSFORM_CONSTRAINT, step.key)
    answers = dict(state.answers)
    for question in form.questions():
        if question.kind is Kind.END and not form.sections_around(question.name):
            answers[question.name] = now.isoformat(timespec="milliseconds")
    return {"answers": answers, "repeats": {k: v for k, v in state.repeats.items() if v}}
