"""Regenerate bot/data/wilayah/ from ../shared/domain/indonesia_wilayah.tsv (Kepmendagri codes, cahyadsn/wilayah).

    python scripts/build_wilayah_data.py [path/to/indonesia_wilayah.tsv]
    python scripts/build_wilayah_data.py new.tsv --previous old.tsv --edisi 2026

Written: `index.tsv` (the 38 provinces and 514 kabupaten/kota, what `python -m bot wilayah cari` searches) and
one `<province>.tsv.gz` per province with its kecamatan and desa/kelurahan. The bot reads the index and the one
province file of its WILAYAH_KODE, keeping only that region: loading is a few milliseconds and the rest of the
country is never held in memory. `alt_names.tsv` carries the spelling variants people type (the kecamatan's
`alt_names` of bot/data/cirebon_wilayah.json, and any line `<kode><TAB><variant>` added there by hand for another
region: a regeneration keeps them).

A new Kepmendagri edition can renumber kecamatan and villages, and databases hold the old codes (registrations,
reports, plans, drafts). Give the edition the data was built from with `--previous` and a name with `--edisi`:
every kecamatan or village whose code is gone and whose name is found under the same parent with a code that is
new is written to `perubahan_kode.tsv` as `edisi<TAB>kode_lama<TAB>kode_baru`, and every bot applies those lines
to its database once, at its next start (bot/region_recode.py). Codes the script cannot match (a split, a merge,
a renamed place) are printed: add their lines to perubahan_kode.tsv by hand, under the same edition, before the
release. Renames are applied in the file's order, so an edition's lines must not reuse a code renamed away in it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# ../shared beside the checkout (a git worktree sits one level deeper).
SOURCES = [base / "shared" / "domain" / "indonesia_wilayah.tsv" for base in (ROOT.parent, ROOT.parent.parent)]
OUT = ROOT / "bot" / "data" / "wilayah"
CIREBON_JSON = ROOT / "bot" / "data" / "cirebon_wilayah.json"


def read(source: Path) -> list[tuple[str, str]]:
    lines = source.read_text(encoding="utf-8").splitlines()
    if lines[0].split("\t") != ["kode", "nama"]:
        raise SystemExit(f"{source}: expected the header 'kode<TAB>nama'")
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        code, _, name = line.partition("\t")
        if not code or not name or code.count(".") > 3:
            raise SystemExit(f"{source}:{number}: not a 'kode<TAB>nama' line: {line!r}")
        rows.append((code.strip(), " ".join(name.split())))
    return sorted(rows, key=lambda row: [int(part) for part in row[0].split(".")])


def alt_names(out: Path) -> list[tuple[str, str]]:
    """The variants kept by hand: those already in alt_names.tsv, and Cirebon's from its json (Gunungjati, ...)."""
    kept = out / "alt_names.tsv"
    lines = kept.read_text(encoding="utf-8").splitlines() if kept.is_file() else []
    pairs = [tuple(line.split("\t", 1)) for line in lines if "\t" in line]
    raw = json.loads(CIREBON_JSON.read_text(encoding="utf-8"))
    pairs += [(k["code"], alt) for k in raw["kecamatan"] for alt in k.get("alt_names") or []]
    return sorted(dict.fromkeys(pairs))  # type: ignore[arg-type]


def write(rows: list[tuple[str, str]], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    index = [f"{code}\t{name}\n" for code, name in rows if code.count(".") <= 1]
    (out / "index.tsv").write_text("".join(index), encoding="utf-8")
    by_province: dict[str, list[str]] = defaultdict(list)
    for code, name in rows:
        if code.count(".") >= 2:
            by_province[code[:2]].append(f"{code}\t{name}\n")
    for old in out.glob("*.tsv.gz"):
        old.unlink()
    for province, lines in by_province.items():
        # mtime=0: the same source gives the same bytes, so a regeneration shows no spurious diff.
        data = gzip.compress("".join(lines).encode("utf-8"), compresslevel=9, mtime=0)
        (out / f"{province}.tsv.gz").write_bytes(data)
    alts = "".join(f"{code}\t{alt}\n" for code, alt in alt_names(out))
    (out / "alt_names.tsv").write_text(alts, encoding="utf-8")


def _key(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


def _parent(code: str) -> str:
    return code.rsplit(".", 1)[0]


def derive_renames(old: list[tuple[str, str]], new: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], list[str]]:
    """(old code, new code) of every kecamatan and village whose code is gone and whose name is found, once, under
    the same (renamed) parent among the new codes; and the gone codes that could not be matched."""
    old_names, new_names = dict(old), dict(new)
    renames: dict[str, str] = {}
    unmatched = []
    for level in (2, 3):  # kecamatan first: a village is looked for under its kecamatan's new code
        fresh: dict[tuple[str, str], list[str]] = defaultdict(list)
        for code, name in new:
            if code.count(".") == level and code not in old_names:
                fresh[(_parent(code), _key(name))].append(code)
        for code, name in old:
            if code.count(".") != level or code in new_names:
                continue
            parent = renames.get(_parent(code), _parent(code))
            found = fresh.get((parent, _key(name)), [])
            if len(found) == 1:
                renames[code] = found[0]
            else:
                unmatched.append(code)
    return list(renames.items()), unmatched


def append_renames(out: Path, edition: str, renames: list[tuple[str, str]]) -> None:
    path = out / "perubahan_kode.tsv"
    text = path.read_text(encoding="utf-8") if path.is_file() else "edisi\tkode_lama\tkode_baru\n"
    if any(line.split("\t", 1)[0] == edition for line in text.splitlines()[1:]):
        raise SystemExit(f"{path}: edition {edition!r} is already there")
    path.write_text(text + "".join(f"{edition}\t{a}\t{b}\n" for a, b in renames), encoding="utf-8")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path)
    parser.add_argument("--previous", type=Path, help="the edition's TSV the packaged data was built from")
    parser.add_argument("--edisi", help="the new edition's name in perubahan_kode.tsv (with --previous)")
    args = parser.parse_args(argv)
    if args.previous and not args.edisi:
        parser.error("--previous needs --edisi")
    source = args.source or next((s for s in SOURCES if s.is_file()), SOURCES[0])
    rows = read(source)
    write(rows, OUT)
    if args.previous:
        renames, unmatched = derive_renames(read(args.previous), rows)
        append_renames(OUT, args.edisi, renames)
        print(f"{len(renames)} code changes written to perubahan_kode.tsv as edition {args.edisi}")
        for code in unmatched:
            print(f"not matched, add its line by hand if it was renumbered: {code}")
    levels = [sum(code.count(".") == n for code, _ in rows) for n in range(4)]
    size = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"{levels[0]} provinsi, {levels[1]} kabupaten/kota, {levels[2]} kecamatan, {levels[3]} desa/kelurahan")
    print(f"written to {OUT.relative_to(ROOT)}: {size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
