"""How the XLSForm engine fares on a folder of forms: pyxform accepted, the bot accepted, filled to the end.

    python scripts/xlsform_corpus_report.py FOLDER            # every .xlsx/.xls in FOLDER (and its subfolders)
    python scripts/xlsform_corpus_report.py --write FOLDER    # first write the project's own corpus there

Files next to a workbook (CSV for select_one_from_file and pulldata()) are given to it as attachments. Each form
the bot refuses or the automatic filler (tests/support/xlsform_filler.py) cannot finish is listed with why.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.xlsform.attachments import TABLE_SUFFIXES  # noqa: E402
from bot.xlsform.read import FormRejected, read_xlsform  # noqa: E402
from tests.support.xlsform_corpus import corpus, pyxform_refusal  # noqa: E402
from tests.support.xlsform_filler import NOW, fill  # noqa: E402


def write_corpus(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for item in corpus():
        (folder / item.file_name).write_bytes(item.data)
        for name, data in item.attachments.items():
            (folder / name).write_bytes(data)


def report(folder: Path) -> tuple[int, int, int, int]:
    """(workbooks, pyxform accepted, bot accepted, filled); each failure printed as it is met."""
    books = sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".xlsx", ".xls", ".xlsm"))
    counts = [len(books), 0, 0, 0]
    for path in books:
        data = path.read_bytes()
        attachments = {p.name: p.read_bytes() for p in path.parent.iterdir() if p.suffix.lower() in TABLE_SUFFIXES}
        if (refusal := pyxform_refusal(data, path.name)) is not None:
            print(f"pyxform refuses {path.name}: {refusal[:200]}")
            continue
        counts[1] += 1
        try:
            form = read_xlsform(data, path.name, uploaded_at=NOW.replace(tzinfo=None), attachments=attachments)
        except FormRejected as exc:
            print(f"bot refuses {path.name}: {exc}")
            continue
        except Exception as exc:  # the reader must never crash: shown, counted as refused
            print(f"READER CRASHED on {path.name}: {type(exc).__name__}: {exc}")
            continue
        counts[2] += 1
        try:
            fill(form)
        except Exception as exc:  # the filler's Stuck, or the engine failing mid-form
            print(f"not filled {path.name}: {type(exc).__name__}: {exc}")
            continue
        counts[3] += 1
    return counts[0], counts[1], counts[2], counts[3]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--write", action="store_true", help="write the project's own corpus into FOLDER first")
    args = parser.parse_args()
    if args.write:
        write_corpus(args.folder)
    books, pyxform_ok, bot_ok, filled = report(args.folder)
    share = f"{100 * filled / pyxform_ok:.1f} %" if pyxform_ok else "–"
    print(f"workbooks {books}, pyxform accepted {pyxform_ok}, bot accepted {bot_ok}, filled to the end {filled}")
    print(f"filled / pyxform accepted: {share}")
    return 0 if pyxform_ok and filled >= 0.95 * pyxform_ok else 1


if __name__ == "__main__":
    sys.exit(main())
