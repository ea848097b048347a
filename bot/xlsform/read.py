"""An uploaded XLSForm (.xlsx or .xls) → a Form, read by pyxform (the reference parser) and then checked for a chat.

pyxform reads the workbook (`get_xlsform`), turns it into its JSON form (`workbook_to_json`) and builds the
survey (`create_survey_element_from_dict` + `to_xml`, without ODK Validate's Java): what pyxform refuses is
refused here, its message made Indonesian with the sheet, row and column it names. What pyxform accepts is
then checked for what this engine needs: types a chat can ask, names unique across the whole form (answers,
exports and ${} references use the bare name), every expression parsable by elementpath, no calculate that
depends on itself.

A form whose settings sheet has no form_id takes it from the file name, and one without a version takes the
upload time (yyyymmddHHMM), as pyxform and KoboToolbox do: two forms without settings are two forms, and the
same file sent again later is a new version.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import PurePath
from typing import Any

from bot import texts
from bot.texts import xlsform_attachments as ta
from bot.texts import xlsform_files as tf
from bot.texts import xlsform_types as type_texts
from bot.xlsform import attachments as files
from bot.xlsform import evaluate, region_file
from bot.xlsform.model import Choice, Form, Kind, Node, Question, Section

logger = logging.getLogger(__name__)

MAX_BYTES = 2 * 1024 * 1024
SHORT_LABEL = "label_ringkas"  # a column of the project's own (model.Question.short_label); pyxform passes it on
# An .xls (Excel 97-2003) is an OLE2 compound file; an .xlsx or .xlsm is a ZIP.
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"

# pyxform's JSON type → the engine's kind. pyxform keeps most aliases as written (`string`, `gps`, `q picture`,
# `get device id`: its question_type_dictionary gives each the same bind and control as the type it stands for);
# it rewrites only `select1 x`, `select_one x` … (to 'select one'), `image` and `add image prompt` (to 'photo')
# and `imei` (to 'deviceid'). So every alias of a kind the engine asks is listed here.
_ALIASES = {
    Kind.TEXT: ("text", "string", "q string", "add text prompt", "phone number"),
    Kind.INTEGER: (
        "integer", "int", "q int", "add integer prompt", "percentage", "number of days in last month",
        "number of days in last six months", "number of days in last year",
    ),
    Kind.DECIMAL: ("decimal", "q decimal", "add decimal prompt"),
    Kind.DATE: ("date", "q date", "add date prompt"),
    Kind.TIME: ("time",),
    Kind.DATETIME: (
        "datetime", "dateTime", "date time", "q dateTime", "q date time", "add dateTime prompt",
        "add date time prompt",
    ),
    Kind.SELECT_ONE: ("select one", "select one external"),
    Kind.SELECT_MULTIPLE: ("select all that apply",),
    Kind.IMAGE: ("photo", "q picture", "q image"),
    Kind.GEOPOINT: ("geopoint", "gps", "location", "q location", "q geopoint", "add location prompt"),
    Kind.RANGE: ("range",),
    Kind.RANK: ("rank",),
    Kind.BARCODE: ("barcode", "q barcode", "add barcode prompt"),
    Kind.FILE: ("file",),
    Kind.AUDIO: ("audio", "q audio", "add audio prompt"),
    Kind.VIDEO: ("video", "q video", "add video prompt"),
    Kind.GEOTRACE: ("geotrace",),
    Kind.GEOSHAPE: ("geoshape",),
    Kind.START_GEOPOINT: ("start-geopoint",),
    Kind.NOTE: ("note", "q note", "add note prompt"),
    Kind.ACKNOWLEDGE: ("acknowledge", "trigger", "q acknowledge", "add acknowledge prompt"),
    Kind.CALCULATE: ("calculate", "q calculate", "add calculate prompt"),
    Kind.START: ("start", "start time", "get start time"),
    Kind.END: ("end", "end time", "get end time"),
    Kind.TODAY: ("today", "get today"),
    Kind.USERNAME: ("username", "uri:username"),
    Kind.DEVICEID: ("deviceid", "device id", "get device id", "uri:deviceid"),
    Kind.PHONENUMBER: ("phonenumber", "get phone number", "uri:phonenumber"),
    Kind.EMAIL: ("email", "uri:email"),
    Kind.SUBSCRIBERID: ("subscriberid", "subscriber id", "get subscriber id", "uri:subscriberid"),
    Kind.SIMSERIAL: ("simserial", "sim id", "get sim id", "uri:simserial"),
    Kind.AUDIT: ("audit",),
    Kind.HIDDEN: ("hidden",),
}  # fmt: skip
KINDS = {alias: kind for kind, aliases in _ALIASES.items() for alias in aliases}
# pyxform's JSON type → the XLSForm type the author wrote, for messages about types we cannot ask.
_AUTHOR_TYPES = {"photo": "image", "select one": "select_one", "select all that apply": "select_multiple"}
_TRUE = {"yes", "true", "true()", "1"}
_FALSE = {"", "no", "false", "false()", "0"}
# pyxform spells or_other's relevance with a relative path; the engine reads ${} references.
_OR_OTHER = re.compile(r"^selected\(\.\./([^,\s]+), 'other'\)$")


class FormRejected(Exception):
    """The workbook cannot be used; `problems` are Indonesian sentences naming sheet, row and column."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems

    @property
    def message(self) -> str:
        return texts.xlsform_rejected(self.problems)


def _problem(problem: str, *, sheet: str | None = "survey", row: int | None = None, column: str | None = None,
             **values: Any) -> str:  # fmt: skip
    what = texts.XLSFORM_PROBLEMS[problem].format(**values)
    return texts.xlsform_problem(texts.xlsform_cell(sheet, row, column), what)


def workbook_suffix(data: bytes) -> str | None:
    """'.xls' or '.xlsx' by what the bytes are (a file's name may lie), None for neither."""
    if data.startswith(_OLE2):
        return ".xls"
    if data.startswith(_ZIP):
        return ".xlsx"
    return None


def form_id_from(file_name: str | None) -> str | None:
    """The file name without its extension as an XML name ('Survei Desa (2).xls' → 'Survei_Desa_2')."""
    stem = PurePath(file_name or "").stem.strip()
    name = re.sub(r"_+", "_", re.sub(r"[^\w.-]", "_", stem)).strip("_")
    if not name:
        return None
    return name if re.match(r"[^\W\d]", name) else f"_{name}"


def upload_version(uploaded_at: datetime) -> str:
    """A version for a form whose settings have none: its upload time, as KoboToolbox gives one."""
    return uploaded_at.strftime("%Y%m%d%H%M")


def read_xlsform(
    data: bytes,
    file_name: str | None = None,
    *,
    uploaded_at: datetime | None = None,
    attachments: Mapping[str, bytes] | None = None,
) -> Form:
    """The form in an uploaded workbook; raises FormRejected with every problem found. `file_name` gives the
    form_id and `uploaded_at` (local time) the version when the settings sheet has none. `attachments` (by file
    name) give select_one_from_file lists and pulldata() their rows; a list's missing file is named in
    `missing_files`, a pulldata() one refuses the form."""
    if len(data) > MAX_BYTES:
        raise FormRejected([texts.XLSFORM_TOO_BIG.format(size=texts.file_size(len(data)))])
    suffix = workbook_suffix(data)
    if suffix is None:
        raise FormRejected([tf.NOT_A_WORKBOOK])
    parsed, rows, external, choice_media = _parsed(data, suffix, form_id_from(file_name), file_name)
    form = _checked(_with_files(_build(parsed, rows, external, choice_media), attachments or {}))
    stem = PurePath(file_name or "").stem.strip()
    if form.title == form_id_from(file_name) and stem:  # no form_title: the file's name as the admin wrote it
        form = replace(form, title=stem)
    if not form.version and uploaded_at is not None:
        form = replace(form, version=upload_version(uploaded_at))
    return form


def _parsed(data: bytes, suffix: str, fallback_id: str | None,
            file_name: str | None) -> tuple[dict, list, list, list[str]]:  # fmt: skip
    """pyxform's JSON of the workbook, its survey rows, its external choices and what the choices sheet's media
    columns hold (not shown in a chat); anything pyxform refuses or fails on is refused."""
    # pyxform brings openpyxl and numpy (about 0.4 s and 20 MiB): loaded on the first form read, not at start.
    from pyxform.builder import create_survey_element_from_dict
    from pyxform.errors import PyXFormError
    from pyxform.xls2json import workbook_to_json
    from pyxform.xls2json_backends import get_xlsform

    try:
        workbook = get_xlsform(data, file_type=suffix)
    except PyXFormError as exc:
        logger.info("Unreadable workbook: %s", exc)
        raise FormRejected([tf.NOT_A_WORKBOOK]) from exc
    except Exception as exc:  # a damaged file can fail anywhere in openpyxl or xlrd
        logger.exception("Workbook %r not readable", file_name)
        raise FormRejected([tf.NOT_A_WORKBOOK]) from exc
    rows = _survey_rows(workbook)
    if not workbook.survey and not getattr(workbook, "survey_header", None):
        raise FormRejected([texts.XLSFORM_NO_SURVEY])
    try:
        parsed = workbook_to_json(workbook, fallback_form_name=fallback_id, warnings=[])
        create_survey_element_from_dict(parsed).to_xml(validate=False, warnings=[])
    except PyXFormError as exc:
        raise FormRejected([_translate_pyxform(exc, rows)]) from exc
    except Exception as exc:  # pyxform's own bugs (a TypeError on some forms): a refusal, never a crash
        logger.exception("pyxform failed on workbook %r", file_name)
        raise FormRejected([tf.READER_FAILED]) from exc
    external = list(getattr(workbook, "external_choices", None) or [])
    return parsed, rows, external, _choice_media(list(getattr(workbook, "choices", None) or []))


_MEDIA_COLUMN = re.compile(r"^(?:media\s*::?\s*)?(?:image|big-image|audio|video)(?:\s*::.*)?$")


def _choice_media(choice_rows: list[dict[str, str]]) -> list[str]:
    """Pictures and sounds on the choices sheet, named by row: a chat's buttons cannot show them."""
    notes = []
    for i, row in enumerate(choice_rows):
        for column, value in row.items():
            if _MEDIA_COLUMN.match(str(column)) and str(value or "").strip():
                where = texts.xlsform_cell("choices", i + 2, str(column))
                notes.append(texts.xlsform_problem(where, ta.choice_media_ignored(str(row.get("name", "")))))
    return notes


def _survey_rows(workbook: Any) -> list[dict[str, str]]:
    """The survey sheet's rows; row n of the sheet is index n - 2 (pyxform keeps empty rows)."""
    return list(getattr(workbook, "survey", None) or [])


def _row_of(rows: list[dict[str, str]], name: str) -> int | None:
    return next((i + 2 for i, r in enumerate(rows) if r.get("name") == name), None)


# --- pyxform's messages in Indonesian ----------------------------------------------------------------------

_ROW = re.compile(r"\[row : (\d+)\]")
_SHEET = re.compile(r"On the '(\w+)' sheet")
_COLUMN = re.compile(r"the '([^']+)' value")


def _translate_pyxform(exc: Exception, rows: list[dict[str, str]]) -> str:
    text = str(exc)
    context = getattr(exc, "context", None) or {}
    row = context.get("row") or (int(m[1]) if (m := _ROW.search(text)) else None)
    sheet = context.get("sheet") or (m[1] if (m := _SHEET.search(text)) else None)
    column = context.get("column") or (m[1] if (m := _COLUMN.search(text)) else None)
    if "must have a sheet named 'survey'" in text:
        return texts.XLSFORM_NO_SURVEY
    if m := re.search(r"Unknown question type '([^']+)'", text):
        found = next((i + 2 for i, r in enumerate(rows) if r.get("type", "").strip() == m[1]), None)
        return _problem("unknown_type", row=row or found, column="type", type=m[1])
    if "must be unique" in text:
        name = m[1] if (m := re.search(r"value '([^']+)' is invalid", text)) else ""
        return _problem("duplicate", row=row, column="name", name=name)
    if m := re.search(r"Could not find the name '([^']+)'", text):
        return _problem("unknown_reference", sheet=sheet or "survey", row=row, column=column, name=m[1])
    if m := re.search(r"Unmatched '(begin_\w+|end_\w+)'", text):
        return _problem("unmatched", row=row, column="type", kind=m[1])
    if m := re.search(r"The survey element named '([^']+)' has no label", text):
        return _problem("no_label", row=_row_of(rows, m[1]), column="label", name=m[1])
    if "There should be a choices sheet" in text:
        return _problem("no_choices_sheet", sheet=None)
    if m := re.search(r"List name not in choices sheet: (\S+)", text):
        return _problem("missing_list", row=row, column="type", name=m[1])
    detail = _ROW.sub("", text).strip()
    return _problem("pyxform", sheet=sheet, row=row, column=column, detail=detail)


# --- pyxform's JSON → the model ----------------------------------------------------------------------------


def _languages(parsed: Mapping[str, Any]) -> list[str]:
    """Label languages in order of preference: Indonesian first, then the form's default, then any."""
    found: list[str] = []

    def collect(node: Mapping[str, Any]) -> None:
        label = node.get("label")
        if isinstance(label, dict):
            found.extend(k for k in label if k not in found)
        for child in node.get("children") or ():
            collect(child)

    collect(parsed)
    indonesian = [k for k in found if k.endswith("(id)") or k.lower().startswith(("indonesia", "bahasa"))]
    default = [k for k in (parsed.get("default_language"), "default") if k in found]
    return [*indonesian, *default, *found]


def _pick(value: Any, languages: list[str]) -> str:
    if value is None:
        return ""
    if not isinstance(value, dict):
        return str(value)
    for language in languages:
        if value.get(language):
            return str(value[language])
    return str(next(iter(value.values()), ""))


class _Reader:
    def __init__(self, languages: list[str], rows: list[dict[str, str]]) -> None:
        self.languages = languages
        # Rows per name in sheet order: a name used twice gets its own row each time it is met.
        self._rows: dict[str, list[int]] = {}
        for i, row in enumerate(rows):
            if row.get("name"):
                self._rows.setdefault(row["name"], []).append(i + 2)

    def row(self, name: str) -> int:
        found = self._rows.get(name)
        return found.pop(0) if found else 0

    def nodes(self, children: list[Mapping[str, Any]]) -> tuple[Node, ...]:
        built: list[Node] = []
        for child in children:
            if _is_meta_group(child):
                # pyxform's own bodyless group: its instanceID is the bot's submission number; the audit the
                # author wrote is moved in here by pyxform, and is kept as one of the form's questions.
                built.extend(self.nodes([c for c in child.get("children") or () if c.get("name") != "instanceID"]))
                continue
            node = self.node(child)
            if node is not None:
                built.append(node)
        return tuple(built)

    def node(self, data: Mapping[str, Any]) -> Node | None:
        from pyxform.utils import default_is_dynamic  # loaded with the rest of pyxform, on the first form read

        kind, name = data.get("type", ""), data["name"]
        bind = data.get("bind") or {}
        row = self.row(name)
        if kind in ("group", "repeat"):
            control = data.get("control") or {}
            return Section(
                name=name, label=_pick(data.get("label"), self.languages), row=row,
                children=self.nodes(list(data.get("children") or [])), relevant=bind.get("relevant", ""),
                repeat=kind == "repeat", repeat_count=str(control.get("jr:count", "")),
                appearance=str(control.get("appearance", "")),
            )  # fmt: skip
        if kind not in KINDS:
            return None  # left out by _ignored, which names its row to the admin
        relevant = bind.get("relevant", "")
        label = _pick(data.get("label"), self.languages)
        if (match := _OR_OTHER.match(relevant)) is not None:
            relevant = f"selected(${{{match[1]}}}, 'other')"
            label = texts.XLSFORM_OTHER_LABEL
        return Question(
            name=name, kind=KINDS[kind], label=label,
            row=row, hint=_pick(data.get("hint"), self.languages), required=_condition(bind.get("required", "")),
            required_message=_pick(bind.get("jr:requiredMsg"), self.languages),
            constraint=bind.get("constraint", "") or _type_constraint(kind),
            constraint_message=_pick(bind.get("jr:constraintMsg"), self.languages),
            relevant=relevant, calculation=bind.get("calculate", ""), default=str(data.get("default", "")),
            default_dynamic=default_is_dynamic(str(data.get("default", "")), kind),
            choice_filter=data.get("choice_filter", ""), list_name=data.get("list_name") or data.get("itemset", ""),
            appearance=str((data.get("control") or {}).get("appearance", "")),
            read_only=str(bind.get("readonly", "")).lower() in _TRUE, parameters=_parameters(kind, data),
            short_label=_pick(data.get(SHORT_LABEL), self.languages), **self.media(data),
        )  # fmt: skip

    def media(self, data: Mapping[str, Any]) -> dict[str, str]:
        """The files of a question's media columns; big-image rather than image, as the larger picture."""
        media = data.get("media") or {}
        found = {
            "image": _pick(media.get("big-image") or media.get("image"), self.languages),
            "audio": _pick(media.get("audio"), self.languages),
            "video": _pick(media.get("video"), self.languages),
        }
        return {kind: name.strip() for kind, name in found.items() if name.strip()}  # fmt: skip

    def choices(self, parsed: Mapping[str, Any]) -> dict[str, tuple[Choice, ...]]:
        lists: dict[str, tuple[Choice, ...]] = {}
        for list_name, items in (parsed.get("choices") or {}).items():
            lists[list_name] = tuple(self.choice(item) for item in items)
        return lists

    def choice(self, item: Mapping[str, Any]) -> Choice:
        name = str(item["name"])
        label = _pick(item.get("label"), self.languages)
        if name == "other" and label == "Other":
            label = texts.XLSFORM_OTHER_CHOICE  # pyxform's own or_other choice
        extra = tuple((str(k), str(v)) for k, v in item.items() if k not in ("name", "label", "media"))
        return Choice(name, label, extra)


def _parameters(kind: str, data: Mapping[str, Any]) -> str:
    """A range's start, end and step as 'start=1 end=10 step=1' (pyxform fills in the ones left out)."""
    if kind != "range":
        return ""
    given = dict(data.get("parameters") or {})
    values = {"start": "1", "end": "10", "step": "1", **{k: str(v) for k, v in given.items()}}
    return " ".join(f"{k}={values[k]}" for k in ("start", "end", "step"))


def _is_meta_group(data: Mapping[str, Any]) -> bool:
    return (
        data.get("type") == "group" and data.get("name") == "meta" and bool((data.get("control") or {}).get("bodyless"))
    )


def _type_constraint(kind: str) -> str:
    """The constraint pyxform's type itself brings (`phone number`: digits only), for a row that sets none."""
    from pyxform.question_type_dictionary import QUESTION_TYPE_DICT

    return str(((QUESTION_TYPE_DICT.get(kind) or {}).get("bind") or {}).get("constraint", ""))


def _condition(value: Any) -> str:
    text = str(value).strip()
    if text.lower() in _TRUE:
        return "true()"
    if text.lower() in _FALSE:
        return ""
    return text


def _build(parsed: Mapping[str, Any], rows: list[dict[str, str]], external: list[dict[str, Any]],
           choice_media: list[str]) -> _Built:  # fmt: skip
    reader = _Reader(_languages(parsed), rows)
    choices = reader.choices(parsed)
    for item in external:  # select_one_external's lists, from the external_choices sheet
        if item.get("list_name") and item.get("name"):
            listed = choices.get(str(item["list_name"]), ())
            labels = {k: v for k, v in item.items() if k == "label" or str(k).startswith("label:")}
            extra = {k: v for k, v in item.items() if k not in ("list_name", "name") and k not in labels}
            label = _pick(next(iter(labels.values()), ""), reader.languages) or str(item["name"])
            choices[str(item["list_name"])] = (*listed, Choice(str(item["name"]), label, tuple(
                (str(k), str(v)) for k, v in extra.items())))  # fmt: skip
    ignored = _ignored(parsed.get("children") or [], rows) + choice_media
    form = Form(
        form_id=str(parsed.get("id_string") or parsed.get("name") or "formulir"),
        title=str(parsed.get("title") or parsed.get("id_string") or ""),
        version=str(parsed.get("version") or ""),
        children=reader.nodes(list(parsed.get("children") or [])),
        choices=choices, ignored=tuple(ignored),
    )  # fmt: skip
    return _Built(form)


@dataclass(frozen=True)
class _Built:
    form: Form
    problems: tuple[str, ...] = ()


def _with_files(built: _Built, attached: Mapping[str, bytes]) -> _Built:
    """The lists and pulldata() tables from the attached files; what a list lacks is named, an unreadable file or a
    pulldata() file not attached is a problem."""
    form, problems = built.form, list(built.problems)
    choices, tables, missing = dict(form.choices), {}, []
    needed = [q.list_name for q in form.questions() if q.list_name.lower().endswith(files.TABLE_SUFFIXES)]
    read_by = {name: expression for node, _ in form.walk() for _, expression in _expressions(node)
               for name in files.pulldata_files(expression)}  # fmt: skip
    shown = [name for q in form.questions() for name in (q.image, q.audio, q.video) if name]
    missing += [name for name in dict.fromkeys(shown) if files.find(attached, name) is None]
    for name in dict.fromkeys([*needed, *read_by]):
        data = files.find(attached, name) or region_file.supplied(name)
        if data is None:
            if name not in read_by:
                missing.append(name)
            continue
        try:
            rows = files.table(name, data)
        except ValueError:
            problems.append(ta.unreadable_table(name))
            continue
        if name in needed:
            choices[name] = files.choices(rows)
        if name in read_by:
            tables[name] = rows
    form = replace(form, choices=choices, tables=tables, missing_files=tuple(missing))
    return _Built(form, tuple(problems))


def _ignored(children: list[Mapping[str, Any]], rows: list[dict[str, str]]) -> list[str]:
    """What the chat cannot ask (an osm question, a loop, an entity), named by its row: left out, the rest asked."""
    notes = []
    for child in children:
        kind = child.get("type", "")
        if kind == "entity":
            notes.append(texts.xlsform_problem(texts.xlsform_cell("entities", None, None), type_texts.ENTITY_IGNORED))
        elif kind in ("group", "repeat"):
            if child.get("media"):
                where = texts.xlsform_cell("survey", _row_of(rows, child["name"]), None)
                notes.append(texts.xlsform_problem(where, ta.group_media_ignored(child["name"])))
            notes += _ignored(list(child.get("children") or []), rows)
        elif kind not in KINDS:
            author_type = _AUTHOR_TYPES.get(kind, kind)
            where = texts.xlsform_cell("survey", _row_of(rows, child["name"]), "type")
            what = type_texts.LOOP_IGNORED if kind == "loop" else type_texts.ignored(author_type, child["name"])
            notes.append(texts.xlsform_problem(where, what))
    return notes


_EXPRESSION_COLUMNS = (
    ("relevant", "relevant"),
    ("constraint", "constraint"),
    ("required", "required"),
    ("calculation", "calculation"),
    ("choice_filter", "choice_filter"),
)


def _checked(built: _Built) -> Form:
    """The form, or FormRejected listing everything this engine cannot run."""
    form = built.form
    problems = list(built.problems)
    problems += _duplicates(form)
    problems += _bad_expressions(form)
    problems += _calculation_cycles(form)
    if not any(q.asked for q in form.questions()):
        problems.append(texts.XLSFORM_NO_QUESTIONS)
    if problems:
        raise FormRejected(problems)
    return form


def _duplicates(form: Form) -> list[str]:
    """pyxform allows one name in two groups; here a name is an answer's key and a ${} target, so it must be unique."""
    seen: set[str] = set()
    problems = []
    for node, _ in form.walk():
        if node.name in seen:
            problems.append(_problem("duplicate", row=node.row or None, column="name", name=node.name))
        seen.add(node.name)
    return problems


def _expressions(node: Node) -> list[tuple[str, str]]:
    """A node's expressions that are not empty, with their column."""
    columns = [(c, getattr(node, a, "")) for a, c in _EXPRESSION_COLUMNS]
    if isinstance(node, Section):
        columns.append(("repeat_count", node.repeat_count))
    elif node.default_dynamic:
        columns.append(("default", node.default))
    return [(column, expression) for column, expression in columns if expression]


def _bad_expressions(form: Form) -> list[str]:
    problems = []
    for node, _ in form.walk():
        for column, expression in _expressions(node):
            if files.pulldata_unnamed(expression):
                where = texts.xlsform_cell("survey", node.row or None, column)
                problems.append(texts.xlsform_problem(where, ta.pulldata_unnamed(expression)))
                continue
            if without := [n for n in files.pulldata_files(expression) if n not in form.tables]:
                where = texts.xlsform_cell("survey", node.row or None, column)
                problems.append(texts.xlsform_problem(where, ta.pulldata_missing(expression, without[0])))
                continue
            try:
                evaluate.check(expression)
            except evaluate.ExpressionError as exc:
                detail = str(exc).split("[err:")[-1].split("]", 1)[-1].strip() or str(exc)
                problems.append(
                    _problem("bad_expression", row=node.row or None, column=column, expression=expression,
                             detail=detail)
                )  # fmt: skip
    return problems


def _calculation_cycles(form: Form) -> list[str]:
    """A calculate reading itself, directly or through other calculates, has no value ODK could settle on."""
    calculations = {q.name: q for q in form.questions() if q.calculation}
    reads = {name: set(evaluate.references(q.calculation)) & calculations.keys() for name, q in calculations.items()}
    problems = []
    for name, question in calculations.items():
        if name in reads[name]:
            problems.append(_problem("self_calculation", row=question.row or None, column="calculation", name=name))
            continue
        path = _cycle_from(name, reads)
        if path and min(path) == name:  # each cycle once, from its first name
            problems.append(
                _problem("calculation_cycle", row=question.row or None, column="calculation", names=" → ".join(path))
            )
    return problems


def _cycle_from(start: str, reads: Mapping[str, set[str]]) -> list[str] | None:
    stack: list[tuple[str, list[str]]] = [(n, [start, n]) for n in sorted(reads[start]) if n != start]
    seen: set[str] = set()
    while stack:
        name, path = stack.pop()
        if name == start:
            return path
        if name in seen:
            continue
        seen.add(name)
        stack.extend((n, [*path, n]) for n in sorted(reads.get(name, ())))
    return None
