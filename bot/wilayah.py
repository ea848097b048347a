"""Kecamatan and desa/kelurahan of the configured kabupaten/kota, with tolerant name matching.

The data is the project's own copy of Kemendagri's codes for all of Indonesia, ``bot/data/wilayah/`` (written by
scripts/build_wilayah_data.py): ``index.tsv`` lists the provinces and the 514 kabupaten/kota, one ``<prov>.tsv.gz``
per province holds its kecamatan and villages. ``load(code)`` reads the index and that one province file and keeps
only the region asked for, so a bot never holds the rest of the country. A process serves one region: the bot's
start (and every CLI command that opens the database) calls ``use(config.wilayah_kode)``, and the module-level
functions (``load_kecamatan``, ``match_kecamatan``, ...) answer for that region; Kabupaten Cirebon (32.09) until then.

Matching compares *normalised keys*: lowercase, accents folded, a "Kec."/"Kecamatan" (or "Desa"/"Kelurahan")
prefix and a trailing "Kabupaten <region>" removed, then every non-letter dropped, so "KEC.  Gunung-Jati" and
"gunungjati" give the same key. An exact key match always wins; only when there is none is a small typo accepted,
and only if exactly one place is within reach (ties give ``None``).
"""

from __future__ import annotations

import gzip
import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from importlib.resources import files
from typing import TypeVar

__all__ = [
    "DEFAULT_CODE",
    "Kecamatan",
    "Regency",
    "Region",
    "UnknownRegion",
    "Village",
    "current",
    "find_regencies",
    "kecamatan_by_code",
    "load",
    "load_kecamatan",
    "match_kecamatan",
    "match_village",
    "normalize_name",
    "regency",
    "suggest_kecamatan",
    "suggest_villages",
    "use",
    "village_word",
]

DEFAULT_CODE = "32.09"  # Kabupaten Cirebon, the bot's first region


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

    @property
    def village_word(self) -> str:
        """What its villages are called: "desa", "kelurahan" or "desa/kelurahan"."""
        return _village_word(self.villages)


@dataclass(frozen=True, slots=True)
class Regency:
    """A kabupaten or kota of the index: what `wilayah cari` lists and WILAYAH_KODE names."""

    code: str  # "32.09"
    name: str  # "Kabupaten Cirebon", "Kota Bandung"
    province: str  # "Jawa Barat"


class UnknownRegion(LookupError):
    """No kabupaten/kota has this code."""


# Spelling variants people type (DOMAIN.md), for any region: whichever member of a group is a kecamatan's
# official name, the others are added to its alt_names. Grouped by normalised key, so spacing is irrelevant.
_KECAMATAN_VARIANTS: tuple[tuple[str, ...], ...] = (
    ("Kepetakan", "Kapetakan"),
    ("Gunung Jati", "Gunungjati"),
    ("Susukan Lebak", "Susukanlebak"),
    ("Tengah Tani", "Tengahtani"),
)

_KEC_PREFIX = re.compile(r"^(?:kecamatan|kec)\b[\s.:,\-]*")
_VILLAGE_PREFIX = re.compile(r"^(?:kelurahan|kel|desa|ds)\b[\s.:,\-]*")
_SEP = r"\s*[.\-]?\s*"
_KEC_CODE = re.compile(rf"(\d{{2}}){_SEP}(\d{{2}}){_SEP}(\d{{1,2}})")
_VILLAGE_CODE = re.compile(rf"(\d{{2}}){_SEP}(\d{{2}}){_SEP}(\d{{2}}){_SEP}(\d{{4}})")
_REGION_CODE = re.compile(rf"(\d{{2}}){_SEP}(\d{{2}})")
_MIN_FUZZY_LEN = 3
# "Kabupaten", "Kab.", "Kota", "Kota Administrasi" before a region's own name.
_KIND_PREFIX = re.compile(r"^(?:(?:kabupaten|kab|kota|kot)\b[\s.]*)?(?:(?:administrasi|adm)\b[\s.]*)?")

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


def _village_word(villages: tuple[Village, ...]) -> str:
    kinds = {v.kind for v in villages}
    return "desa/kelurahan" if len(kinds) != 1 else kinds.pop()


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


def _data_file(name: str) -> bytes:
    return (files("bot") / "data" / "wilayah" / name).read_bytes()


def _tsv(text: str) -> list[tuple[str, str]]:
    return [(code, name) for code, _, name in (line.partition("\t") for line in text.splitlines()) if code]


def canonical_code(text: str) -> str:
    """ "32.09", "3209" and "32-09" as the index writes them ("32.09"); other text unchanged but stripped."""
    found = _REGION_CODE.fullmatch(text.strip())
    return f"{found[1]}.{found[2]}" if found else text.strip()


def _regencies() -> dict[str, Regency]:
    """The 514 kabupaten/kota; read from the index each time asked (at start and by the CLI only)."""
    provinces: dict[str, str] = {}
    result: dict[str, Regency] = {}
    for code, name in _tsv(_data_file("index.tsv").decode("utf-8")):
        if "." not in code:
            provinces[code] = name
        else:
            result[code] = Regency(code, name, provinces.get(code[:2], ""))
    return result


def regency(code: str) -> Regency | None:
    """The kabupaten/kota with Kemendagri code ``code`` ("32.09" or "3209"), or None."""
    return _regencies().get(canonical_code(code))


def find_regencies(text: str) -> list[Regency]:
    """Every kabupaten/kota whose name (or code) contains ``text``, by code: "bandung" gives Kabupaten Bandung,
    Kabupaten Bandung Barat and Kota Bandung."""
    regencies = _regencies()
    if canonical_code(text) in regencies:
        return [regencies[canonical_code(text)]]
    folded = _fold(text)
    kind = re.match(r"(kota|kot|kabupaten|kab)\b", folded)
    query = normalize_name(_KIND_PREFIX.sub("", folded))
    if not query:
        return []
    found = [r for r in regencies.values() if query in normalize_name(_KIND_PREFIX.sub("", _fold(r.name)))]
    if kind:  # "cari kota bandung": the kota only
        found = [r for r in found if r.name.startswith("Kota") == kind[1].startswith("kot")]
    return found


def _read_region(code: str) -> tuple[list[tuple[str, str]], dict[str, list[str]]]:
    """The region's own kecamatan and village lines of its province's file, and its alt names. The file is read
    line by line and left at the region's end (it is sorted by code): only the region's lines are ever held."""
    prefix = (code + ".").encode()
    lines: list[tuple[str, str]] = []
    with (files("bot") / "data" / "wilayah" / f"{code[:2]}.tsv.gz").open("rb") as raw, gzip.open(raw) as province:
        for line in province:
            if line.startswith(prefix):
                found, _, name = line.decode("utf-8").rstrip("\n").partition("\t")
                lines.append((found, name))
            elif lines:
                break
    alts: dict[str, list[str]] = {}
    for c, alt in _tsv(_data_file("alt_names.tsv").decode("utf-8")):
        if c.startswith(code + "."):
            alts.setdefault(c, []).append(alt)
    return lines, alts


def _kecamatan_of(lines: list[tuple[str, str]], alts: dict[str, list[str]]) -> tuple[Kecamatan, ...]:
    names: dict[str, str] = {}
    villages: dict[str, list[Village]] = {}
    for code, name in lines:
        if code.count(".") == 2:
            names[code] = name
            villages.setdefault(code, [])
        else:
            # Kemendagri: the fourth part starts with 1 for a kelurahan, 2 for a desa (3 for Papua's desa adat).
            kind = "kelurahan" if code.rsplit(".", 1)[1].startswith("1") else "desa"
            villages.setdefault(code.rsplit(".", 1)[0], []).append(Village(code, name, kind))
    return tuple(
        Kecamatan(code, names[code], _with_variants(names[code], alts.get(code, [])),
                  tuple(sorted(villages[code], key=lambda v: v.code)))
        for code in sorted(names)
    )  # fmt: skip


class Region:
    """One kabupaten/kota: its kecamatan and villages, the office that serves it, and the matching of names."""

    def __init__(self, regency: Regency, kecamatan: tuple[Kecamatan, ...], office: str | None = None) -> None:
        self.code = regency.code
        self.name = regency.name  # "Kabupaten Cirebon"
        self.province = regency.province
        self.kecamatan = kecamatan
        self.office = office or f"Dinas Sosial {regency.name}"
        self._regency = regency
        self._by_code = {k.code: k for k in kecamatan}
        self._keys = [(k, tuple(dict.fromkeys(normalize_name(n) for n in (k.name, *k.alt_names)))) for k in kecamatan]
        self._suffix = _region_suffix(regency.name)
        self._villages: dict[str, list[tuple[Village, tuple[str, ...]]]] = {}

    def with_office(self, office: str | None) -> Region:
        """The same region served by another office name (DINAS_NAMA); the data is shared, not copied."""
        return self if not office or office == self.office else Region(self._regency, self.kecamatan, office)

    @property
    def kind(self) -> str:
        """ "Kabupaten" or "Kota"."""
        return "Kota" if self.name.startswith("Kota") else "Kabupaten"

    @property
    def short_name(self) -> str:
        """ "Kab. Cirebon", "Kota Bandung": the dashboard's header."""
        return "Kab. " + self.name.removeprefix("Kabupaten ") if self.kind == "Kabupaten" else self.name

    @property
    def village_count(self) -> int:
        return sum(len(k.villages) for k in self.kecamatan)

    @property
    def village_word(self) -> str:
        """ "desa", "kelurahan" (a kota whose kecamatan hold only kelurahan) or "desa/kelurahan"."""
        return _village_word(tuple(v for k in self.kecamatan for v in k.villages))

    def kecamatan_by_code(self, code: str) -> Kecamatan | None:
        return self._by_code.get(code.strip()) if code else None

    def match_kecamatan(self, text: str) -> Kecamatan | None:
        """The kecamatan the user meant by ``text`` (name, variant, or code "32.09.05"), or None."""
        if not text or not text.strip():
            return None
        code_match = _KEC_CODE.fullmatch(text.strip())
        if code_match:
            return self.kecamatan_by_code(f"{code_match[1]}.{code_match[2]}.{int(code_match[3]):02d}")
        query = self._kecamatan_query_key(text)
        if not query:
            return None
        for kecamatan, keys in self._keys:
            if query in keys:
                return kecamatan
        return _unique_fuzzy(query, self._keys)

    def suggest_kecamatan(self, text: str, limit: int = 3) -> list[Kecamatan]:
        """Up to ``limit`` kecamatan whose names are closest to ``text``, best first ("did you mean")."""
        if not text:
            return []
        return _suggest(self._kecamatan_query_key(text), self._keys, limit)

    def match_village(self, kecamatan: Kecamatan, text: str) -> Village | None:
        """The desa/kelurahan of ``kecamatan`` meant by ``text`` (name or full code), or None."""
        if not text or not text.strip():
            return None
        code_match = _VILLAGE_CODE.fullmatch(text.strip())
        if code_match:
            code = ".".join(code_match.groups())
            return next((v for v in kecamatan.villages if v.code == code), None)
        queries = self._village_query_keys(text)
        if not queries:
            return None
        candidates = self._village_keys(kecamatan)
        for query in queries:
            for village, keys in candidates:
                if query in keys:
                    return village
        for query in queries:
            found = _unique_fuzzy(query, candidates)
            if found is not None:
                return found
        return None

    def suggest_villages(self, kecamatan: Kecamatan, text: str, limit: int = 5) -> list[Village]:
        """Up to ``limit`` villages of ``kecamatan`` whose names are closest to ``text``, best first."""
        queries = self._village_query_keys(text) if text else ()
        if not queries:
            return []
        return _suggest(queries[0], self._village_keys(kecamatan), limit)

    def _village_keys(self, kecamatan: Kecamatan) -> list[tuple[Village, tuple[str, ...]]]:
        keys = self._villages.get(kecamatan.code)
        if keys is None:
            keys = self._villages[kecamatan.code] = [(v, (normalize_name(v.name),)) for v in kecamatan.villages]
        return keys

    def _strip_suffix(self, folded: str) -> str:
        stripped = self._suffix.sub("", folded)
        return stripped if stripped else folded

    def _kecamatan_query_key(self, text: str) -> str:
        return _letters(_KEC_PREFIX.sub("", self._strip_suffix(_fold(text))))

    def _village_query_keys(self, text: str) -> tuple[str, ...]:
        """Key with the "Desa"/"Kelurahan" prefix removed first, then the raw key (a name may start so)."""
        folded = self._strip_suffix(_fold(text))
        keys = [_letters(_VILLAGE_PREFIX.sub("", folded)), _letters(folded)]
        return tuple(dict.fromkeys(k for k in keys if k))


def _region_suffix(name: str) -> re.Pattern[str]:
    """A trailing ", Kabupaten Cirebon" / "Kab. Cirebon" / "Kota Bandung" that people add to a place's name."""
    folded = _fold(name)
    kind = r"(?:kota|kot)\b" if folded.startswith("kota") else r"(?:kabupaten|kab)\b"
    bare = _KIND_PREFIX.sub("", folded)
    words = r"[\s.\-]*".join(re.escape(w) for w in re.split(r"[\s.\-]+", bare) if w)
    return re.compile(rf"[\s,.\-]*{kind}[\s.]*(?:(?:administrasi|adm)\b[\s.]*)?{words}[\s.]*$")


@lru_cache(maxsize=4)
def _loaded(code: str) -> Region:
    found = regency(code)
    if found is None:
        raise UnknownRegion(code)
    return Region(found, _kecamatan_of(*_read_region(found.code)))


def load(code: str, office: str | None = None) -> Region:
    """The kabupaten/kota with this code, read once per process (UnknownRegion when there is none)."""
    return _loaded(canonical_code(code)).with_office(office)


_active: Region | None = None


def use(code: str, office: str | None = None) -> Region:
    """Make this region the one the module-level functions answer for (the bot's start calls it)."""
    global _active
    _active = load(code, office)
    return _active


def current() -> Region:
    """The region in use: the configured one once the bot or a CLI command has started, Kabupaten Cirebon before."""
    global _active
    if _active is None:
        _active = load(DEFAULT_CODE)
    return _active


# --------------------------------------------------------------------------- the region in use


def load_kecamatan() -> tuple[Kecamatan, ...]:
    """Every kecamatan of the region in use, ordered by Kemendagri code."""
    return current().kecamatan


def kecamatan_by_code(code: str) -> Kecamatan | None:
    """The kecamatan with Kemendagri code ``code`` ("32.09.05"), or None."""
    return current().kecamatan_by_code(code)


def match_kecamatan(text: str) -> Kecamatan | None:
    """The kecamatan the user meant by ``text`` (name, variant, or code "32.09.05"), or None."""
    return current().match_kecamatan(text)


def suggest_kecamatan(text: str, limit: int = 3) -> list[Kecamatan]:
    return current().suggest_kecamatan(text, limit)


def match_village(kecamatan: Kecamatan, text: str) -> Village | None:
    return current().match_village(kecamatan, text)


def suggest_villages(kecamatan: Kecamatan, text: str, limit: int = 5) -> list[Village]:
    return current().suggest_villages(kecamatan, text, limit)


def village_word() -> str:
    """ "desa", "kelurahan" or "desa/kelurahan", as the region in use calls its villages."""
    return current().village_word
