"""A form read from an XLSForm, as the rest of the engine sees it: frozen, typed, nothing left to look up.

This is the engine's `FormDef` (see STYLE.md lesson 13): questions and sections in form order, their bind
columns as expression strings still in XLSForm syntax (`${name}`, `.`), and the choice lists with the extra
columns a choice_filter reads. bot/xlsform/read.py builds it from pyxform's output; evaluate.py runs its
expressions; session.py walks it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    TIME = "time"
    DATETIME = "datetime"
    SELECT_ONE = "select_one"
    SELECT_MULTIPLE = "select_multiple"
    IMAGE = "image"
    GEOPOINT = "geopoint"
    # Issue 18's types: a number from a range, choices put in order, a code, files, and lines or areas of points.
    RANGE = "range"
    RANK = "rank"
    BARCODE = "barcode"
    FILE = "file"
    AUDIO = "audio"
    VIDEO = "video"
    GEOTRACE = "geotrace"
    GEOSHAPE = "geoshape"
    # Metadata a chat asks once, first: where the person is when they start (Telegram's location button).
    START_GEOPOINT = "start-geopoint"
    NOTE = "note"
    ACKNOWLEDGE = "acknowledge"
    CALCULATE = "calculate"
    # Metadata: filled by the engine, never asked.
    START = "start"
    END = "end"
    TODAY = "today"
    USERNAME = "username"  # the Telegram name of the person filling in
    DEVICEID = "deviceid"  # telegram:<user id>
    PHONENUMBER = "phonenumber"  # empty: the bot never asks for a contact
    EMAIL = "email"  # empty, as are the two below: Telegram gives none of them
    SUBSCRIBERID = "subscriberid"
    SIMSERIAL = "simserial"
    AUDIT = "audit"  # a CSV text of when each question was answered (see session.AUDIT_HEADER)
    # Never asked: its default, or a value the bot knows by the question's name (`kecamatan`: the group's code).
    HIDDEN = "hidden"


METADATA = frozenset(
    {
        Kind.START, Kind.END, Kind.TODAY, Kind.USERNAME, Kind.DEVICEID, Kind.PHONENUMBER, Kind.EMAIL,
        Kind.SUBSCRIBERID, Kind.SIMSERIAL, Kind.AUDIT, Kind.HIDDEN,
    }
)  # fmt: skip
# Metadata a phone has and Telegram does not give: stored empty, as ODK stores what the device cannot tell.
EMPTY_METADATA = frozenset({Kind.PHONENUMBER, Kind.EMAIL, Kind.SUBSCRIBERID, Kind.SIMSERIAL})
# Answers that are a Telegram file id (a photo, document, voice note, audio or video sent in the chat).
FILE_KINDS = frozenset({Kind.IMAGE, Kind.FILE, Kind.AUDIO, Kind.VIDEO})
# Kinds the person never sees as a question.
HIDDEN = METADATA | {Kind.CALCULATE}


@dataclass(frozen=True, slots=True)
class Choice:
    name: str
    label: str
    # The choices sheet's other columns (what a choice_filter such as `kec = ${kec}` reads), in sheet order.
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Question:
    name: str
    kind: Kind
    label: str
    row: int  # row on the survey sheet, for messages to the form's author
    hint: str = ""
    # Expressions in XLSForm syntax; "" when the column is empty. `required` is "true()" for yes.
    required: str = ""
    required_message: str = ""
    constraint: str = ""
    constraint_message: str = ""
    relevant: str = ""
    calculation: str = ""
    default: str = ""
    # A default that is an expression (today(), ${x} + 1, as pyxform's default_is_dynamic decides): evaluated when
    # the form or its repeat instance starts, as ODK's setvalue on odk-instance-first-load / odk-new-repeat.
    default_dynamic: bool = False
    choice_filter: str = ""
    list_name: str = ""
    appearance: str = ""
    read_only: bool = False
    # pyxform's parameters column as written for a range: 'start=1 end=10 step=1'.
    parameters: str = ""
    # The `label_ringkas` column: the question's short name in a summary, an export's header and a review
    # ("Jumlah peserta" for "Berapa jumlah peserta?"); the label when empty.
    short_label: str = ""
    # Files shown with the question (media::image, or its big-image when given; media::audio, media::video), by
    # the attached file's name.
    image: str = ""
    audio: str = ""
    video: str = ""

    @property
    def title(self) -> str:
        return self.short_label or self.label

    @property
    def asked(self) -> bool:
        return self.kind not in HIDDEN


@dataclass(frozen=True, slots=True)
class Section:
    """A begin_group/end_group or begin_repeat/end_repeat block."""

    name: str
    label: str
    row: int
    children: tuple[Node, ...]
    relevant: str = ""
    repeat: bool = False
    # For a repeat: how many instances, as an expression; "" means the person is asked "Tambah lagi?".
    repeat_count: str = ""
    # The group's appearance column ('field-list': asked as one message when every question in it is a choice).
    appearance: str = ""


Node = Question | Section


@dataclass(frozen=True)
class Form:
    form_id: str
    title: str
    version: str
    children: tuple[Node, ...]
    choices: dict[str, tuple[Choice, ...]] = field(default_factory=dict)
    # The attached CSV files pulldata() reads, by file name ('penduduk.csv'): each row its (column, value) pairs.
    tables: dict[str, tuple[tuple[tuple[str, str], ...], ...]] = field(default_factory=dict)
    # Files the form needs (select_one_from_file, select_one_external's …) that are not attached yet: the form
    # may be stored, not tried or published, until they are.
    missing_files: tuple[str, ...] = ()
    # What the upload left out and why (an osm question: its row named), in Indonesian, for the admin.
    ignored: tuple[str, ...] = ()

    def walk(self) -> Iterator[tuple[Node, tuple[Section, ...]]]:
        """Every node in form order with the sections around it, outermost first."""

        def inner(nodes: tuple[Node, ...], around: tuple[Section, ...]) -> Iterator[tuple[Node, tuple[Section, ...]]]:
            for node in nodes:
                yield node, around
                if isinstance(node, Section):
                    yield from inner(node.children, (*around, node))

        return inner(self.children, ())

    def questions(self) -> list[Question]:
        return [node for node, _ in self.walk() if isinstance(node, Question)]

    def sections(self) -> list[Section]:
        return [node for node, _ in self.walk() if isinstance(node, Section)]

    def question(self, name: str) -> Question:
        return self._index()[name][0]  # type: ignore[return-value]

    def sections_around(self, name: str) -> tuple[Section, ...]:
        """The sections (groups and repeats) a question or section sits in, outermost first."""
        return self._index()[name][1]

    def node(self, name: str) -> Node:
        return self._index()[name][0]

    def has(self, name: str) -> bool:
        return name in self._index()

    def _index(self) -> dict[str, tuple[Node, tuple[Section, ...]]]:
        index = self.__dict__.get("_by_name")
        if index is None:
            index = {node.name: (node, around) for node, around in self.walk()}
            # A frozen dataclass may still cache in its own __dict__; the index is derived, never compared.
            object.__setattr__(self, "_by_name", index)
        return index

    def choice_list(self, question: Question) -> tuple[Choice, ...]:
        return self.choices.get(question.list_name, ())
