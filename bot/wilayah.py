"""Kecamatan and desa/kelurahan of Kabupaten Cirebon, with tolerant name matching.

The data is the project's own copy, ``bot/data/cirebon_wilayah.json`` (Kemendagri codes 32.09.01-32.09.40,
424 villages). Matching compares *normalised keys*: lowercase, accents folded, a "Kec."/"Kecamatan" (or
"Desa"/"Kelurahan") prefix and a trailing "Kabupaten Cirebon" removed, then every non-letter dropped, so
"KEC.  Gunung-Jati" and "gunungjati" give the same key. An exact key match always wins; only when there is
none is a small typo accepted, and only if exactly one place is within reach (ties give ``None``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from importlib.resources import files
from typing import TypeVar

__all__ = [
    "Kecamatan",
    "Village",
    "kecamatan_by_code",
    "load_kecamatan",
    "match_kecamatan",
    "match_village",
    "normalize_name",
    "suggest_kecamatan",
    "suggest_villages",
]


@dataclass(frozen=True, slots=True)
class Village:
    code: str  # "32.09.15.1001"
    name: str
    kind: str  # "desa" | "kelurahan"


@dataclass(frozen=True, slots=True)
class Kecamatan:
    code: str  # "32.09.15"
    name: str
    alt_names: tuple[str, ...]
    villages: tuple[Village, ...]


# Spelling variants people type (DOMAIN.md). Whichever member of a group is the official name in the json,
# the others are added to that kecamatan's alt_names. Grouped by normalised key, so spacing is irrelevant.
_KECAMATAN_VARIANTS: tuple[tuple[str, ...], ...] = (
    ("Kepetakan", "Kapetakan"),
    ("Gunung Jati", "Gunungjati"),
    ("Susukan Lebak", "Susukanlebak"),
    ("Tengah Tani", "Tengahtani"),
)

_KEC_PREFIX = re.compile(r"^(?:kecamatan|kec)\b[\s.:,\-]*")
_VILLAGE_PREFIX = re.compile(r"^(?:kelurahan|kel|desa|ds)\b[\s.:,\-]*")
_KAB_SUFFIX = re.compile(r"[\s,.\-]*(?:(?:kabupaten|kab)\b[\s.]*)cirebon[\s.]*$")
_KEC_CODE = re.compile(r"32\s*[.\-]?\s*09\s*[.\-]?\s*(\d{1,2})")
_VILLAGE_CODE = re.compile(r"32\s*[.\-]?\s*09\s*[.\-]?\s*(\d{2})\s*[.\-]?\s*(\d{4})")
_MIN_FUZZY_LEN = 3

T = TypeVar("T")


# --------------------------------------------------------------------------- normalisation


def _fold(text: str) -> str:
    """Lowercase, fold accents to ASCII, collapse whitespace."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(ascii_text.lower().split())


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text)


def normalize_name(text: str) -> str:
    """Comparison key of a plain name: lowercase letters only ("Gunung Jati" -> "gunungjati")."""
    return _letters(_fold(text))


def _strip_kab_suffix(folded: str) -> str:
    stripped = _KAB_SUFFIX.sub("", folded)
    return stripped if stripped else folded


def _kecamatan_query_key(text: str) -> str:
    folded = _strip_kab_suffix(_fold(text))
    return _letters(_KEC_PREFIX.sub("", folded))


def _village_query_keys(text: str) -> tuple[str, ...]:
    """Key with the "Desa"/"Kelurahan" prefix removed first, then the raw key (a name may start so)."""
    folded = _strip_kab_suffix(_fold(text))
    keys = [_letters(_VILLAGE_PREFIX.sub("", folded)), _letters(folded)]
    return tuple(dict.fromkeys(k for k in keys if k))


def _levenshtein(a: str, b: str, limit: int) -> int:
    """Edit distance of a and b; any value above ``limit`` is reported as ``limit + 1``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return min(previous[-1], limit + 1)


def _max_typos(key: str) -> int:
    return 1 if len(key) <= 6 else 2


def _unique_fuzzy(query: str, candidates: list[tuple[T, tuple[str, ...]]]) -> T | None:
    """The single candidate having a key within typo reach of query; None if none or several."""
    if len(query) < _MIN_FUZZY_LEN:
        return None
    hits: list[T] = []
    for item, keys in candidates:
        if any(_levenshtein(query, key, _max_typos(key)) <= _max_typos(key) for key in keys):
            hits.append(item)
    return hits[0] if len(hits) == 1 else None


def _similarity(query: str, key: str) -> float:
    score = SequenceMatcher(None, query, key).ratio()
    if key.startswith(query) or query.startswith(key):
        score = max(score, 0.75)
    return score


def _suggest(query: str, candidates: list[tuple[T, tuple[str, ...]]], limit: int) -> list[T]:
    if not query or limit <= 0:
        return []
    scored: list[tuple[float, int, T]] = []
    for index, (item, keys) in enumerate(candidates):
        best = max(_similarity(query, key) for key in keys)
        if best >= 0.5:
            scored.append((best, index, item))
    scored.sort(key=lambda entry: (-entry[0], entry[1]))
    return [item for _, _, item in scored[:limit]]


# --------------------------------------------------------------------------- data


def _with_variants(name: str, alt_names: list[str]) -> tuple[str, ...]:
    names = [name, *alt_names]
    seen = {normalize_name(n) for n in names}
    for group in _KECAMATAN_VARIANTS:
        if seen & {normalize_name(v) for v in group}:
            for variant in group:
                if normalize_name(variant) not in seen:
                    names.append(variant)
                    seen.add(normalize_name(variant))
    return tuple(dict.fromkeys(n for n in names[1:] if n != name))


@cache
def load_kecamatan() -> tuple[Kecamatan, ...]:
    """All 40 kecamatan of Kabupaten Cirebon, ordered by Kemendagri code."""
    raw = json.loads((files("bot") / "data" / "cirebon_wilayah.json").read_text(encoding="utf-8"))
    result = []
    for item in raw["kecamatan"]:
        villages = tuple(
            sorted(
                (Village(code=v["code"], name=v["name"], kind=v["kind"]) for v in item["villages"]),
                key=lambda v: v.code,
            )
        )
        result.append(
            Kecamatan(
                code=item["code"],
                name=item["name"],
                alt_names=_with_variants(item["name"], list(item.get("alt_names") or [])),
                villages=villages,
            )
        )
    return tuple(sorted(result, key=lambda k: k.code))


@cache
def _kecamatan_index() -> dict[str, Kecamatan]:
    return {k.code: k for k in load_kecamatan()}


@cache
def _kecamatan_keys() -> list[tuple[Kecamatan, tuple[str, ...]]]:
    return [(k, tuple(dict.fromkeys(normalize_name(n) for n in (k.name, *k.alt_names)))) for k in load_kecamatan()]


@cache
def _village_keys(kecamatan: Kecamatan) -> list[tuple[Village, tuple[str, ...]]]:
    return [(v, (normalize_name(v.name),)) for v in kecamatan.villages]


def kecamatan_by_code(code: str) -> Kecamatan | None:
    """The kecamatan with Kemendagri code ``code`` ("32.09.05"), or None."""
    if not code:
        return None
    return _kecamatan_index().get(code.strip())


# --------------------------------------------------------------------------- matching


def match_kecamatan(text: str) -> Kecamatan | None:
    """The kecamatan the user meant by ``text`` (name, variant, or code "32.09.05"), or None."""
    if not text or not text.strip():
        return None
    code_match = _KEC_CODE.fullmatch(text.strip())
    if code_match:
        return kecamatan_by_code(f"32.09.{int(code_match.group(1)):02d}")
    query = _kecamatan_query_key(text)
    if not query:
        return None
    candidates = _kecamatan_keys()
    for kecamatan, keys in candidates:
        if query in keys:
            return kecamatan
    return _unique_fuzzy(query, candidates)


def suggest_kecamatan(text: str, limit: int = 3) -> list[Kecamatan]:
    """Up to ``limit`` kecamatan whose names are closest to ``text``, best first ("did you mean")."""
    if not text:
        return []
    return _suggest(_kecamatan_query_key(text), _kecamatan_keys(), limit)


def match_village(kecamatan: Kecamatan, text: str) -> Village | None:
    """The desa/kelurahan of ``kecamatan`` meant by ``text`` (name or full code), or None."""
    if not text or not text.strip():
        return None
    code_match = _VILLAGE_CODE.fullmatch(text.strip())
    if code_match:
        code = f"32.09.{code_match.group(1)}.{code_match.group(2)}"
        return next((v for v in kecamatan.villages if v.code == code), None)
    queries = _village_query_keys(text)
    if not queries:
        return None
    candidates = _village_keys(kecamatan)
    for query in queries:
        for village, keys in candidates:
            if query in keys:
                return village
    for query in queries:
        found = _unique_fuzzy(query, candidates)
        if found is not None:
            return found
    return None


def suggest_villages(kecamatan: Kecamatan, text: str, limit: int = 5) -> list[Village]:
    """Up to ``limit`` villages of ``kecamatan`` whose names are closest to ``text``, best first."""
    queries = _village_query_keys(text) if text else ()
    if not queries:
        return []
    return _suggest(queries[0], _village_keys(kecamatan), limit)
