"""A built-in form's fields, read from its XLSForm: the workbook is the only place /laporan's questions live.

Dinsos edits laporan.xlsx or evaluasi.xlsx like any XLSForm and sends it back; this module says what each question
is for the built-in look (handlers/builtin_fill.py) and the reports' shape (bot/xlsform/legacy.py), from columns
any form may use:
- `text`, `date`; `integer` (appearance `rupiah`: an amount in rupiah, read as "1,5 juta");
- `select_one` / `select_multiple` of a list: buttons; a choice named `tidak_ada` is the "Tidak ada" button;
- `select_one_from_file wilayah_desa.csv`: the village question (typed with small typos, or buttons);
- `select_one program_kerja`: the kecamatan's approved programs (bot/program_kerja/laporan_question.py);
- a repeat holding one `image`: photos sent one after another, then Selesai;
- `hint` "Contoh: …": the example under the question; `label_ringkas`: the short name in summaries and exports;
- the constraint and its message: the rule an answer must meet.
Metadata, hidden and calculate rows are filled by the engine. Anything else a built-in form cannot ask in its look
(a note, a geopoint, a group repeat …) is refused at upload, its row named.
"""

from __future__ import annotations

import re

from bot.forms.fields import Choice, Field, FieldType, Form
from bot.texts import xlsform_builtin as t
from bot.xlsform import model, region_file
from bot.xlsform.model import Kind, Question, Section

NONE = "tidak_ada"  # a select_multiple's "none of these" choice
OUTSIDE = "luar"  # the program kerja list's "Di luar program kerja"
PROGRAM_LIST = "program_kerja"
# Versions 1 and 2 of the bundled laporan listed the villages themselves, in a list named `desa`: drafts opened on
# them before the upgrade still finish, their village stored as every other laporan's.
OLD_VILLAGE_LIST = "desa"
EXAMPLE = "Contoh:"
WEEKLY = frozenset({"evaluasi"})  # one per kecamatan per week: the reminders and the recap count it so
NARRATIVE = 1000  # a text allowed more characters than this gets a wide column in exports
_LENGTH_LIMIT = re.compile(r"string-length\(\.\)\s*<=?\s*(\d+)")


class Unsupported(Exception):
    """Rows a built-in form cannot ask, each named for the admin."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def of(xform: model.Form) -> Form:
    """The built-in form this XLSForm asks; Unsupported naming every row it cannot. Kept with the form object (a
    stored version's form is loaded once), so a conversation's every answer reads it for free."""
    kept = xform.__dict__.get("_builtin_schema")
    if kept is None:
        kept = _read(xform)
        object.__setattr__(xform, "_builtin_schema", kept)  # derived from the frozen form, never compared
    return kept


def _read(xform: model.Form) -> Form:
    fields: list[Field] = []
    problems: list[str] = []
    for node, around in xform.walk():
        if any(section.repeat for section in around):
            continue  # asked as its repeat
        if isinstance(node, Section):
            if node.repeat:
                photos = _photos(node)
                if photos is None:
                    problems.append(t.unsupported_repeat(node.name, node.row))
                else:
                    fields.append(photos)
            continue
        if not node.asked:
            continue
        field = _field(xform, node)
        if field is None:
            problems.append(t.unsupported_question(node.name, node.kind.value, node.row))
        else:
            fields.append(field)
    if problems:
        raise Unsupported(problems)
    return Form(xform.form_id, xform.title, tuple(fields), weekly=xform.form_id in WEEKLY, version=xform.version)


def _photos(section: Section) -> Field | None:
    inner = section.children
    if len(inner) != 1 or not isinstance(inner[0], Question) or inner[0].kind is not Kind.IMAGE:
        return None
    return Field(section.name, section.label or inner[0].title, inner[0].label, FieldType.PHOTOS, required=False)


def _field(xform: model.Form, question: Question) -> Field | None:
    kind = _type(question)
    if kind is None:
        return None
    example, prompt = "", question.label
    hint = question.hint.strip()
    if hint.startswith(EXAMPLE):
        example = hint.removeprefix(EXAMPLE).strip()
    elif hint:
        prompt = f"{prompt}\n{hint}"
    listed = xform.choice_list(question) if kind in (FieldType.CHOICE, FieldType.MULTI_CHOICE) else ()
    none = NONE if kind is FieldType.MULTI_CHOICE else OUTSIDE if kind is FieldType.PROGRAM else None
    none_label = next((c.label for c in xform.choice_list(question) if c.name == none), None) if none else None
    return Field(
        key=question.name, label=question.title, prompt=prompt, type=kind, example=example,
        required=bool(question.required) and question.required != "false()",
        choices=tuple(Choice(c.name, c.label) for c in listed if c.name != NONE), none_label=none_label,
        rule=question.constraint_message, narrative=kind is FieldType.TEXT and _long(question),
    )  # fmt: skip


def _type(question: Question) -> FieldType | None:
    if question.kind is Kind.TEXT:
        return FieldType.TEXT
    if question.kind is Kind.INTEGER:
        return FieldType.RUPIAH if "rupiah" in question.appearance.split() else FieldType.COUNT
    if question.kind is Kind.DATE:
        return FieldType.DATE
    if question.kind is Kind.SELECT_ONE:
        if question.list_name.lower() in (region_file.NAME, OLD_VILLAGE_LIST):
            return FieldType.VILLAGE
        return FieldType.PROGRAM if question.list_name == PROGRAM_LIST else FieldType.CHOICE
    if question.kind is Kind.SELECT_MULTIPLE:
        return FieldType.MULTI_CHOICE
    return None


def _long(question: Question) -> bool:
    """Whether the constraint lets the text be longer than NARRATIVE characters (no limit at all: yes)."""
    limits = [int(n) for n in _LENGTH_LIMIT.findall(question.constraint)]
    return not limits or max(limits) > NARRATIVE
