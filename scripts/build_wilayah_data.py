"""Regenerate bot/data/wilayah/ from ../shared/domain/indonesia_wilayah.tsv (Kepmendagri codes, cahyadsn/wilayah).

    python scripts/build_wilayah_data.py [path/to/indonesia_wilayah.tsv]

Written: `index.tsv` (the 38 provinces and 514 kabupaten/kota, what `python -m bot wilayah cari` searches) and
one `<province>.tsv.gz` per province with its kecamatan and desa/kelurahan. The bot reads the index and the one
province file of its WILAYAH_KODE, keeping only that region: loading is a few milliseconds and the rest of the
country is never held in memory. `alt_names.tsv` carries the spelling variants people type (the kecamatan's
`alt_names` of bot/data/cirebon_wilayah.json, and any line `<kode><TAB><variant>` added there by hand for another
region: a regeneration keeps them).
"""

from __future__ import annotations

import gzip
import json
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


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else next((s for s in SOURCES if s.is_file()), SOURCES[0])
    rows = read(source)
    write(rows, OUT)
    levels = [sum(code.count(".") == n for code, _ in rows) for n in range(4)]
    size = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"{levels[0]} provinsi, {levels[1]} kabupaten/kota, {levels[2]} kecamatan, {levels[3]} desa/kelurahan")
    print(f"written to {OUT.relative_to(ROOT)}: {size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
