"""The files an XLSForm comes with: a ZIP holding the workbook and its media and CSV files, and the CSV (or
simple XML) tables that select_one_from_file lists and pulldata() read.

A ZIP is opened with care, as it comes from a chat: at most MAX_FILES entries, MAX_TOTAL bytes unpacked (read
in chunks, so a zip bomb's claimed sizes are never trusted), no entry that escapes its folder (absolute paths,
`..`, drive letters) or is a link. Files are known by their base name, as ODK's media folder knows them.
"""

from __future__ import annotations

import csv
import io
import re
import stat
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Mapping
from pathlib import PurePosixPath

from bot.texts import xlsform_attachments as ta
from bot.xlsform.model import Choice

MAX_FILES = 50
MAX_TOTAL = 20 * 1024 * 1024
TABLE_SUFFIXES = (".csv", ".xml")
MEDIA_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".mp3", ".m4a", ".wav", ".ogg", ".mp4", ".geojson", ".txt")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
_PULLDATA = re.compile(r"\bpulldata\s*\(\s*(['\"])([^'\"]+)\1")
_ANY_PULLDATA = re.compile(r"\bpulldata\s*\(")

Table = tuple[tuple[tuple[str, str], ...], ...]


class ZipRefused(Exception):
    """A ZIP that is not opened; `message` says why, in Indonesian."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def is_attachment_name(name: str) -> bool:
    return name.lower().endswith(TABLE_SUFFIXES + MEDIA_SUFFIXES)


def unzip(data: bytes) -> tuple[str, bytes, dict[str, bytes]]:
    """The workbook's name and bytes and the other files by base name; ZipRefused for anything unsafe."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise ZipRefused(ta.ZIP_UNREADABLE) from exc
    files = [e for e in entries if not e.is_dir()]
    if len(entries) > MAX_FILES:
        raise ZipRefused(ta.zip_too_many(MAX_FILES))
    workbooks: dict[str, bytes] = {}
    attached: dict[str, bytes] = {}
    total = 0
    for entry in files:
        path = PurePosixPath(entry.filename.replace("\\", "/"))
        if entry.filename.startswith(("/", "\\")) or ".." in path.parts or ":" in entry.filename:
            raise ZipRefused(ta.zip_bad_path(entry.filename))
        if stat.S_ISLNK(entry.external_attr >> 16):
            raise ZipRefused(ta.zip_bad_path(entry.filename))
        if path.parts[0] == "__MACOSX" or path.name.startswith("."):
            continue
        content = _read(archive, entry, MAX_TOTAL - total)
        total += len(content)
        if path.name.lower().endswith(WORKBOOK_SUFFIXES):
            workbooks[path.name] = content
        elif is_attachment_name(path.name):
            attached[path.name] = content
    if len(workbooks) != 1:
        raise ZipRefused(ta.ZIP_NO_WORKBOOK if not workbooks else ta.zip_many_workbooks(sorted(workbooks)))
    [(name, workbook)] = workbooks.items()
    return name, workbook, attached


def _read(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, room: int) -> bytes:
    """An entry's bytes, stopped as soon as they pass what is left of MAX_TOTAL (its header may lie)."""
    out = bytearray()
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(64 * 1024):
                out += chunk
                if len(out) > room:
                    raise ZipRefused(ta.zip_too_big(MAX_TOTAL))
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError) as exc:  # encrypted or damaged
        raise ZipRefused(ta.ZIP_UNREADABLE) from exc
    return bytes(out)


def pulldata_files(expression: str) -> list[str]:
    """The CSV files an expression's pulldata() calls read: pulldata('penduduk', …) reads penduduk.csv."""
    return [f"{m[2]}.csv" if not m[2].lower().endswith(".csv") else m[2] for m in _PULLDATA.finditer(expression)]


def pulldata_unnamed(expression: str) -> bool:
    """Whether a pulldata() call names its file by an expression rather than in quotes (which file it reads is
    then unknown at upload)."""
    return len(_ANY_PULLDATA.findall(expression)) > len(_PULLDATA.findall(expression))


def find(files: Mapping[str, bytes], name: str) -> bytes | None:
    """A file by name, its case ignored (Excel users rarely agree with their file manager)."""
    return next((data for found, data in files.items() if found.lower() == name.lower()), None)


def table(name: str, data: bytes) -> Table:
    """A CSV's rows (or a simple XML's root/item elements) as (column, value) pairs; ValueError if unreadable."""
    if name.lower().endswith(".xml"):
        try:
            root = ET.fromstring(data)
        except ET.ParseError as exc:
            raise ValueError(str(exc)) from exc
        return tuple(tuple((child.tag, (child.text or "").strip()) for child in item) for item in root.iter("item"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    dialect = csv.excel
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")  # type: ignore[assignment]
    except csv.Error:
        pass
    reader = csv.reader(io.StringIO(text), dialect)
    header = [h.strip() for h in next(reader, [])]
    return tuple(
        tuple((column, value.strip()) for column, value in zip(header, row, strict=False) if column)
        for row in reader
        if any(v.strip() for v in row)
    )


def choices(rows: Table) -> tuple[Choice, ...]:
    """A table as a choice list: its name and label columns (label::<language> or the name when none), the
    other columns kept for a choice_filter."""
    listed = []
    for row in rows:
        values = dict(row)
        label_column = next((c for c in values if c == "label" or c.startswith("label:")), None)
        name = values.get("name", "")
        if not name:
            continue
        label = values.get(label_column, "") if label_column else ""
        extra = tuple((c, v) for c, v in row if c not in ("name", label_column))
        listed.append(Choice(name, label or name, extra))
    return tuple(listed)
