"""A read form as JSON, stored beside its workbook: asking a form then needs neither pyxform nor openpyxl.

Reading the laporan's workbook costs about a second of pyxform and 23 MiB of imports (pyxform, openpyxl) that
stay for the life of the process. The model is plain data, so it is written once when the workbook is read and
loaded from the database afterwards. READER names the reader that wrote it: when bot/xlsform/read.py changes
what it builds, raise it, and stored forms are read again from their workbooks (which never change).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from bot.xlsform.model import Choice, Form, Kind, Node, Question, Section
from bot.xlsform.read import read_xlsform

READER = 4

_QUESTION_FIELDS = tuple(f for f in Question.__slots__ if f not in ("name", "kind", "label", "row"))  # type: ignore[attr-defined]


def dumps(form: Form) -> str:
    return json.dumps(
        {
            "reader": READER,
            "form_id": form.form_id,
            "title": form.title,
            "version": form.version,
            "children": [_node(n) for n in form.children],
            "ignored": list(form.ignored),
            "choices": {
                name: [[c.name, c.label, [list(pair) for pair in c.extra]] for c in listed]
                for name, listed in form.choices.items()
            },
            "tables": {name: [[list(pair) for pair in row] for row in rows] for name, rows in form.tables.items()},
            "missing_files": list(form.missing_files),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def loads(text: str | None) -> Form | None:
    """The form, or None when there is none or another reader wrote it (read the workbook again then)."""
    if not text:
        return None
    data = json.loads(text)
    if data.get("reader") != READER:
        return None
    return Form(
        form_id=data["form_id"],
        title=data["title"],
        version=data["version"],
        children=tuple(_from_node(n) for n in data["children"]),
        ignored=tuple(data.get("ignored", ())),
        choices={
            name: tuple(Choice(c[0], c[1], tuple((k, v) for k, v in c[2])) for c in listed)
            for name, listed in data["choices"].items()
        },
        tables={
            name: tuple(tuple((k, v) for k, v in row) for row in rows)
            for name, rows in (data.get("tables") or {}).items()
        },
        missing_files=tuple(data.get("missing_files") or ()),
    )


def read(workbook: bytes, stored: str | None, attachments: Mapping[str, bytes] | None = None) -> Form:
    """A stored version's form: from its JSON when this reader wrote it, else read from the workbook and its
    attached files, keeping the form_id, title and version it was stored under (they may have come from the
    upload's file name and time, which the workbook alone does not hold)."""
    form = loads(stored)
    if form is not None:
        return form
    form = read_xlsform(workbook, attachments=attachments)
    if not stored:
        return form
    kept = json.loads(stored)
    return replace(form, form_id=kept["form_id"], title=kept["title"], version=kept["version"])


def current(stored: str | None) -> bool:
    """Whether a version's stored JSON can be loaded as it is (else it is worth storing it again)."""
    return bool(stored) and json.loads(stored).get("reader") == READER  # type: ignore[arg-type]


def _node(node: Node) -> dict[str, Any]:
    if isinstance(node, Section):
        return {
            "section": [
                node.name,
                node.label,
                node.row,
                node.relevant,
                node.repeat,
                node.repeat_count,
                node.appearance,
            ],
            "children": [_node(n) for n in node.children],
        }
    # Only the columns that differ from a question's defaults: the laporan's 40-odd questions stay small.
    blank = Question(node.name, node.kind, node.label, node.row)
    rest = {f: getattr(node, f) for f in _QUESTION_FIELDS if getattr(node, f) != getattr(blank, f)}
    return {"q": [node.name, node.kind.value, node.label, node.row], **rest}


def _from_node(data: dict[str, Any]) -> Node:
    if "section" in data:
        name, label, row, relevant, repeat, repeat_count, appearance = data["section"]
        children = tuple(_from_node(n) for n in data["children"])
        return Section(name, label, row, children, relevant=relevant, repeat=repeat, repeat_count=repeat_count,
                       appearance=appearance)  # fmt: skip
    name, kind, label, row = data.pop("q")
    return Question(name, Kind(kind), label, row, **data)
