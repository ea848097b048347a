"""XLSForm fill benchmark (issue 11): N people fill published XLSForms through the real bot at once.

Run from the project root:  .venv/bin/python -m bench.xlsform_fill [--people 50] [--repeat 3] [--kinds ...] [--quick]

The same machinery as bench.forms (a fresh fake Telegram server with flood control off, a fresh bot process
and database per measurement, every person answering as soon as the reply to their previous answer arrived),
with two XLSForms published before the bot starts, through storage/xlsforms.py as the admin's Terbitkan
stores them (without the group notices): the built-in laporan workbook (bot/data/xlsforms/laporan.xlsx, its
424-desa cascade included) under its own form_id, and the 60-question XLSForm of bench.xlsform_engine
(a relevance and a constraint on every third question), and (xf-types) a form of issue 18's new types that a
person answers by text or buttons, with its CSV attached (datetime, range, rank, barcode typed,
select_one_from_file, pulldata, round/sqrt, geopoint and geotrace typed, acknowledge, and deviceid, username,
phonenumber and audit filled unasked). A person opens a form with `/start xf<id>-320915`
(what the group notice's button sends), answers every question, typing or pressing buttons, and presses
Kirim. In the same run: the bare floor (bench/bare_bot.py, one OK per message) and today's /laporan
(bench.forms' script). The figures are answers/s and the bot's CPU per answer for each; the issue's target
is the 60-question form within 10 % of the laporan's answers/s. See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

import telegram
from openpyxl import load_workbook

from bench.forms import (
    ADMIN_ID,
    BARE,
    KECAMATAN,
    LAPORAN,
    Run,
    Step,
    count_reports,
    environment,
    prepare_database,
    prepare_fake,
    timed,
)
from bench.process import RESULTS_DIR, BotProcess
from bench.updates import admin_has_started
from bench.xlsform_engine import sixty_workbook
from bot import texts
from bot.xlsform import builtin, form_json
from bot.xlsform.model import Form
from bot.xlsform.read import read_xlsform
from storage import xlsforms
from storage.db import Database
from tests.support.fake_telegram import FakeTelegram
from tests.support.xlsforms import c, q, xlsform

KINDS = ("bare", "laporan", "xf-laporan", "xf-60", "xf-types")
# Issue 11: the 60-question form's answers/s within 10 % of the laporan's.
TARGET_SIXTY = 0.9
PAYLOAD_CODE = KECAMATAN.replace(".", "")


def xf_laporan(xform_id: int) -> tuple[Step, ...]:
    """The laporan XLSForm with the answers bench.forms gives /laporan: 17 steps (photos ask "Tambah lagi?")."""
    form = builtin.form("laporan")

    def choice(question: str, name: str) -> str:
        return next(c.label for c in form.choice_list(form.question(question)) if c.name == name)

    return (
        Step("text", f"/start xf{xform_id}-{PAYLOAD_CODE}"),
        Step("text", "Pelatihan sablon remaja"),
        Step("press", choice("bidang", "b01")),
        Step("text", "kemarin"),
        Step("text", "kaliwadas"),
        Step("text", "35 orang"),
        Step("press", choice("ppks", "PPKS-02")),  # a tick: the keyboard comes back with it
        Step("press", choice("ppks", "PPKS-08")),
        Step("press", texts.BUTTON_DONE),
        Step("text", "12"),
        Step("press", choice("sumber_dana", "swadaya")),
        Step("press", texts.BUTTON_SKIP),
        Step("text", "Remaja mampu menyablon kaos sendiri"),
        Step("text", "Peralatan kurang"),
        Step("press", texts.BUTTON_SKIP),  # no photo; the photos are a repeat, which asks whether to add another
        Step("press", texts.BUTTON_XF_NO),  # the summary
        Step("press", texts.BUTTON_SUBMIT, replies=2),  # the summary's buttons removed, then the confirmation
    )


def xf_sixty(xform_id: int) -> tuple[Step, ...]:
    """The 60-question form: an integer typed, Ya pressed, a text typed, in turn; 62 steps with /start and Kirim."""
    form = uploads()["xf-60"][2]
    ya = next(c.label for c in form.choice_list(form.question("q2")) if c.name == "ya")
    answer = {1: Step("text", "12"), 2: Step("press", ya), 0: Step("text", "jawaban")}
    steps = [Step("text", f"/start xf{xform_id}-{PAYLOAD_CODE}")]
    steps += [answer[i % 3] for i in range(1, 61)]
    steps.append(Step("press", texts.BUTTON_SUBMIT, replies=2))
    return tuple(steps)


# Issue 18's types, each answered as a person in a chat would: typed, or a button pressed.
TYPES_DESA_CSV = b"name,label\nbode,Bode Lor\ngombang,Gombang\nwaled,Waled Kota\n"
TYPES_BANSOS_CSV = b"desa,penerima\nbode,120\ngombang,85\nwaled,64\n"
TYPES_FILES = {"desa.csv": TYPES_DESA_CSV, "bansos.csv": TYPES_BANSOS_CSV}


def types_workbook() -> bytes:
    """18 rows: 14 asked (two geotrace points and three ranks among their steps), 4 metadata, 3 calculations."""
    return xlsform(
        [
            q("start", "mulai"), q("end", "selesai"), q("deviceid", "perangkat"), q("username", "petugas"),
            q("phonenumber", "telepon"), q("audit", "audit"),
            q("text", "nama", "Nama kegiatan", required="yes"),
            q("dateTime", "waktu", "Waktu kegiatan"),
            q("range", "nilai", "Nilai kegiatan", parameters="start=1 end=5 step=1"),
            q("rank prioritas", "prioritas", "Urutkan kebutuhan"),
            q("barcode", "kode", "Kode kartu"),
            q("select_one_from_file desa.csv", "desa", "Desa"),
            q("calculate", "penerima", calculation="pulldata('bansos', 'penerima', 'desa', ${desa})"),
            q("integer", "kk", "Jumlah KK", constraint=". > 0"),
            q("calculate", "akar", calculation="round(sqrt(${kk}), 2)"),
            q("calculate", "rata", calculation="round(${kk} div 3, 1)"),
            q("decimal", "luas", "Luas lahan (ha)"),
            q("geopoint", "lokasi", "Lokasi kegiatan"),
            q("geotrace", "jalur", "Jalur yang dilalui"),
            q("acknowledge", "setuju", "Data ini benar"),
            q("note", "ringkas", "Penerima: ${penerima}, akar KK: ${akar}, rata-rata: ${rata}"),
            q("select_one yn", "lanjut", "Perlu kunjungan lagi?"),
        ],
        [c("prioritas", "pangan", "Pangan"), c("prioritas", "air", "Air bersih"), c("prioritas", "listrik", "Listrik"),
         c("yn", "ya", "Ya"), c("yn", "tidak", "Tidak")],
        {"form_title": "Jenis baru", "form_id": "jenis_baru", "version": "1"},
    )  # fmt: skip


def xf_types(xform_id: int) -> tuple[Step, ...]:
    """The types form: 20 steps with /start and Kirim."""
    return (
        Step("text", f"/start xf{xform_id}-{PAYLOAD_CODE}"),
        Step("text", "Bakti sosial"),
        Step("text", "28/11/2026 14.30"),
        Step("press", "4"),
        Step("press", "Air bersih"),  # a rank: the question stays, the order grows
        Step("press", "Pangan"),
        Step("press", "Listrik"),
        Step("press", texts.BUTTON_DONE),
        Step("text", "8991234567890"),
        Step("press", "Bode Lor"),
        Step("text", "14"),
        Step("text", "12,5"),
        Step("text", "-6.7612, 108.4821"),
        Step("text", "-6.7612, 108.4821"),  # the line's first point, then its second
        Step("text", "-6.7650, 108.4900"),
        Step("press", texts.BUTTON_DONE),
        Step("press", texts.XLSFORM_ACKNOWLEDGED),
        Step("press", texts.BUTTON_XF_NEXT),
        Step("press", "Ya"),
        Step("press", texts.BUTTON_SUBMIT, replies=2),
    )


def as_uploaded_form(workbook: bytes, form_id: str) -> bytes:
    """The workbook with another settings form_id: as Dinsos would upload a copy of the laporan (an upload with
    form_id laporan is refused, and a form of that id is asked in the built-in /laporan's look)."""
    book = load_workbook(BytesIO(workbook))
    settings = book["settings"]
    header = [cell.value for cell in settings[1]]
    settings.cell(row=2, column=header.index("form_id") + 1, value=form_id)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@cache
def uploads() -> dict[str, tuple[str, bytes, Form]]:
    """kind -> (form_id, workbook, form as read) of both XLSForms, read once per process (pyxform is slow)."""
    laporan = as_uploaded_form(builtin.workbook("laporan"), "laporan_xlsform")
    types = types_workbook()
    return {
        "xf-laporan": ("laporan_xlsform", laporan, read_xlsform(laporan)),
        "xf-60": ("enam_puluh", sixty_workbook(), read_xlsform(sixty_workbook())),
        "xf-types": ("jenis_baru", types, read_xlsform(types, attachments=TYPES_FILES)),
    }


ATTACHED = {"xf-types": TYPES_FILES}


async def publish(db_path: Path) -> dict[str, int]:
    """Both XLSForms stored and published to every kecamatan, as Terbitkan stores them; form ids by kind."""
    db = Database(db_path)
    await db.open()
    now = datetime.now(UTC)
    deadline = (now + timedelta(days=7)).date().isoformat()
    ids = {}
    try:
        for kind, (form_id, workbook, form) in uploads().items():
            upload = await xlsforms.store_version(
                db,
                form_id=form_id,
                title=form.title,
                version=form.version,
                workbook=workbook,
                by=ADMIN_ID,
                now=now,
                form_json=form_json.dumps(form),  # as the admin's upload stores it
                attachments=ATTACHED.get(kind),
            )
            await xlsforms.publish(
                db, version_id=upload.version.id, schedule="once", deadline=deadline, kecamatan_codes=None,
                by=ADMIN_ID, now=now, owed=[],
            )  # fmt: skip
            ids[kind] = upload.form.id
    finally:
        await db.close()
    return ids


def count_submissions(workdir: Path, xform_id: int, check: dict[str, Any]) -> tuple[int, int]:
    """(submissions of the form, those whose stored answers include what the script gave)."""
    db = sqlite3.connect(workdir / "bench.db")
    try:
        rows = db.execute(
            """SELECT s.data FROM xform_submission s JOIN xform_version v ON v.id = s.version_id
               WHERE v.xform_id = ?""",
            (xform_id,),
        ).fetchall()
    finally:
        db.close()
    answers = [json.loads(r[0]).get("answers", {}) for r in rows]
    return len(rows), sum(all(a.get(k) == v for k, v in check.items()) for a in answers)


CHECKS = {
    "xf-laporan": {"nama_kegiatan": "Pelatihan sablon remaja", "jumlah_peserta": "35", "ppks": "PPKS-02 PPKS-08",
                   "jumlah_penerima": "12", "sumber_dana": "swadaya", "kendala": "Peralatan kurang"},
    "xf-60": {"q1": "12", "q2": "ya", "q3": "jawaban", "q59": "ya", "q60": "jawaban"},
    "xf-types": {"nama": "Bakti sosial", "nilai": "4", "prioritas": "air pangan listrik", "kode": "8991234567890",
                 "desa": "bode", "penerima": "120", "kk": "14", "akar": "3.74", "rata": "4.7", "luas": "12.5",
                 "lokasi": "-6.7612 108.4821 0 0", "lanjut": "ya"},
}  # fmt: skip


async def measure(kind: str, people: int) -> Run:
    """One fresh fake, one fresh process (and database); everybody fills the form once."""
    with tempfile.TemporaryDirectory(prefix="bench-xlsform-") as tmp:
        workdir = Path(tmp)
        async with FakeTelegram(flood_control=False) as fake:
            env = environment(fake, workdir)
            ids: dict[str, int] = {}
            if kind != "bare":
                prepare_database(env, workdir)
                ids = await publish(workdir / "bench.db")
            steps = {"bare": lambda: BARE, "laporan": lambda: LAPORAN, "xf-laporan": lambda: xf_laporan(ids[kind]),
                     "xf-60": lambda: xf_sixty(ids[kind]), "xf-types": lambda: xf_types(ids[kind])}[kind]()  # fmt: skip
            users = prepare_fake(fake, people)
            bot = BotProcess("bare" if kind == "bare" else "bot", env, workdir)
            try:
                await bot.start(fake)
                if kind != "bare":
                    await admin_has_started(fake, bot)  # the admins' copies go to them; not timed
                run = await timed(fake, bot, users, steps)
                run.rss_mib = bot.peak_rss_mib()
            finally:
                await bot.stop()
            if fake.violations:
                print(f"  {kind}: Bot API violations: {fake.violations[:5]}", file=sys.stderr)
        if kind in CHECKS:
            run.reports, run.complete = count_submissions(workdir, ids[kind], CHECKS[kind])
        elif kind == "laporan":
            run.reports, run.complete = count_reports(workdir)
    return run


def summarise(runs: list[Run]) -> dict[str, Any]:
    seconds = statistics.median(r.seconds for r in runs)
    cpu = statistics.median(r.bot_cpu_s for r in runs)
    return {
        "people": runs[0].people,
        "answers": runs[0].answers,
        "seconds": seconds,
        "answers_per_s": runs[0].answers / seconds,
        "latency_ms_median": statistics.median(r.latency_ms_median for r in runs),
        "latency_ms_p95": statistics.median(r.latency_ms_p95 for r in runs),
        "rss_mib": statistics.median(r.rss_mib for r in runs),
        "bot_cpu_s": cpu,
        "cpu_ms_per_answer": 1000 * cpu / runs[0].answers,
        "runs": [asdict(r) for r in runs],
    }


async def run_all(people: int, repeat: int, kinds: list[str]) -> dict[str, Any]:
    """The kinds in turn, repeat times, so drift on the machine hits them alike."""
    runs: dict[str, list[Run]] = {kind: [] for kind in kinds}
    for i in range(repeat):
        for kind in kinds:
            run = await measure(kind, people)
            runs[kind].append(run)
            extra = f", {run.reports} stored ({run.complete} as typed)" if run.reports is not None else ""
            print(
                f"#{i + 1} {kind}: {run.answers} answers in {run.seconds:.2f} s ({run.answers_per_s:.1f}/s), "
                f"{1000 * run.bot_cpu_s / run.answers:.2f} ms CPU per answer{extra}",
                file=sys.stderr,
            )
    results: dict[str, Any] = {kind: summarise(runs[kind]) for kind in kinds}
    ratios: dict[str, float] = {}
    if "bare" in results:
        for kind in kinds:
            ratios[f"{kind}/bare"] = results[kind]["answers_per_s"] / results["bare"]["answers_per_s"]
    if "xf-60" in results and "xf-laporan" in results:
        ratios["xf-60/xf-laporan"] = results["xf-60"]["answers_per_s"] / results["xf-laporan"]["answers_per_s"]
    if "xf-types" in results and "laporan" in results:
        ratios["xf-types/laporan"] = results["xf-types"]["answers_per_s"] / results["laporan"]["answers_per_s"]
        ratios["xf-types/laporan CPU ms/answer"] = (
            results["xf-types"]["cpu_ms_per_answer"] / results["laporan"]["cpu_ms_per_answer"]
        )
    if "xf-laporan" in results and "laporan" in results:
        ratios["xf-laporan/laporan"] = results["xf-laporan"]["answers_per_s"] / results["laporan"]["answers_per_s"]
    results["ratio"] = ratios
    return results


def table(results: dict[str, Any], kinds: list[str]) -> str:
    head = f"{'form':<11} {'answers':>7} {'s':>7} {'answers/s':>9} {'p50 ms':>7} {'p95 ms':>7} {'RSS MiB':>7} "
    head += f"{'bot CPU s':>9} {'CPU ms/answer':>13}"
    lines = [head, "-" * len(head)]
    for kind in kinds:
        k = results[kind]
        lines.append(
            f"{kind:<11} {k['answers']:>7} {k['seconds']:>7.2f} {k['answers_per_s']:>9.1f} "
            f"{k['latency_ms_median']:>7.1f} {k['latency_ms_p95']:>7.1f} {k['rss_mib']:>7.1f} "
            f"{k['bot_cpu_s']:>9.2f} {k['cpu_ms_per_answer']:>13.2f}"
        )
    lines.append("")
    for name, value in results["ratio"].items():
        note = ""
        if name == "xf-60/xf-laporan":
            note = f" (issue 11 target >= {TARGET_SIXTY}: {'met' if value >= TARGET_SIXTY else 'MISSED'})"
        label = name if "CPU" in name else f"{name} answers/s"
        lines.append(f"{label + ':':<30} {value:.3f}{note}")
    for kind in kinds:
        runs = results[kind]["runs"]
        if runs[0]["reports"] is not None:
            stored = ", ".join(f"{r['reports']} ({r['complete']} as typed)" for r in runs)
            lines.append(f"{kind} submissions stored per run: {stored} of {runs[0]['people']}")
        last = runs[-1]
        calls = ", ".join(f"{m} {n}" for m, n in last["calls"].items())
        lines.append(f"{kind} Bot API calls (last run): {calls} = {sum(last['calls'].values()) / last['answers']:.2f}"
                     " per answer")  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.xlsform_fill", description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, help="people filling at once (default 50)")
    parser.add_argument("--repeat", type=int, help="measurements per form (default 3)")
    parser.add_argument("--kinds", default=",".join(KINDS), help=f"comma-separated, of {', '.join(KINDS)}")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 2 people, 1 repeat (unless given)")
    args = parser.parse_args(argv)
    args.people = (2 if args.quick else 50) if args.people is None else args.people
    args.repeat = (1 if args.quick else 3) if args.repeat is None else args.repeat
    kinds = [k for k in args.kinds.split(",") if k]
    if args.people < 1 or args.repeat < 1 or not set(kinds) <= set(KINDS) or not kinds:
        parser.error("--people and --repeat must be at least 1, --kinds among " + ", ".join(KINDS))
    results = asyncio.run(run_all(args.people, args.repeat, kinds))
    print(table(results, kinds))
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / "xlsform_fill.json"
    document = {
        "benchmark": "xlsform_fill",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "ptb": telegram.__version__},
        "params": {"people": args.people, "repeat": args.repeat, "kinds": kinds},
        "statistic": "median",
        "results": results,
    }
    path.write_text(json.dumps(document, indent=2) + "\n")
    print(f"Written {path}")
    runs = [r for kind in kinds for r in results[kind]["runs"]]
    stored = all(r["reports"] is None or r["reports"] == r["complete"] == args.people for r in runs)
    return 0 if stored else 1


if __name__ == "__main__":
    sys.exit(main())
