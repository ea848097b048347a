"""XLSForm expressions evaluated with XPath 1.0 semantics, as ODK does, by elementpath (never Python eval).

The answers so far become the XML instance ODK evaluates against (`Instance`): one element per group,
repeat instance and question, its text the answer as ODK stores it (every value is a string; an unanswered
question is an empty element). A `${name}` reference becomes a path to that element: relative when both ends
share a repeat, so `${nama}` inside a repeat means this instance's `nama`, absolute otherwise, so `count(${x})`
from outside counts every instance. The ODK XForms function list (selected(), today(), regex(), if(),
jr:choice-name(), position(..), indexed-repeat(), once(), the math, date, string, checklist and digest
functions, distance() and area()) is registered on a parser subclass, and pulldata() over the form's attached
CSV files (Form.tables). Relational operators, + / - and number() also accept dates ('2026-12-01'
counts as days since 1970-01-01), as JavaRosa does.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import math
import operator
import random
import re
import uuid
import xml.etree.ElementTree as ET
from abc import ABCMeta
from collections.abc import Mapping
from contextvars import ContextVar
from copy import copy
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from elementpath import XPath1Parser, XPathContext, get_node_tree
from elementpath.exceptions import ElementPathError
from elementpath.xpath_nodes import XPathNode

from bot.xlsform.model import Choice, Form, Question, Section

ROOT = "data"
_REFERENCE = re.compile(r"\$\{([^}\s]+)\}")
# '${name}' inside quotes: jr:choice-name's second argument names a question rather than reading it.
_QUOTED_REFERENCE = re.compile(r"""(['"])\$\{([^}\s]+)\}\1""")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?")
_EPOCH = date(1970, 1, 1)
_FILTER_MEMO = 512  # filtered choice lists kept per form
_VALUE_MEMO = 8192  # expression values kept per form
_RANDOM = random.Random()
# Functions whose value changes with the clock, chance or the node's place: never memoised.
_CLOCK = re.compile(r"\b(?:today|now|position|random|randomize|uuid|indexed-repeat)\s*\(")


class ExpressionError(ValueError):
    """An expression that does not parse, or that fails when evaluated (the message is elementpath's)."""


def references(expression: str) -> list[str]:
    """The question names an expression reads through ${...}, in order of appearance."""
    return _REFERENCE.findall(expression)


def check(expression: str) -> None:
    """Raise ExpressionError if the expression does not parse (references stand in as plain paths)."""
    _compile(_prepare(_REFERENCE.sub(lambda m: f"/{ROOT}/x", expression)))


# --- the parser with ODK's functions -----------------------------------------------------------------------


class ODKParser(XPath1Parser):
    """XPath 1.0 plus the functions ODK forms use."""


_current: ContextVar[Instance] = ContextVar("xlsform_instance")
_function = ODKParser.function
_method = ODKParser.method


def _instance(token: Any) -> Instance:
    """The instance being evaluated; none while elementpath folds constants at parse time."""
    instance = _current.get(None)
    if instance is None:
        raise token.missing_context()
    return instance


def _atoms(token: Any, value: Any) -> list[Any]:
    """A value as a list of atoms: node-sets give their string values."""
    items = value if isinstance(value, list) else [value]
    return [token.string_value(item) if isinstance(item, XPathNode) else item for item in items]


def _string(token: Any, value: Any) -> str:
    atoms = _atoms(token, value)
    return format_value(atoms[0]) if atoms else ""


def _arg(token: Any, context: Any, index: int) -> Any:
    return token[index].evaluate(copy(context))


def _sarg(token: Any, context: Any, index: int) -> str:
    return _string(token, _arg(token, context, index))


def to_number(value: Any) -> float:
    """XPath number(), except that a date or date-time string counts as (fractional) days since 1970."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip()
    try:
        return float(text)
    except ValueError:
        pass
    match = _DATE.match(text)
    if match is None:
        return math.nan
    try:
        days = (date(int(match[1]), int(match[2]), int(match[3])) - _EPOCH).days
    except ValueError:
        return math.nan
    hours, minutes, seconds = (int(match[i] or 0) for i in (4, 5, 6))
    return days + (hours * 3600 + minutes * 60 + seconds) / 86400


def format_value(value: Any) -> str:
    """XPath string(): 3.0 is '3', booleans are 'true'/'false'; NaN and infinities are stored as ''."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    return "" if value is None else str(value)


@_method(_function("selected", nargs=2))
def evaluate__selected(self: Any, context: Any = None) -> bool:
    return _sarg(self, context, 1).strip() in _sarg(self, context, 0).split()


@_method(_function("count-selected", nargs=1))
def evaluate__count_selected(self: Any, context: Any = None) -> int:
    return len(_sarg(self, context, 0).split())


@_method(_function("today", nargs=0))
def evaluate__today(self: Any, context: Any = None) -> str:
    return _instance(self).today.isoformat()


@_method(_function("now", nargs=0))
def evaluate__now(self: Any, context: Any = None) -> str:
    return _instance(self).now.isoformat(timespec="milliseconds")


@_method(_function("regex", nargs=2))
def evaluate__regex(self: Any, context: Any = None) -> bool:
    # JavaRosa uses Matcher.find(): the pattern may match anywhere unless it is anchored.
    try:
        return re.search(_sarg(self, context, 1), _sarg(self, context, 0)) is not None
    except re.error as exc:
        raise ExpressionError(f"regex: {exc}") from exc


@_method(_function("if", nargs=3))
def evaluate__if(self: Any, context: Any = None) -> Any:
    chosen = 1 if self.boolean_value(_arg(self, context, 0)) else 2
    return _arg(self, context, chosen)


@_method(_function("coalesce", nargs=2))
def evaluate__coalesce(self: Any, context: Any = None) -> str:
    return _sarg(self, context, 0) or _sarg(self, context, 1)


@_method(_function("int", nargs=1))
def evaluate__int(self: Any, context: Any = None) -> float:
    number = _first_number(self, _arg(self, context, 0))
    return number if math.isnan(number) or math.isinf(number) else float(math.trunc(number))


@_method(_function("choice-name", nargs=2))
def evaluate__choice_name(self: Any, context: Any = None) -> str:
    value, name = _sarg(self, context, 0), _sarg(self, context, 1)
    return _instance(self).choice_label(name, value)


@_method(_function("pulldata", nargs=4))
def evaluate__pulldata(self: Any, context: Any = None) -> str:
    """pulldata('file', 'column', 'key_column', key): `column` of the attached file.csv's first row whose
    `key_column` is key; "" when none is (as ODK Collect)."""
    file, column, key_column, key = (_sarg(self, context, i) for i in range(4))
    return _instance(self).pulldata(file, column, key_column, key)


@_method(_function("abs", nargs=1))
def evaluate__abs(self: Any, context: Any = None) -> float:
    return abs(_first_number(self, _arg(self, context, 0)))


@_method(_function("pow", nargs=2))
def evaluate__pow(self: Any, context: Any = None) -> float:
    try:
        return float(_first_number(self, _arg(self, context, 0)) ** _first_number(self, _arg(self, context, 1)))
    except (OverflowError, ZeroDivisionError):
        return math.nan


@_method(_function("substr", nargs=(2, 3)))
def evaluate__substr(self: Any, context: Any = None) -> str:
    """ODK's substr(s, start[, end]): 0-based, end exclusive (unlike XPath's substring)."""
    text = _sarg(self, context, 0)
    start = _first_number(self, _arg(self, context, 1))
    end = _first_number(self, _arg(self, context, 2)) if len(self) == 3 else len(text)
    if math.isnan(start) or math.isnan(end):
        return ""
    return text[max(0, int(start)) : max(0, int(end))]


_DATE_FORMATS = {"%Y": "%Y", "%y": "%y", "%m": "%m", "%d": "%d", "%H": "%H", "%M": "%M", "%S": "%S"}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
_DAYS = ("Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min")


def evaluate__format_date(self: Any, context: Any = None) -> str:
    """ODK's format-date and format-date-time; %b and %a in Indonesian (the form's language here), '' for a value
    that is no date."""
    moment = _moment(_sarg(self, context, 0))
    if moment is None:
        return ""
    words = {"%b": _MONTHS[moment.month - 1], "%a": _DAYS[moment.weekday()], "%n": str(moment.month),
             "%e": str(moment.day), "%h": str(moment.hour), "%3": f"{moment.microsecond // 1000:03d}"}  # fmt: skip
    pattern = _sarg(self, context, 1)
    return re.sub(r"%[a-zA-Z3]", lambda m: words.get(m[0]) or moment.strftime(_DATE_FORMATS.get(m[0], m[0])), pattern)


_method(_function("format-date", nargs=2))(evaluate__format_date)
_method(_function("format-date-time", nargs=2))(evaluate__format_date)


def _round(self: Any, context: Any = None) -> float:
    """round(x) as XPath (halves up: round(-2.5) is -2); round(x, digits) as JavaRosa, halves away from zero."""
    number = _first_number(self, _arg(self, context, 0))
    if math.isnan(number) or math.isinf(number):
        return number
    if len(self) == 1:
        return float(math.floor(number + 0.5))
    digits = int(_first_number(self, _arg(self, context, 1)))
    scale = 10.0**digits
    return math.copysign(math.floor(abs(number) * scale + 0.5) / scale, number)


def _concat(self: Any, context: Any = None) -> str:
    return "".join(_sarg(self, context, i) for i in range(len(self)))


def _position(self: Any, context: Any = None) -> int:
    """position() as XPath has it; position(..) as ODK adds it: which instance of its repeat a node is (1, 2...)."""
    if len(self) == 0:
        return context.position
    nodes = _arg(self, context, 0)
    nodes = nodes if isinstance(nodes, list) else [nodes]
    if not nodes or not isinstance(nodes[0], XPathNode):
        return 0
    element = nodes[0].obj
    parent = _instance(self).parent_of(element)
    if parent is None:
        return 1
    same = [e for e in parent if e.tag == element.tag]
    return same.index(element) + 1


# --- the rest of ODK's function list (https://getodk.github.io/xforms-spec/#xpath-functions) -------------------


def _all_atoms(token: Any, context: Any, start: int = 0) -> list[Any]:
    """Every argument from `start` on, node-sets spread into their nodes' values (as max(), join() take them)."""
    return [atom for i in range(start, len(token)) for atom in _atoms(token, _arg(token, context, i))]


def _numbers(token: Any, context: Any) -> list[float]:
    return [to_number(atom) for atom in _all_atoms(token, context)]


@_method(_function("max", nargs=(1, None)))
def evaluate__max(self: Any, context: Any = None) -> float:
    """The largest value; NaN when there is none or one is not a number (an unanswered one counts as such)."""
    numbers = _numbers(self, context)
    return math.nan if not numbers or any(math.isnan(n) for n in numbers) else max(numbers)


@_method(_function("min", nargs=(1, None)))
def evaluate__min(self: Any, context: Any = None) -> float:
    numbers = _numbers(self, context)
    return math.nan if not numbers or any(math.isnan(n) for n in numbers) else min(numbers)


def _math(name: str, function: Any, nargs: int) -> None:
    """Register a number function; a value outside its domain (sqrt(-1), log(0)) gives NaN, stored as no value."""

    def evaluate_(self: Any, context: Any = None) -> float:
        try:
            return float(function(*(_first_number(self, _arg(self, context, i)) for i in range(nargs))))
        except (ValueError, OverflowError, ZeroDivisionError):
            return math.nan

    evaluate_.__name__ = f"evaluate__{name}"
    _method(_function(name, nargs=nargs))(evaluate_)


for _name, _fn in {"sqrt": math.sqrt, "exp": math.exp, "exp10": lambda x: 10.0**x, "log": math.log,
                   "log10": math.log10, "sin": math.sin, "cos": math.cos, "tan": math.tan, "asin": math.asin,
                   "acos": math.acos, "atan": math.atan}.items():  # fmt: skip
    _math(_name, _fn, 1)
_math("atan2", math.atan2, 2)
_math("pi", lambda: math.pi, 0)


def _moment(value: str) -> datetime | None:
    """A date or date-time string, or a number of days since 1970 (what date arithmetic gives), as a datetime."""
    text = value.strip()
    number = to_number(text) if text and _DATE.match(text) is None else math.nan
    if not math.isnan(number):
        try:
            return datetime(1970, 1, 1) + timedelta(days=number)
        except OverflowError:
            return None
    match = _DATE.match(text)
    if match is None:
        return None
    try:
        moment = datetime(*(int(match[i] or 0) for i in range(1, 7)))
    except ValueError:
        return None
    return moment.replace(microsecond=int((match[7] or "0")[:6].ljust(6, "0")))


@_method(_function("date", nargs=1))
def evaluate__date(self: Any, context: Any = None) -> str:
    moment = _moment(_sarg(self, context, 0))
    return "" if moment is None else moment.date().isoformat()


@_method(_function("date-time", nargs=1))
def evaluate__date_time(self: Any, context: Any = None) -> str:
    moment = _moment(_sarg(self, context, 0))
    return "" if moment is None else moment.isoformat(timespec="milliseconds")


@_method(_function("decimal-date-time", nargs=1))
def evaluate__decimal_date_time(self: Any, context: Any = None) -> float:
    """Days since 1970-01-01, with the time of day as the fraction."""
    moment = _moment(_sarg(self, context, 0))
    return math.nan if moment is None else (moment - datetime(1970, 1, 1)) / timedelta(days=1)


_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?")


@_method(_function("decimal-time", nargs=1))
def evaluate__decimal_time(self: Any, context: Any = None) -> float:
    """A time of day as the fraction of a day it is (12:00 is 0.5); NaN for what is no time."""
    match = _TIME.match(_sarg(self, context, 0).strip())
    if match is None or int(match[1]) > 23 or int(match[2]) > 59 or int(match[3] or 0) > 59:
        return math.nan
    seconds = int(match[1]) * 3600 + int(match[2]) * 60 + int(match[3] or 0) + float(f"0.{match[4] or 0}")
    return seconds / 86400


@_method(_function("once", nargs=1))
def evaluate__once(self: Any, context: Any = None) -> Any:
    """The node's value when it has one (a calculate keeps its first value), else the expression's."""
    item = getattr(context, "item", None)
    current = self.string_value(item) if isinstance(item, XPathNode) else ""
    return current if current else _string(self, _arg(self, context, 0))


_ALPHANUMERIC = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


@_method(_function("uuid", nargs=(0, 1)))
def evaluate__uuid(self: Any, context: Any = None) -> str:
    """A random version 4 UUID; uuid(n) a random string of n letters and digits."""
    rng = _instance(self).rng
    if len(self) == 0:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))
    length = _first_number(self, _arg(self, context, 0))
    if math.isnan(length) or length < 1:
        return ""
    return "".join(rng.choice(_ALPHANUMERIC) for _ in range(min(int(length), 1000)))


@_method(_function("random", nargs=0))
def evaluate__random(self: Any, context: Any = None) -> float:
    return _instance(self).rng.random()


@_method(_function("indexed-repeat", nargs=(3, None)))
def evaluate__indexed_repeat(self: Any, context: Any = None) -> list[Any]:
    """indexed-repeat(node, repeat, n[, repeat2, n2...]): the node in the n-th instance of the repeat (1-based),
    read from anywhere: every node of each name is looked at, wherever the reference was written."""
    instance = _instance(self)
    if len(self) % 2 == 0:
        raise self.error("XPST0017", "indexed-repeat takes a node and pairs of repeat and index")
    scope: Any = None
    for i in range(1, len(self), 2):
        repeats = [n for n in instance.every(self, _arg(self, context, i)) if instance.within(n.obj, scope)]
        index = _first_number(self, _arg(self, context, i + 1))
        if math.isnan(index) or not 1 <= int(index) <= len(repeats):
            return []
        scope = repeats[int(index) - 1].obj
    return [n for n in instance.every(self, _arg(self, context, 0)) if instance.within(n.obj, scope)][:1]


@_method(_function("selected-at", nargs=2))
def evaluate__selected_at(self: Any, context: Any = None) -> str:
    """The n-th choice of a select_multiple answer, counted from 0; '' past the last."""
    chosen = _sarg(self, context, 0).split()
    index = _first_number(self, _arg(self, context, 1))
    return chosen[int(index)] if not math.isnan(index) and 0 <= int(index) < len(chosen) else ""


@_method(_function("ends-with", nargs=2))
def evaluate__ends_with(self: Any, context: Any = None) -> bool:
    return _sarg(self, context, 0).endswith(_sarg(self, context, 1))


@_method(_function("join", nargs=(1, None)))
def evaluate__join(self: Any, context: Any = None) -> str:
    return _sarg(self, context, 0).join(format_value(a) for a in _all_atoms(self, context, 1))


@_method(_function("boolean-from-string", nargs=1))
def evaluate__boolean_from_string(self: Any, context: Any = None) -> bool:
    return _sarg(self, context, 0).strip().lower() in ("true", "1")


@_method(_function("count-non-empty", nargs=1))
def evaluate__count_non_empty(self: Any, context: Any = None) -> int:
    return sum(1 for atom in _all_atoms(self, context) if format_value(atom) != "")


def _within_bounds(total: float, low: float, high: float) -> bool:
    """checklist's bounds: -1 (or anything negative) means no bound on that side."""
    return (low < 0 or total >= low) and (high < 0 or total <= high)


@_method(_function("checklist", nargs=(2, None)))
def evaluate__checklist(self: Any, context: Any = None) -> bool:
    """checklist(min, max, v...): whether the number of true values is between min and max."""
    low, high = (_first_number(self, _arg(self, context, i)) for i in (0, 1))
    count = sum(1 for atom in _all_atoms(self, context, 2) if self.boolean_value(atom))
    return _within_bounds(count, low, high)


@_method(_function("weighted-checklist", nargs=(2, None)))
def evaluate__weighted_checklist(self: Any, context: Any = None) -> bool:
    """weighted-checklist(min, max, v1, w1, v2, w2...): whether the weights of the true values sum within bounds."""
    if len(self) % 2:
        raise self.error("XPST0017", "weighted-checklist takes pairs of value and weight")
    low, high = (_first_number(self, _arg(self, context, i)) for i in (0, 1))
    values = [a for i in range(2, len(self), 2) for a in _atoms(self, _arg(self, context, i))]
    weights = [to_number(a) for i in range(3, len(self), 2) for a in _atoms(self, _arg(self, context, i))]
    total = sum(w for v, w in zip(values, weights, strict=False) if self.boolean_value(v))
    return _within_bounds(total, low, high)


_DIGESTS = {"md5": "md5", "sha1": "sha1", "sha256": "sha256", "sha384": "sha384", "sha512": "sha512"}


@_method(_function("digest", nargs=(2, 3)))
def evaluate__digest(self: Any, context: Any = None) -> str:
    """digest(data, 'MD5' | 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512'[, 'base64' | 'hex']) of the UTF-8 text."""
    algorithm = _DIGESTS.get(_sarg(self, context, 1).strip().lower().replace("-", ""))
    encoding = _sarg(self, context, 2).strip().lower() if len(self) == 3 else "base64"
    if algorithm is None or encoding not in ("base64", "hex"):
        raise self.error("XPTY0004", "digest: unknown algorithm or encoding")
    digest = hashlib.new(algorithm, _sarg(self, context, 0).encode())
    return digest.hexdigest() if encoding == "hex" else base64.b64encode(digest.digest()).decode()


@_method(_function("base64-decode", nargs=1))
def evaluate__base64_decode(self: Any, context: Any = None) -> str:
    """The UTF-8 text a base64 string holds; '' for what is not base64 of UTF-8 text."""
    try:
        return base64.b64decode(_sarg(self, context, 0), validate=True).decode()
    except (ValueError, UnicodeDecodeError):
        return ""


@_method(_function("randomize", nargs=(1, 2)))
def evaluate__randomize(self: Any, context: Any = None) -> list[Any]:
    """The nodes shuffled; with a seed, the same order each time (from Python's generator, not JavaRosa's)."""
    nodes = _arg(self, context, 0)
    nodes = list(nodes) if isinstance(nodes, list) else [nodes]
    if len(self) == 2:
        seed = _first_number(self, _arg(self, context, 1))
        rng = random.Random(0 if math.isnan(seed) else int(seed))
    else:
        rng = _instance(self).rng
    rng.shuffle(nodes)
    return nodes


_EARTH_RADIUS = 6_378_100.0  # metres, as JavaRosa's GeoUtils


def _points(token: Any, context: Any) -> list[tuple[float, float]]:
    """The points of geopoint, geotrace and geoshape values ('lat lon alt acc;...'), in order."""
    points = []
    for atom in _all_atoms(token, context):
        for part in format_value(atom).split(";"):
            numbers = part.split()
            if len(numbers) >= 2:
                points.append((to_number(numbers[0]), to_number(numbers[1])))
    return points


@_method(_function("distance", nargs=(1, None)))
def evaluate__distance(self: Any, context: Any = None) -> float:
    """The length in metres of a geotrace or geoshape, or of the path through the geopoints given."""
    points = _points(self, context)
    total = 0.0
    for (lat1, lon1), (lat2, lon2) in itertools.pairwise(points):
        p1, p2, dp, dl = map(math.radians, (lat1, lat2, lat2 - lat1, lon2 - lon1))
        a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
        total += 2 * _EARTH_RADIUS * math.asin(min(1.0, math.sqrt(a)))
    return total


@_method(_function("area", nargs=1))
def evaluate__area(self: Any, context: Any = None) -> float:
    """The area in square metres of a geoshape, on a sphere (Chamberlain and Duquette's formula)."""
    points = _points(self, context)
    if len(points) < 3:
        return 0.0
    total = 0.0
    for (lat1, lon1), (lat2, lon2) in itertools.pairwise([*points, points[0]]):
        total += math.radians(lon2 - lon1) * (2 + math.sin(math.radians(lat1)) + math.sin(math.radians(lat2)))
    return abs(total * _EARTH_RADIUS**2 / 2)


def _number(self: Any, context: Any = None) -> float:
    """XPath number(), except that a date or date-time counts as days since 1970, as the ODK spec has it."""
    if len(self) == 0:
        item = getattr(context, "item", None)
        return to_number(self.string_value(item)) if isinstance(item, XPathNode) else math.nan
    return _first_number(self, _arg(self, context, 0))


_RELATIONAL = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def _relational(self: Any, context: Any = None) -> bool:
    """XPath 1.0: both sides as numbers, any pair of a node-set satisfying it; dates count as days."""
    compare = _RELATIONAL[self.symbol]
    left = _atoms(self, _arg(self, context, 0))
    right = _atoms(self, _arg(self, context, 1))
    return any(compare(to_number(a), to_number(b)) for a in left for b in right)


def _equality(self: Any, context: Any = None) -> bool:
    """XPath 1.0 = and !=: booleans win, then numbers, else strings; a node-set matches if any node does.

    (elementpath compares a number with a node's text as XPath 2.0 would, so '20' = 20 were false.)
    """
    compare = operator.eq if self.symbol == "=" else operator.ne
    left_value, right_value = _arg(self, context, 0), _arg(self, context, 1)
    if isinstance(left_value, bool) or isinstance(right_value, bool):
        return compare(self.boolean_value(left_value), self.boolean_value(right_value))
    left, right = _atoms(self, left_value), _atoms(self, right_value)
    if any(isinstance(v, int | float) for v in (*left, *right)):
        return any(compare(to_number(a), to_number(b)) for a in left for b in right)
    return any(compare(format_value(a), format_value(b)) for a in left for b in right)


_original_plus = ODKParser.symbol_table["+"].evaluate
_original_minus = ODKParser.symbol_table["-"].evaluate


def _first_number(token: Any, value: Any) -> float:
    atoms = _atoms(token, value)
    return to_number(atoms[0]) if atoms else math.nan


def _plus(self: Any, context: Any = None) -> Any:
    if len(self) == 1:
        return _original_plus(self, context)
    return _first_number(self, _arg(self, context, 0)) + _first_number(self, _arg(self, context, 1))


def _minus(self: Any, context: Any = None) -> Any:
    if len(self) == 1:
        return _original_minus(self, context)
    return _first_number(self, _arg(self, context, 0)) - _first_number(self, _arg(self, context, 1))


def _override(symbol: str, evaluate: Any, **attributes: Any) -> None:
    """Give ODKParser its own subclass of a token: registering on the shared class would change XPath1Parser too."""
    base = ODKParser.symbol_table[symbol]
    attributes.update(evaluate=evaluate, __module__=__name__)
    ODKParser.symbol_table[symbol] = ABCMeta(f"_ODK{base.__name__}", (base,), attributes)


for _symbol in _RELATIONAL:
    _override(_symbol, _relational)
_override("=", _equality)
_override("!=", _equality)
_override("+", _plus)
_override("-", _minus)
# ODK's concat() takes a single argument too; position(..) is ODK's repeat index.
_override("concat", _concat, nargs=(1, None))
_override("position", _position, nargs=(0, 1))
_override("round", _round, nargs=(1, 2))
_override("number", _number)


def _prepare(expression: str) -> str:
    """ODK spellings the XPath 1.0 grammar lacks: jr:choice-name() loses its prefix."""
    return expression.replace("jr:choice-name(", "choice-name(")


@cache
def _compile(source: str) -> Any:
    try:
        return ODKParser().parse(source)
    except (ElementPathError, SyntaxError, ValueError, TypeError, KeyError) as exc:
        raise ExpressionError(str(exc)) from exc


# --- the instance ------------------------------------------------------------------------------------------


def instance_key(name: str, repeat_path: str) -> str:
    """Where an answer is stored: 'nama', or 'anggota[2]/nama' inside the second instance of a repeat."""
    return f"{repeat_path}{name}"


class Instance:
    """The answers as ODK's XML instance, for one round of evaluations (build a new one after changes)."""

    def __init__(
        self,
        form: Form,
        answers: Mapping[str, str],
        repeats: Mapping[str, int],
        *,
        now: datetime,
        extra: Mapping[str, str] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.form = form
        self.rng = rng or _RANDOM  # uuid() and random(); a test passes a seeded one
        self.now = now
        self.today = now.date()
        self._answers, self._repeats = answers, repeats
        self._nodes: Any = None  # elementpath's node tree over `root`, built on the first evaluation
        self.root = ET.Element(ROOT)
        # "" is the form itself: the context of a top-level repeat's repeat_count.
        self._elements: dict[str, ET.Element] = {"": self.root}
        self._parents: dict[int, ET.Element] = {}
        self._build(self.root, form.children, "", answers, repeats)

    def _build(
        self, parent: ET.Element, nodes: tuple[Any, ...], prefix: str, answers: Mapping[str, str],
        repeats: Mapping[str, int],
    ) -> None:  # fmt: skip
        for node in nodes:
            if isinstance(node, Section) and node.repeat:
                for i in range(1, repeats.get(prefix + node.name, 0) + 1):
                    element = self._child(parent, node.name, f"{prefix}{node.name}[{i}]")
                    self._build(element, node.children, f"{prefix}{node.name}[{i}]/", answers, repeats)
            elif isinstance(node, Section):
                element = self._child(parent, node.name, prefix + node.name)
                self._build(element, node.children, prefix, answers, repeats)
            else:
                element = self._child(parent, node.name, prefix + node.name)
                element.text = answers.get(prefix + node.name, "")

    def _child(self, parent: ET.Element, tag: str, key: str) -> ET.Element:
        element = ET.SubElement(parent, tag)
        self._elements[key] = element
        self._parents[id(element)] = parent
        return element

    def parent_of(self, element: Any) -> ET.Element | None:
        return self._parents.get(id(element))

    def every(self, token: Any, value: Any) -> list[Any]:
        """Every node named as the first node of `value` (a ${} reference read whole, wherever it was written)."""
        nodes = value if isinstance(value, list) else [value]
        if not nodes or not isinstance(nodes[0], XPathNode):
            return []
        return self._named(nodes[0].obj.tag)

    def within(self, element: Any, scope: Any) -> bool:
        """Whether the element is `scope` or below it (any element is within no scope)."""
        while scope is not None and element is not None and element is not scope:
            element = self._parents.get(id(element))
        return scope is None or element is scope

    def has(self, key: str) -> bool:
        return key in self._elements

    def evaluate(self, expression: str, at: str, *, value: str | None = None) -> Any:
        """The expression's value with the node at instance key `at` as `.`; `value` stands in for its answer."""
        if value is not None and value != (self._elements[at].text or ""):
            # The instance is never changed once built (its node tree is reused): a candidate gets its own.
            other = Instance(self.form, {**self._answers, at: value}, self._repeats, now=self.now, rng=self.rng)
            return other.evaluate(expression, at)
        source, whole = _translate(self.form, expression, _name_of(at))
        token = _compile(source)
        if self._nodes is None:
            # Wrapping the tree in XPath nodes is elementpath's costliest step: done once per instance, not per
            # expression (it was most of the time of a 60-question form).
            self._nodes = get_node_tree(self.root)
        variables = {f"abs_{name}": self._named(name) for name in whole}
        reset = _current.set(self)
        try:
            item = self._nodes.elements[self._elements[at]]
            context = XPathContext(self._nodes, item=item, variables=variables)
            return token.evaluate(context)
        except ElementPathError as exc:
            raise ExpressionError(str(exc)) from exc
        finally:
            _current.reset(reset)

    def _named(self, name: str) -> list[Any]:
        """Every node of that name, in document order (one outside repeats, one per instance inside)."""
        index = self.__dict__.get("_by_name")
        if index is None:
            index = {}
            for key, element in self._elements.items():
                if key:
                    index.setdefault(_name_of(key), []).append(self._nodes.elements[element])
            self._by_name = index
        return index.get(name, [])

    def boolean(self, expression: str, at: str, *, value: str | None = None) -> bool:
        if value is not None:
            return _compile(".").boolean_value(self.evaluate(expression, at, value=value))
        return self._memoised("b", expression, at, lambda: _compile(".").boolean_value(self.evaluate(expression, at)))

    def string(self, expression: str, at: str) -> str:
        return self._memoised("s", expression, at, lambda: _string(_compile("."), self.evaluate(expression, at)))

    def _memoised(self, kind: str, expression: str, at: str, compute: Any) -> Any:
        """An expression that reads only its ${} references and `.` gives the same value for the same answers
        (JavaRosa re-evaluates only what an answer triggers; this gets most of that): kept per form."""
        source, whole = _translate(self.form, expression, _name_of(at))
        if "/" in source or ".." in source or _CLOCK.search(source):
            return compute()
        key = (kind, expression, at, self._answers.get(at, ""), tuple(self._values(name) for name in whole))
        memo = self.form.__dict__.setdefault("_values", {})
        if key not in memo:
            if len(memo) >= _VALUE_MEMO:
                memo.clear()
            memo[key] = compute()
        return memo[key]

    def _values(self, name: str) -> tuple[str, ...]:
        return tuple(self._answers.get(key, "") for key in self._keys_named(name))

    def _keys_named(self, name: str) -> list[str]:
        index = self.__dict__.get("_key_index")
        if index is None:
            index = {}
            for key in self._elements:
                if key:
                    index.setdefault(_name_of(key), []).append(key)
            self._key_index = index
        return index.get(name, [])

    def pulldata(self, file: str, column: str, key_column: str, key: str) -> str:
        name = file if file.lower().endswith(".csv") else f"{file}.csv"
        index = self.form.__dict__.setdefault("_pulldata", {})
        found = index.get((name, key_column))
        if found is None:
            rows = next((rows for table, rows in self.form.tables.items() if table.lower() == name.lower()), ())
            found = index[(name, key_column)] = {}
            for row in rows:
                values = dict(row)
                found.setdefault(values.get(key_column, ""), values)
        return found.get(key, {}).get(column, "")

    def choice_label(self, name: str, value: str) -> str:
        if not self.form.has(name):
            return ""
        question = self.form.node(name)
        if not isinstance(question, Question):
            return ""
        return next((c.label for c in self.form.choice_list(question) if c.name == value), "")

    def allowed_choices(self, question: Question, at: str) -> list[Choice]:
        """The question's choices that pass its choice_filter, as ODK's itemset `item[filter]` selects them.

        The ${} references are read first (from the question's place, so inside a repeat its own instance) and
        passed in as variables; the whole list is filtered in one evaluation over a cached item tree.
        """
        values: list[str] = []

        def variable(match: re.Match[str]) -> str:
            values.append(self.string(f"${{{match[1]}}}", at))
            return f"$ref{len(values) - 1}"

        source = "/root/item[" + _prepare(_REFERENCE.sub(variable, question.choice_filter)) + "]"
        choices = self.form.choice_list(question)
        # Past the references, a filter reads only the items: the same values give the same choices (the 424 desa
        # of a kecamatan are filtered once per process, not at every message). Clock functions are never cached.
        memo = self.form.__dict__.setdefault("_filtered", {})
        key = (question.list_name, source, tuple(values))
        cacheable = "today(" not in source and "now(" not in source
        if cacheable and key in memo:
            return memo[key]
        tree, positions = _itemset(self.form, question.list_name)
        token = _compile(source)
        reset = _current.set(self)
        try:
            variables = {f"ref{i}": v for i, v in enumerate(values)}
            found = token.evaluate(XPathContext(tree, variables=variables))
        except ElementPathError as exc:
            raise ExpressionError(str(exc)) from exc
        finally:
            _current.reset(reset)
        picked = sorted(positions[id(node.obj)] for node in found if isinstance(node, XPathNode))
        allowed = [choices[i] for i in picked]
        if cacheable:
            if len(memo) >= _FILTER_MEMO:
                memo.clear()  # a filter on typed text could otherwise grow it without end
            memo[key] = allowed
        return allowed


def _itemset(form: Form, list_name: str) -> tuple[ET.Element, dict[int, int]]:
    """A choice list as ODK's secondary instance (root/item with name, label and the extra columns), cached."""
    cache_ = form.__dict__.setdefault("_itemsets", {})
    found = cache_.get(list_name)
    if found is None:
        root = ET.Element("root")
        positions: dict[int, int] = {}
        for i, choice in enumerate(form.choices.get(list_name, ())):
            item = ET.SubElement(root, "item")
            ET.SubElement(item, "name").text = choice.name
            ET.SubElement(item, "label").text = choice.label
            for column, text in choice.extra:
                ET.SubElement(item, column).text = text
            positions[id(item)] = i
        found = cache_[list_name] = (root, positions)
    return found


def _name_of(key: str) -> str:
    return key.rsplit("/", 1)[-1].split("[", 1)[0]


def _translate(form: Form, expression: str, at: str) -> tuple[str, tuple[str, ...]]:
    """The expression with every ${name} a path from the node named `at`, and the names read whole.

    A reference that shares no repeat with `at` means every node of that name: it becomes the variable
    $abs_<name>, bound to those nodes at evaluation (a lookup instead of walking /data/... each time). Cached.
    """
    cache_ = form.__dict__.setdefault("_translations", {})
    found = cache_.get((expression, at))
    if found is None:
        whole: list[str] = []

        def reference(match: re.Match[str]) -> str:
            path = _path(form, match[1], at)
            if path.startswith("/"):
                whole.append(match[1])
                return f"$abs_{match[1]}"
            return path

        quoted = _QUOTED_REFERENCE.sub(lambda m: f"'{m[2]}'", expression)
        found = (_prepare(_REFERENCE.sub(reference, quoted)), tuple(dict.fromkeys(whole)))
        cache_[(expression, at)] = found
    return found


def _path(form: Form, target: str, at: str) -> str:
    if not form.has(target):
        raise ExpressionError(f"unknown reference ${{{target}}}")
    target_chain = form.sections_around(target)
    if not at:
        return "/" + "/".join([ROOT, *(s.name for s in form.sections_around(target)), target])
    node = form.node(at)
    context_chain = form.sections_around(at)
    # A section as context: its element is itself, one level below its parents.
    own_chain = (*context_chain, node) if isinstance(node, Section) else context_chain
    depth = len(context_chain)
    shared = -1
    for i, (a, b) in enumerate(zip(own_chain, target_chain, strict=False)):
        if a is not b:
            break
        if a.repeat:
            shared = i
    if shared < 0:
        return "/" + "/".join([ROOT, *(s.name for s in target_chain), target])
    ups = depth - shared
    up = "/".join([".."] * ups) if ups else "."
    return "/".join([up, *(s.name for s in target_chain[shared + 1 :]), target])
