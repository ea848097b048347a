"""Uploaded forms' answers as the dashboard shows them: one submission's answers in order with their labels, and
a summary per question over many submissions (choice counts, min/median/max of numbers, points on a map)."""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bot.forms.parse import format_rupiah
from bot.xlsform.answers import RUPIAH, display
from bot.xlsform.model import METADATA, Form, Kind, Question

CHOICE_KINDS = (Kind.SELECT_ONE, Kind.SELECT_MULTIPLE)
NUMBER_KINDS = (Kind.INTEGER, Kind.DECIMAL)
_INSTANCE = re.compile(r"(.+)\[(\d+)\]")


def map_link(value: str) -> str | None:
    """OpenStreetMap at a geopoint ('lat lon alt acc'); None when it is not one."""
    parts = value.split()
    if len(parts) < 2:
        return None
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except ValueError:
        return None
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}"


@dataclass(frozen=True)
class Shown:
    """One answer on a submission's page."""

    label: str  # 'Anak 2 › Nama anak' inside a repeat
    text: str
    photo: int | None = None  # its number among the submission's photos
    map_url: str | None = None


def _question(form: Form, key: str) -> Question | None:
    name = key.rsplit("/", 1)[-1]
    if not form.has(name):
        return None
    node = form.node(name)
    if not isinstance(node, Question) or node.kind is Kind.NOTE or node.kind in METADATA:
        return None
    return node


def _prefix(form: Form, key: str) -> str:
    """'Anak 2 › ' for 'anak[2]/nama_anak'."""
    words = []
    for part in key.split("/")[:-1]:
        match = _INSTANCE.fullmatch(part)
        if match is None:
            continue
        section = form.node(match[1]) if form.has(match[1]) else None
        words.append(f"{getattr(section, 'label', '') or match[1]} {match[2]}")
    return "".join(f"{w} › " for w in words)


def answers_shown(form: Form, answers: dict[str, str]) -> list[Shown]:
    """The answers in the order they were given, labelled by the form; notes and metadata left out."""
    shown, photos = [], 0
    for key, value in answers.items():
        question = _question(form, key)
        if question is None:
            continue
        label = _prefix(form, key) + (question.title or question.name)
        if question.kind is Kind.IMAGE and value:
            photos += 1
            shown.append(Shown(label, display(question, value), photo=photos))
            continue
        url = map_link(value) if question.kind is Kind.GEOPOINT else None
        shown.append(Shown(label, display(question, value, form.choice_list(question)), map_url=url))
    return shown


def photo_ids(form: Form, answers: dict[str, str]) -> list[str]:
    """The Telegram file ids of a submission's photos, numbered as answers_shown numbers them."""
    return [v for k, v in answers.items() if v and (q := _question(form, k)) is not None and q.kind is Kind.IMAGE]


# --- the summary per question ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    percent: int  # of the submissions that answered the question


@dataclass(frozen=True)
class Point:
    number: int  # the submission's
    kecamatan: str
    text: str
    url: str


@dataclass(frozen=True)
class Summary:
    question: Question
    label: str
    answered: int
    bars: tuple[Bar, ...] = ()
    low: str = ""
    median: str = ""
    high: str = ""
    points: tuple[Point, ...] = ()

    @property
    def kind(self) -> str:
        if self.question.kind in CHOICE_KINDS:
            return "choice"
        if self.question.kind in NUMBER_KINDS:
            return "number"
        if self.question.kind is Kind.GEOPOINT:
            return "points"
        if self.question.kind is Kind.IMAGE:
            return "photos"
        return "other"


@dataclass(frozen=True)
class Answered:
    """What the summary reads of one submission."""

    number: int
    kecamatan: str
    answers: dict[str, str]


def _number(value: float, question: Question) -> str:
    if RUPIAH in question.appearance.split():
        return format_rupiah(round(value))
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:.2f}".rstrip("0").replace(".", ",")


def _values(question: Question, submitted: list[Answered]) -> list[tuple[Answered, str]]:
    return [
        (s, v) for s in submitted for k, v in s.answers.items() if v != "" and k.rsplit("/", 1)[-1] == question.name
    ]


def _summary(form: Form, question: Question, submitted: list[Answered]) -> Summary:
    values = _values(question, submitted)
    label = question.title or question.name
    answered = len({s.number for s, _ in values})
    if question.kind in CHOICE_KINDS:
        counts: dict[str, int] = {c.name: 0 for c in form.choice_list(question)}
        for _, value in values:
            for name in value.split() if question.kind is Kind.SELECT_MULTIPLE else [value]:
                counts[name] = counts.get(name, 0) + 1
        labels = {c.name: c.label for c in form.choice_list(question)}
        bars = tuple(Bar(labels.get(n, n), c, round(100 * c / answered) if answered else 0) for n, c in counts.items())
        return Summary(question, label, answered, bars=bars)
    if question.kind in NUMBER_KINDS:
        numbers = []
        for _, value in values:
            try:
                numbers.append(float(value))
            except ValueError:
                continue
        if not numbers:
            return Summary(question, label, answered)
        low, middle, high = min(numbers), statistics.median(numbers), max(numbers)
        return Summary(question, label, answered, low=_number(low, question), median=_number(middle, question),
                       high=_number(high, question))  # fmt: skip
    if question.kind is Kind.GEOPOINT:
        points = tuple(
            Point(s.number, s.kecamatan, display(question, v), url) for s, v in values if (url := map_link(v))
        )
        return Summary(question, label, answered, points=points)
    return Summary(question, label, answered)


def summaries(form: Form, submitted: Iterable[Answered]) -> list[Summary]:
    """Every question a person answers (notes, metadata and calculations left out), in form order."""
    rows = list(submitted)
    return [
        _summary(form, q, rows) for q in form.questions() if q.asked and q.kind not in (Kind.NOTE, Kind.ACKNOWLEDGE)
    ]


def as_answered(number: int, kecamatan: str, data: dict[str, Any]) -> Answered:
    return Answered(number, kecamatan, data.get("answers", {}))
