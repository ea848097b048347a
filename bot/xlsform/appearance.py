"""XLSForm appearances read for a chat: how a choice question's buttons are laid out, what a text question takes,
and which groups are asked as one message. No Telegram here; handlers/xlsform_fill.py draws what this decides.

ODK draws appearances on a phone screen; a chat has a message and inline buttons under it, so each is read as:
- (none): one button per row, as the chat always did: long labels stay readable;
- `minimal`, `compact`: compact, several buttons per row (a phone's drop-down is the compact form of a list);
- `horizontal`, `horizontal-compact`, `likert`: every choice side by side, in one row (two when more than five);
- `quick`: a select_one already moves on at the tap, with no confirm, so its layout is the default one;
- `label`: the choices' labels only, numbered, as a header in the message, with no buttons: it is the heading of
  a table whose rows are `list-nolabel` questions, and is passed over like a note (never answered);
- `list-nolabel`: the buttons without the choices' labels: numbered 1, 2, 3 … in one row, the numbers of the
  `label` header above it;
- `multiline` on text: the hint says a long answer of several lines is welcome (kept as typed);
- `numbers` on text: only digits and + - . , are taken (a phone number, an NIK);
- `field-list` on a group whose every question is a select_one: the group asked as one message (see `field_list`).
Every other appearance is accepted and ignored.
"""

from __future__ import annotations

import re

from bot.xlsform.model import Form, Kind, Node, Question, Section

MAX_PER_ROW = 8  # Telegram shows at most 8 inline buttons side by side
_COMPACT = frozenset({"minimal", "compact", "quick-compact"})
_SIDE_BY_SIDE = frozenset({"horizontal", "horizontal-compact", "likert"})
_COMPACT_WIDTH = 30  # characters of labels in one compact row: three short ones, or two longer ones
_NUMBERS = re.compile(r"[0-9+\-.,]+")


def words(node: Node) -> frozenset[str]:
    return frozenset(node.appearance.split())


def is_label_only(question: Question) -> bool:
    """A `label` choice question: a header of its choices, passed over like a note."""
    return question.kind in (Kind.SELECT_ONE, Kind.SELECT_MULTIPLE) and "label" in words(question)


def no_labels(question: Question) -> bool:
    return "list-nolabel" in words(question)


def multiline(question: Question) -> bool:
    return question.kind is Kind.TEXT and "multiline" in words(question)


def numbers_only(question: Question) -> bool:
    return question.kind is Kind.TEXT and "numbers" in words(question)


def is_number_text(text: str) -> bool:
    return _NUMBERS.fullmatch(text) is not None


def choice_rows(question: Question, labels: list[str]) -> list[list[int]]:
    """The positions of the choices, row by row, as the question's appearance lays them out."""
    found = words(question)
    positions = list(range(len(labels)))
    if not positions:
        return []
    if found & _SIDE_BY_SIDE or no_labels(question):
        per_row = len(positions) if len(positions) <= 5 else -(-len(positions) // 2)
        return _chunks(positions, min(per_row, MAX_PER_ROW))
    if found & _COMPACT:
        return _compact(positions, labels)
    return [[i] for i in positions]


def _chunks(positions: list[int], size: int) -> list[list[int]]:
    return [positions[i : i + size] for i in range(0, len(positions), size)]


def _compact(positions: list[int], labels: list[str]) -> list[list[int]]:
    rows: list[list[int]] = [[]]
    for i in positions:
        row = rows[-1]
        width = sum(len(labels[j]) for j in row) + len(labels[i])
        if row and (len(row) >= 4 or width > _COMPACT_WIDTH):
            rows.append([])
        rows[-1].append(i)
    return rows


def field_list(form: Form, question: Question) -> Section | None:
    """The outermost `field-list` group around the question when every question in it is a select_one (a `label`
    header included); None otherwise: the question is asked on its own, as any other."""
    for section in form.sections_around(question.name):
        if section.repeat or "field-list" not in words(section):
            continue
        return section if _all_choices(section) else None
    return None


def _all_choices(section: Section) -> bool:
    for node in section.children:
        if isinstance(node, Section):
            if node.repeat or not _all_choices(node):
                return False
        elif node.asked and node.kind is not Kind.SELECT_ONE:
            return False
    return True
