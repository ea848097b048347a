"""Dashboard benchmark (issue #12): page times under 20 browsers, and what that load does to broadcasts and forms.

Run from the project root:  .venv/bin/python -m bench.dashboard [--browsers 20] [--think 1.0] [--repeat 5] [--quick]

The database holds a year of data, written straight into SQLite after `python -m bot migrate`: 40 active
kecamatan groups, 52 weekly evaluations each (2,080), 2,000 laporan (70 % reviewed, two photos each), 100
announcements delivered to all 40 groups (75 % acknowledged), this year's program kerja of every kecamatan (5-25
programs each; 30 approved, 5 submitted, 5 drafts; about two thirds of the laporan of an approved plan's planned
months linked to a program), and one dashboard session. The real bot runs as
`python -m bot` with DASHBOARD_URL set, so the dashboard is served by the same process and event loop as the bot.

Two workloads, each measured quiet and loaded, alternating (fresh fake, fresh process, fresh copy of the data):
- broadcast: one announcement to the 40 groups, flood control and pacing on, 10 % of sends answered 502 (as
  bench.broadcast); seconds from Kirim until every group has its copy, against the floor 40/30 s;
- forms: 50 people fill the laporan form at once (as bench.forms, FLOOD_PACING=off); answers per second.
Loaded means: during the timed part a separate process (so its CPU is not the fake server's) runs `--browsers`
simulated browsers, each loading a dashboard page, waiting `--think` seconds (a person reading), and loading the
next: Ringkasan, a Kecamatan, Laporan, Laporan with filters, one laporan, Pengumuman, one announcement, Program kerja
of the kabupaten, and of a kecamatan. Page time is
the time to the complete response on 127.0.0.1, measured in that process; p50 and p95 per page over every loaded
run. See bench/README.md, section "Dashboard".
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import platform
import random
import shutil
import socket
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import telegram

from bench import broadcast, forms
from bench.process import RESULTS_DIR, BotProcess
from bench.updates import admin_has_started
from bot.clock import iso
from tests.support.fake_telegram import FakeTelegram

ADMIN_ID = broadcast.ADMIN_ID
SESSION = "bench-dashboard-session-token"
TARGET = 0.05  # issue #12: the load may cost the broadcast and forms figures at most 5 %
PAGES = ("ringkasan", "kecamatan", "laporan", "laporan-filter", "laporan-1", "pengumuman", "pengumuman-1",
         "programkerja", "programkerja-kec")  # fmt: skip
PLAN_STATUSES = ("diterima",) * 30 + ("diajukan",) * 5 + ("draf",) * 5  # one plan per kecamatan this year


# ------------------------------------------------------------------ a year of data


def year_of_data(workdir: Path, groups: list[broadcast.Group], seed: int = 12) -> None:
    """Evaluations, laporan, announcements and a dashboard session, as a year of use leaves them."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    local_today = (now + timedelta(hours=7)).date()
    monday = local_today - timedelta(days=local_today.weekday())
    db = sqlite3.connect(workdir / "bench.db")
    try:
        with db:
            draft_id = 0

            def report(form: str, code: str, week: str | None, at: datetime, answers: dict[str, Any]) -> None:
                nonlocal draft_id
                draft_id += 1
                stamp = iso(at)
                db.execute(
                    """INSERT INTO form_draft (id, form, user_id, user_name, kecamatan_code, week, answers, status,
                           started_at, updated_at, expires_at)
                       VALUES (?, ?, ?, 'Ketua', ?, ?, ?, 'submitted', ?, ?, ?)""",
                    (draft_id, form, 500_000 + draft_id % 400, code, week, json.dumps(answers), stamp, stamp, stamp),
                )
                report_id = db.execute(
                    """INSERT INTO report (form, kecamatan_code, week, version, submitted_by_id, submitted_by,
                           created_at, updated_at) VALUES (?, ?, ?, 1, ?, 'Ketua', ?, ?)""",
                    (form, code, week, 500_000 + draft_id % 400, stamp, stamp),
                ).lastrowid
                reviewed = rng.random() < 0.7
                db.execute(
                    """INSERT INTO report_version (report_id, version, answers, submitted_by_id, submitted_by,
                           submitted_at, draft_id, review_status, reviewed_by_id, reviewed_by, reviewed_at)
                       VALUES (?, 1, ?, ?, 'Ketua', ?, ?, ?, ?, ?, ?)""",
                    (
                        report_id, json.dumps(answers), 500_000 + draft_id % 400, stamp, draft_id,
                        "diterima" if reviewed else None, ADMIN_ID if reviewed else None,
                        "Siti" if reviewed else None, stamp if reviewed else None,
                    ),
                )  # fmt: skip

            for weeks_back in range(52, 0, -1):
                week = monday - timedelta(weeks=weeks_back)
                for group in groups:
                    at = datetime(week.year, week.month, week.day, 3, tzinfo=UTC) + timedelta(days=4)
                    report("evaluasi", group.code, week.isoformat(), at, _evaluation(rng))
            # Last year's plans too: a laporan dated "kemarin" on 1 January belongs to last year's.
            year_of_plans(db, groups, local_today.year - 1, now, rng)
            plans = year_of_plans(db, groups, local_today.year, now, rng)
            for number in range(2000):
                at = now - timedelta(days=365 * (2000 - number) / 2000, minutes=rng.randrange(600))
                code = rng.choice(groups).code
                answers = _laporan(rng, number, (at + timedelta(hours=7)).date())
                planned = [p for p in plans.get(code, []) if answers["tanggal"][5:7] in p[1]]
                if planned and answers["tanggal"].startswith(str(local_today.year)) and rng.random() < 0.7:
                    answers["program"] = rng.choice(planned)[0]
                report("laporan", code, None, at, answers)
            for number in range(1, 101):
                sent = now - timedelta(days=365 * (101 - number) / 100)
                db.execute(
                    """INSERT INTO announcement (id, admin_id, admin_name, status, content_kind, text, entities,
                           created_at, sent_at, finished_at) VALUES (?, ?, 'Siti', 'done', 'text', ?, '[]', ?, ?, ?)""",
                    (number, ADMIN_ID, f"Pengumuman ke-{number}: {broadcast.TEXT}", iso(sent), iso(sent), iso(sent)),
                )
                for group in groups:
                    db.execute(
                        """INSERT INTO outbox (kind, ref_id, recipient, kecamatan_code, chat_id, status, attempts,
                               next_attempt_at, message_id, created_at, sent_at)
                           VALUES ('announcement', ?, ?, ?, ?, 'sent', 1, ?, ?, ?, ?)""",
                        (number, group.code, group.code, group.chat_id, iso(sent), number, iso(sent), iso(sent)),
                    )
                    if rng.random() < 0.75:
                        db.execute(
                            """INSERT INTO announcement_ack (announcement_id, kecamatan_code, user_id, user_name,
                                   acked_at) VALUES (?, ?, ?, 'Ketua', ?)""",
                            (number, group.code, -group.chat_id, iso(sent + timedelta(hours=3))),
                        )
            db.execute(
                """INSERT INTO dashboard_session (token_hash, admin_id, admin_name, csrf_token, via, created_at,
                       expires_at) VALUES (?, ?, 'Siti (@siti_dinsos)', 'csrf', 'link', ?, ?)""",
                (hashlib.sha256(SESSION.encode()).hexdigest(), ADMIN_ID, iso(now), iso(now + timedelta(days=2))),
            )
    finally:
        db.close()


def year_of_plans(
    db: sqlite3.Connection, groups: list[broadcast.Group], year: int, now: datetime, rng: random.Random
) -> dict[str, list[tuple[str, set[str]]]]:
    """Every kecamatan's plan for the year, as program kerja stores it; returns the approved ones' programs as
    (uid, planned months as '01'..'12') per kecamatan, for linking laporan."""
    stamp = iso(now)
    approved: dict[str, list[tuple[str, set[str]]]] = {}
    for number, (group, status) in enumerate(zip(groups, PLAN_STATUSES, strict=False)):
        plan_id = db.execute(
            """INSERT INTO program_plan (kecamatan_code, year, version, status, created_by_id, created_by, created_at,
                   updated_at, submitted_by_id, submitted_by, submitted_at, reviewed_by_id, reviewed_by, reviewed_at)
               VALUES (?, ?, 1, ?, ?, 'Ketua', ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                group.code, year, status, -group.chat_id, stamp, stamp,
                *((-group.chat_id, "Ketua", stamp) if status != "draf" else (None, None, None)),
                *((ADMIN_ID, "Siti", stamp) if status == "diterima" else (None, None, None)),
            ),
        ).lastrowid  # fmt: skip
        programs = []
        for position in range(1, rng.randint(5, 25) + 1):
            uid = f"b{number:02d}{position:02d}"
            months = sorted(rng.sample(range(1, 13), rng.randint(1, 4)))
            db.execute(
                """INSERT INTO program (plan_id, uid, position, nama, bidang, tujuan, sasaran_ppks, sasaran_lain, bulan,
                       lokasi, target_peserta, target_penerima, anggaran, sumber_dana, penanggung_jawab, indikator)
                   VALUES (?, ?, ?, ?, ?, 'Remaja punya keterampilan usaha', '["PPKS-02"]', 'Pemuda', ?, 'kecamatan',
                       ?, ?, ?, 'apbdes', 'Ketua bidang', '30 remaja terampil')""",
                (
                    plan_id, uid, position, f"Program {position}: pelatihan sablon remaja",
                    f"b{rng.randrange(1, 11):02d}", json.dumps(months), rng.randrange(10, 100), rng.randrange(5, 50),
                    rng.randrange(5, 50) * 100_000,
                ),
            )  # fmt: skip
            programs.append((uid, {f"{m:02d}" for m in months}))
        if status == "diterima":
            approved[group.code] = programs
    return approved


def _evaluation(rng: random.Random) -> dict[str, Any]:
    return {
        "jumlah_kegiatan": rng.randrange(6), "capaian": "Bank sampah di dua desa berjalan",
        "jumlah_ppks": rng.randrange(40), "kendala": "Belum ada tempat pertemuan",
        "rencana": "Rapat pengurus dan kunjungan lansia", "kondisi": rng.choice(["baik", "cukup", "pendampingan"]),
    }  # fmt: skip


def _laporan(rng: random.Random, number: int, tanggal: date) -> dict[str, Any]:
    return {
        "nama_kegiatan": f"Kegiatan {number}: pelatihan sablon remaja", "bidang": f"b{rng.randrange(1, 11):02d}",
        "tanggal": tanggal.isoformat(), "lokasi": {"code": "x", "name": "Kaliwadas"},
        "jumlah_peserta": rng.randrange(100), "ppks": ["01", "02"], "jumlah_penerima": rng.randrange(50),
        "sumber_dana": "swadaya", "jumlah_dana": rng.randrange(0, 20) * 50_000,
        "hasil": "Remaja mampu menyablon kaos sendiri", "kendala": "Peralatan kurang",
        "foto": [f"bench-photo-{number}-1", f"bench-photo-{number}-2"],
    }  # fmt: skip


# ------------------------------------------------------------------ the browsers (a separate process)


def page_urls(rng: random.Random, codes: list[str]) -> list[tuple[str, str]]:
    month = datetime.now(UTC).strftime("%Y-%m")
    year = (datetime.now(UTC) + timedelta(hours=7)).year  # the year of the plans (WIB)
    return [
        ("ringkasan", "/"),
        ("kecamatan", f"/kecamatan/{rng.choice(codes)}"),
        ("laporan", "/laporan"),
        ("laporan-filter", f"/laporan?bidang=b{rng.randrange(1, 11):02d}&bulan={month}&tinjauan=menunggu"),
        ("laporan-1", f"/laporan/{rng.randrange(1, 4000)}"),
        ("pengumuman", "/pengumuman"),
        ("pengumuman-1", f"/pengumuman/{rng.randrange(1, 101)}"),
        ("programkerja", f"/programkerja/kabupaten/{year}"),
        ("programkerja-kec", f"/programkerja/kecamatan/{rng.choice(codes)}/{year}"),
    ]


async def browsers(base: str, codes: list[str], count: int, think: float) -> dict[str, list[float]]:
    """`count` browsers looping over the pages until stdin closes; seconds per page load."""
    import aiohttp

    times: dict[str, list[float]] = {name: [] for page in PAGES for name in (page, f"{page}:server")}
    stop = asyncio.Event()
    errors = 0

    async def one(number: int) -> None:
        nonlocal errors
        rng = random.Random(number)
        cookies = {"dasbor_sesi": SESSION}
        async with aiohttp.ClientSession(base, cookies=cookies) as session:
            await asyncio.sleep(rng.random() * think)  # browsers do not all click in the same instant
            while not stop.is_set():
                urls = page_urls(rng, codes)
                first = number % len(urls)  # each browser starts elsewhere, so every page gets its share of loads
                for page, path in urls[first:] + urls[:first]:
                    started = time.perf_counter()
                    async with session.get(path) as response:
                        await response.read()
                        if response.status != 200:
                            errors += 1
                    times[page].append(time.perf_counter() - started)
                    timing = response.headers.get("Server-Timing", "app;dur=nan")
                    times[f"{page}:server"].append(float(timing.partition("dur=")[2]) / 1000)
                    if stop.is_set():
                        return
                    await asyncio.sleep(think)  # the person reads the page: think time, not waiting on the bot

    async def until_stdin_closes() -> None:
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        stop.set()

    await asyncio.gather(until_stdin_closes(), *(one(i) for i in range(count)))
    times["errors"] = [float(errors)]
    return times


class Load:
    """The browsers' process: started before the timed part, stopped (stdin closed) after it."""

    def __init__(self, base: str, codes: list[str], count: int, think: float) -> None:
        self.args = [sys.executable, "-m", "bench.dashboard", "--browsers-process", base, ",".join(codes),
                     str(count), str(think)]  # fmt: skip
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.proc = await asyncio.create_subprocess_exec(
            *self.args, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
        )

    async def stop(self) -> dict[str, list[float]]:
        assert self.proc is not None and self.proc.stdin is not None
        self.proc.stdin.close()
        out, _ = await self.proc.communicate()
        return json.loads(out)


# ------------------------------------------------------------------ one measurement


@dataclass
class Run:
    workload: str  # broadcast, forms
    loaded: bool
    figure: float  # broadcast: seconds / floor (lower is better); forms: answers per second (higher is better)
    seconds: float
    pages: dict[str, list[float]]
    bot_cpu_s: float = 0.0  # CPU the bot process used from just before the timed part until the end of it
    browsers_cpu_s: float = 0.0  # CPU of the browsers' process over its whole life (it shares the 2 cores)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def measure(workload: str, loaded: bool, template: Path, args: argparse.Namespace, seed: int) -> Run:
    with tempfile.TemporaryDirectory(prefix="bench-dashboard-") as tmp:
        workdir = Path(tmp)
        shutil.copy(template / "bench.db", workdir / "bench.db")
        flood = workload == "broadcast"
        async with FakeTelegram(flood_control=flood) as fake:
            port = free_port()
            env = {
                **broadcast.bot_env(fake, workdir),
                "FLOOD_PACING": "on" if flood else "off",
                "DASHBOARD_URL": f"http://127.0.0.1:{port}",
                "DASHBOARD_PORT": str(port),
            }
            groups = json.loads((template / "groups.json").read_text())
            groups = [broadcast.Group(**g) for g in groups]
            broadcast.prepare_fake(fake, groups)
            sumber = next(g for g in groups if g.code == forms.KECAMATAN)
            users = list(range(forms.FIRST_USER_ID, forms.FIRST_USER_ID + args.people))
            for user_id in users:
                fake.add_user(user_id, f"Warga {user_id}")
                fake.set_member_status(sumber.chat_id, user_id, "member")
            bot = BotProcess("bot", env, workdir)
            load = Load(f"http://127.0.0.1:{port}", [g.code for g in groups], args.browsers, args.think)
            pages: dict[str, list[float]] = {}
            try:
                await bot.start(fake)
                assert bot.proc is not None
                if workload == "broadcast":
                    control, data = await broadcast.compose(fake, bot)
                    copies = broadcast.Copies(fake, [g.chat_id for g in groups])
                    fake.fail_randomly(broadcast.FAILURE_RATE, seed=seed)
                    if loaded:
                        await load.start()
                        await asyncio.sleep(2 * args.think)  # every browser is clicking before Kirim
                    started, cpu = time.perf_counter(), forms.cpu_seconds(bot.proc.pid)
                    fake.press_button(ADMIN_ID, control, data)
                    await bot.until(fake, copies.everywhere(), within=120)
                    assert copies.last_new_at is not None
                    seconds = copies.last_new_at - started
                    figure = seconds / (len(groups) / broadcast.OVERALL_PER_SECOND)
                else:
                    await admin_has_started(fake, bot)
                    if loaded:
                        await load.start()
                        await asyncio.sleep(2 * args.think)
                    cpu = forms.cpu_seconds(bot.proc.pid)
                    run = await forms.timed(fake, bot, users, forms.LAPORAN_WITH_PLAN)
                    seconds, figure = run.seconds, run.answers_per_s
                bot_cpu = forms.cpu_seconds(bot.proc.pid) - cpu
                browsers_cpu = 0.0
                if loaded:
                    assert load.proc is not None
                    browsers_cpu = forms.cpu_seconds(load.proc.pid)
                    pages = await load.stop()
            finally:
                if load.proc is not None and load.proc.returncode is None:
                    load.proc.kill()
                await bot.stop()
            if fake.violations:
                print(f"  Bot API violations: {fake.violations[:5]}", file=sys.stderr)
        # The year of data holds other laporan; these are the ones with exactly the answers the people gave.
        stored = forms.count_reports(workdir)[1] if workload == "forms" else args.people
        if stored != args.people:
            raise RuntimeError(f"forms: {stored} of {args.people} laporan stored as given")
    return Run(workload, loaded, figure, seconds, pages, bot_cpu, browsers_cpu)


async def run_all(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-dashboard-data-") as tmp:
        template = Path(tmp)
        env = {"BOT_TOKEN": "1:x", "DATABASE_URL": f"sqlite:///{tmp}/bench.db", "ADMIN_IDS": str(ADMIN_ID)}
        groups = broadcast.prepare_database(env, template, broadcast.REAL_KECAMATAN)
        year_of_data(template, groups)
        (template / "groups.json").write_text(json.dumps([g.__dict__ for g in groups]))
        runs: list[Run] = []
        for i in range(args.repeat):
            for workload in ("broadcast", "forms"):
                for loaded in (False, True):
                    run = await measure(workload, loaded, template, args, seed=3 + i)
                    runs.append(run)
                    loads = sum(len(run.pages.get(page, [])) for page in PAGES)
                    print(
                        f"#{i + 1} {workload} {'loaded' if loaded else 'quiet '}: {run.figure:.3f} "
                        f"({run.seconds:.2f} s){f', {loads} page loads' if loaded else ''}",
                        file=sys.stderr,
                    )
    return summarise(runs)


def summarise(runs: list[Run]) -> dict[str, Any]:
    results: dict[str, Any] = {"runs": [r.__dict__ for r in runs], "workloads": {}, "pages": {}}
    for workload in ("broadcast", "forms"):
        quiet = [r.figure for r in runs if r.workload == workload and not r.loaded]
        loaded = [r.figure for r in runs if r.workload == workload and r.loaded]
        # Paired: each loaded run against the quiet run just before it, so drift on a shared machine cancels out.
        # A cost is positive when the load made the figure worse: longer broadcasts, fewer answers per second.
        costs = [(lo / q - 1) if workload == "broadcast" else (1 - lo / q) for q, lo in zip(quiet, loaded, strict=True)]
        cost = statistics.median(costs)
        results["workloads"][workload] = {
            "quiet": statistics.median(quiet), "loaded": statistics.median(loaded), "costs": costs, "cost": cost,
            "met": cost <= TARGET,
        }  # fmt: skip
    errors = 0
    for page in PAGES:
        times = sorted(t for r in runs for t in r.pages.get(page, []))
        server = sorted(t for r in runs for t in r.pages.get(f"{page}:server", []))
        if times:
            results["pages"][page] = {
                "loads": len(times),
                "server_p50_ms": 1000 * statistics.median(server),
                "server_p95_ms": 1000 * server[int(0.95 * (len(server) - 1))],
                "p50_ms": 1000 * statistics.median(times),
                "p95_ms": 1000 * times[int(0.95 * (len(times) - 1))],
            }
    errors = sum(int(r.pages.get("errors", [0])[0]) for r in runs if r.pages)
    results["page_errors"] = errors
    # What a page costs the bot process: its extra CPU under load, per page served during the timed part.
    extra = [
        (lo.bot_cpu_s - q.bot_cpu_s) / max(1, sum(len(lo.pages.get(p, [])) for p in PAGES))
        for q, lo in zip(runs[::2], runs[1::2], strict=True)
        if q.workload == "forms"
    ]
    results["bot_cpu_ms_per_page"] = 1000 * statistics.median(extra) if extra else None
    results["browsers_cpu_s"] = statistics.median(r.browsers_cpu_s for r in runs if r.loaded)
    return results


def table(results: dict[str, Any], args: argparse.Namespace) -> str:
    head = f"{'page':<16} {'loads':>6} {'server p50':>11} {'server p95':>11} {'client p50':>11} {'client p95':>11}"
    lines = [head + "  (ms)", "-" * len(head)]
    for page, f in results["pages"].items():
        lines.append(
            f"{page:<16} {f['loads']:>6} {f['server_p50_ms']:>11.1f} {f['server_p95_ms']:>11.1f} "
            f"{f['p50_ms']:>11.1f} {f['p95_ms']:>11.1f}"
        )
    lines.append(f"non-200 answers: {results['page_errors']}")
    if results["bot_cpu_ms_per_page"] is not None:
        lines.append(f"bot CPU per page (forms runs, loaded minus quiet): {results['bot_cpu_ms_per_page']:.1f} ms")
    lines.append(f"CPU of the browsers' own process per loaded run (same 2 cores): {results['browsers_cpu_s']:.1f} s")
    lines.append("")
    lines.append(f"{'workload':<34} {'quiet':>8} {'loaded':>8} {'cost':>7}  target <= {TARGET:.0%}")
    names = {"broadcast": "broadcast 40 groups (s / floor)", "forms": f"forms {args.people} people (answers/s)"}
    for workload, w in results["workloads"].items():
        lines.append(
            f"{names[workload]:<34} {w['quiet']:>8.3f} {w['loaded']:>8.3f} {w['cost']:>7.1%}  "
            f"{'met' if w['met'] else 'MISSED'}"
        )
    for workload, w in results["workloads"].items():
        lines.append(f"{workload} cost per repeat: {', '.join(f'{c:.1%}' for c in w['costs'])}")
    lines.append(
        f"({args.browsers} browsers, {args.think:g} s think time, {args.repeat} repeats; figures are medians, "
        "the cost the median of the paired costs)"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--browsers-process"]:
        base, codes, count, think = argv[1], argv[2].split(","), int(argv[3]), float(argv[4])
        print(json.dumps(asyncio.run(browsers(base, codes, count, think))))
        return 0
    parser = argparse.ArgumentParser(prog="python -m bench.dashboard", description=__doc__.splitlines()[0])
    parser.add_argument("--browsers", type=int, help="browsers loading pages at once (default 20)")
    parser.add_argument("--think", type=float, help="seconds each browser waits between pages (default 1.0)")
    parser.add_argument("--repeat", type=int, help="measurements per workload and condition (default 5)")
    parser.add_argument("--people", type=int, help="people filling the laporan at once (default 50, as bench.forms)")
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: 2 browsers, 0.2 s think, 1 repeat, 2 people (unless given)"
    )
    args = parser.parse_args(argv)
    quick = {"browsers": 2, "think": 0.2, "repeat": 1, "people": 2}
    full = {"browsers": 20, "think": 1.0, "repeat": 5, "people": 50}
    for name, value in (quick if args.quick else full).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    results = asyncio.run(run_all(args))
    print(table(results, args))
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / "dashboard.json"
    document = {
        "benchmark": "dashboard",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "ptb": telegram.__version__},
        "params": vars(args),
        "results": results,
    }
    path.write_text(json.dumps(document, indent=2) + "\n")
    print(f"Written {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
