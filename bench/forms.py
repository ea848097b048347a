"""Forms benchmark (issue #4): 50 people fill the laporan form at once, against a bare python-telegram-bot floor.

Run from the project root:  .venv/bin/python -m bench.forms [--people 50] [--repeat 3] [--quick]

Each measurement starts a fresh fake Telegram server (flood control off) and a fresh bot process. For the real
bot the database is prepared before it starts (`python -m bot migrate`, then one active kecamatan group, Sumber,
written straight into SQLite) and the bot runs with FLOOD_PACING=off. Every person then opens the form with
`/start laporan-320915` (what the group's "Isi lewat chat pribadi" button sends) and answers the 12 questions,
typing or pressing buttons, then presses Kirim: 16 answers each, each sent only once the bot's replies to the
previous one have arrived (counted, not read), everybody at the same time; afterwards the reports stored in the
bot's database are checked against what was given. The bare bot (bench/bare_bot.py) gets as many text messages
with the same pattern and answers each once. The peer (bench/ptb_forms.py, issue 11) is the laporan as a
python-telegram-bot user writes it, ConversationHandler + PicklePersistence, following the same script.
See bench/README.md, section "Forms".
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import telegram

from bench.process import RESULTS_DIR, BotProcess
from bench.updates import admin_has_started
from bot import texts, wilayah
from bot.clock import iso
from bot.program_kerja.lists import BIDANG, PPKS, SUMBER_DANA
from tests.support.fake_telegram import FakeTelegram
from tests.support.world import snapshot

KINDS = ("bare", "peer", "bot")
# Issue 11: at least 1.0 x the answers/s of the peer a python-telegram-bot user would write (bench/ptb_forms.py).
TARGET_PEER = 1.0
ADMIN_ID = 1001  # the one Dinsos admin (bench.updates.admin_has_started uses the same id)
GROUP_ID = -600_001


def _region_scene() -> tuple[str, str, str]:
    """(kecamatan code, its name, a village typed) of the region measured: WILAYAH_KODE from the environment, which
    the bot's processes inherit (issue 19). Kabupaten Cirebon: Sumber and Kaliwadas, as always; another region:
    its kecamatan with the most villages, and the first of them."""
    code = os.environ.get("WILAYAH_KODE", "") or wilayah.DEFAULT_CODE
    if wilayah.canonical_code(code) == wilayah.DEFAULT_CODE:
        return "32.09.15", "Sumber", "kaliwadas"
    biggest = max(wilayah.load(code).kecamatan, key=lambda k: len(k.villages))
    return biggest.code, biggest.name, biggest.villages[0].name.lower()


KECAMATAN, KECAMATAN_NAME, VILLAGE = _region_scene()
GROUP_TITLE = f"Karang Taruna Kec. {KECAMATAN_NAME}"
FIRST_USER_ID = 300_001
# Issue #4: at least 0.8 x the bare bot's answers/s, at most 1.5 x its peak RSS.
TARGET_THROUGHPUT = 0.8
TARGET_RSS = 1.5
# Bot API calls that put a reply in front of the person (a new message or a changed keyboard).
REPLY_METHODS = frozenset({"sendMessage", "editMessageText", "editMessageReplyMarkup"})

Message = dict[str, Any]


# ------------------------------------------------------------------ the script one person follows


@dataclass(frozen=True)
class Step:
    """One answer: typed text or a button pressed on the message that carries the current keyboard."""

    action: str  # "text" or "press"
    value: str  # the text, or the button's label
    # The bot's messages and edits in the person's chat that answer it. They are counted, never read, so a
    # reworded question cannot stall the benchmark; what was stored is checked in the database afterwards.
    replies: int = 1


def choice(field: str, value: str) -> str:
    """The button label of one of the laporan's choices (the bundled workbook's lists, bot/program_kerja/lists.py)."""
    listed = {"bidang": BIDANG, "ppks": PPKS, "sumber_dana": SUMBER_DANA}[field]
    return next(c.label for c in listed if c.value == value)


LAPORAN = (
    Step("text", f"/start laporan-{KECAMATAN.replace('.', '')}", replies=2),  # the form's title, then question 1
    Step("text", "Pelatihan sablon remaja"),
    Step("press", choice("bidang", "b01")),
    Step("text", "kemarin"),
    Step("text", VILLAGE),
    Step("text", "35 orang"),
    Step("press", choice("ppks", "PPKS-02")),  # a tick: the keyboard comes back with it
    Step("press", choice("ppks", "PPKS-08")),
    Step("press", texts.BUTTON_DONE),
    Step("text", "12"),
    Step("press", choice("sumber_dana", "swadaya")),
    Step("press", texts.BUTTON_SKIP),
    Step("text", "Remaja mampu menyablon kaos sendiri"),
    Step("text", "Peralatan kurang"),
    Step("press", texts.BUTTON_DONE),  # no photos: the summary
    Step("press", texts.BUTTON_SUBMIT, replies=2),  # the summary's buttons removed, then the confirmation
)
# Where the kecamatan has an approved program kerja for the year (bench.dashboard's year of data), the laporan asks
# which program the activity belongs to right after its date: the script answers "Di luar program kerja".
LAPORAN_WITH_PLAN = (*LAPORAN[:4], Step("press", "Di luar program kerja"), *LAPORAN[4:])
# bench/ptb_forms.py sends no title before question 1 and edits the summary into its thanks.
PEER = tuple(replace(step, replies=1) for step in LAPORAN)
# The floor gets as many text messages, one per answer, and replies "OK" to each.
BARE = tuple(Step("text", step.value) for step in LAPORAN)


def labels(message: Message) -> dict[str, str]:
    """Button label -> callback_data of a message's inline keyboard."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return {b["text"]: b.get("callback_data", "") for row in rows for b in row}


# ------------------------------------------------------------------ waiting for replies


class Replies:
    """Hands each person the bot's replies to their answer; reads only the requests recorded since the last look."""

    def __init__(self, fake: FakeTelegram, total: int) -> None:
        self._fake = fake
        self._seen = len(fake.requests)
        self._waiting: dict[int, tuple[int, list[Message], asyncio.Future[list[Message]]]] = {}
        self._missing = total  # answers still to be replied to, over everybody
        self.last_at = 0.0  # perf_counter() when the latest awaited reply was seen

    def expect(self, user_id: int, count: int) -> asyncio.Future[list[Message]]:
        """Register before acting, so a reply cannot slip past between the action and the wait."""
        future: asyncio.Future[list[Message]] = asyncio.get_running_loop().create_future()
        self._waiting[user_id] = (count, [], future)
        return future

    def look(self) -> bool:
        """Called by the fake after every request it serves; True once every awaited reply has come."""
        for record in self._fake.requests[self._seen :]:
            if record.method not in REPLY_METHODS or not record.ok or not isinstance(record.result, dict):
                continue
            chat_id = record.result.get("chat", {}).get("id")
            waiting = self._waiting.get(chat_id)
            if waiting is None:
                continue
            count, got, future = waiting
            got.append(snapshot(record.result))
            if len(got) == count:
                del self._waiting[chat_id]
                self._missing -= 1
                self.last_at = time.perf_counter()
                future.set_result(got)
        self._seen = len(self._fake.requests)
        return self._missing == 0


async def person(fake: FakeTelegram, replies: Replies, user_id: int, steps: tuple[Step, ...]) -> list[float]:
    """One person answering step by step, each after the replies to the previous one; returns the latencies."""
    latencies = []
    keyboard: Message | None = None  # the bot message whose buttons are on screen
    for step in steps:
        reply = replies.expect(user_id, step.replies)
        sent = time.perf_counter()
        if step.action == "text":
            if fake.send_text(user_id, user_id, step.value) is None:
                raise RuntimeError(f"the fake did not deliver {step.value!r} from {user_id}")
        else:
            data = labels(keyboard or {}).get(step.value)
            if keyboard is None or data is None:
                raise RuntimeError(f"user {user_id}: no button {step.value!r} on {keyboard}")
            fake.press_button(user_id, keyboard, data)
        messages = await reply
        latencies.append(time.perf_counter() - sent)
        keyboard = next((m for m in reversed(messages) if labels(m)), keyboard)
    return latencies


def check_replies(fake: FakeTelegram, users: list[int], steps: tuple[Step, ...], since: int) -> None:
    """Every person's chat got exactly the replies the script counts on; else the bot's conversation has changed
    shape (a message more or less for some answer) and the script's `replies` need updating."""
    wanted = sum(step.replies for step in steps)
    got = Counter(
        r.result.get("chat", {}).get("id")
        for r in fake.requests[since:]
        if r.method in REPLY_METHODS and r.ok and isinstance(r.result, dict)
    )
    wrong = {user_id: got[user_id] for user_id in users if got[user_id] != wanted}
    if wrong:
        raise RuntimeError(f"the script counts on {wanted} replies per person, the bot sent {wrong}")


# ------------------------------------------------------------------ one measurement


@dataclass
class Run:
    """One measurement: answers handled, wall time, per-answer latency, peak RSS, the bot's Bot API calls."""

    people: int
    answers: int
    seconds: float
    latency_ms_median: float
    latency_ms_p95: float
    rss_mib: float = 0.0
    bot_cpu_s: float = 0.0  # CPU time of the bot process during the timed part (user + system)
    bench_cpu_s: float = 0.0  # CPU time of this process (fake server and the people) during the timed part
    calls: dict[str, int] = field(default_factory=dict)  # Bot API calls during the timed part (no getUpdates)
    get_updates: int = 0
    reports: int | None = None  # laporan rows in the bot's database afterwards
    complete: int | None = None  # of those, the ones whose stored answers are exactly what was typed and pressed
    delivered: dict[str, int] = field(default_factory=dict)  # owed messages sent after Kirim (group, admin)

    @property
    def answers_per_s(self) -> float:
        return self.answers / self.seconds


def prepare_database(env: dict[str, str], workdir: Path) -> None:
    """`python -m bot migrate`, then the Sumber group as an active registration, written before the bot starts."""
    subprocess.run(
        [sys.executable, "-m", "bot", "migrate"], cwd=workdir, env={**os.environ, **env}, check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    now = iso(datetime.now(UTC))
    db = sqlite3.connect(workdir / "bench.db")
    try:
        with db:
            db.execute(
                "INSERT INTO chat (chat_id, type, title, bot_status, updated_at) VALUES (?, 'group', ?, 'member', ?)",
                (GROUP_ID, GROUP_TITLE, now),
            )
            db.execute(
                """INSERT INTO registration (kecamatan_code, chat_id, chat_title, status, requested_by_id,
                       requested_by_name, requested_at, decided_by_id, decided_by_name, decided_at)
                   VALUES (?, ?, ?, 'active', ?, 'Ketua Sumber', ?, ?, 'Siti', ?)""",
                (KECAMATAN, GROUP_ID, GROUP_TITLE, FIRST_USER_ID, now, ADMIN_ID, now),
            )
    finally:
        db.close()


def prepare_fake(fake: FakeTelegram, people: int) -> list[int]:
    """The people, all members of the Sumber group (the first its creator), the bot in it without updates."""
    users = list(range(FIRST_USER_ID, FIRST_USER_ID + people))
    for user_id in users:
        fake.add_user(user_id, f"Warga {user_id}")
    members = {user_id: "member" for user_id in users}
    members[users[0]] = "creator"
    fake.add_group(GROUP_ID, GROUP_TITLE, members=members)
    fake.world.chat(GROUP_ID).bot_status = "member"
    return users


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (/proc/<pid>/stat, Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def count_reports(workdir: Path) -> tuple[int, int]:
    """(laporan rows, rows whose stored answers are the ones the script gave) in the bot's database."""
    db = sqlite3.connect(workdir / "bench.db")
    try:
        reports = db.execute("SELECT count(*) FROM report WHERE form = 'laporan'").fetchone()[0]
        complete = db.execute(
            """SELECT count(*) FROM report r JOIN report_version v ON v.report_id = r.id AND v.version = r.version
               WHERE r.form = 'laporan'
                 AND json_extract(v.answers, '$.nama_kegiatan') = 'Pelatihan sablon remaja'
                 AND json_extract(v.answers, '$.jumlah_peserta') = 35
                 AND json_array_length(v.answers, '$.ppks') = 2
                 AND json_extract(v.answers, '$.jumlah_penerima') = 12
                 AND json_extract(v.answers, '$.sumber_dana') = 'swadaya'
                 AND json_extract(v.answers, '$.kendala') = 'Peralatan kurang'"""
        ).fetchone()[0]
        return reports, complete
    finally:
        db.close()


def outbox_rows(workdir: Path) -> tuple[int, dict[str, int]]:
    """(outbox rows still pending, rows sent to the group and to the admin) in the bot's database."""
    db = sqlite3.connect(workdir / "bench.db")
    try:
        pending = db.execute("SELECT count(*) FROM outbox WHERE status = 'pending'").fetchone()[0]
        sent = dict(db.execute("SELECT chat_id, count(*) FROM outbox WHERE status = 'sent' GROUP BY chat_id"))
    finally:
        db.close()
    return pending, {"group": sent.get(GROUP_ID, 0), "admin": sent.get(ADMIN_ID, 0)}


async def owed_delivered(fake: FakeTelegram, bot: BotProcess, workdir: Path) -> dict[str, int]:
    """Wait (untimed) until the outbox has nothing pending: each report's note to the group and copy to the admin
    were written with the report, so they are all sent (or failed) then."""
    await bot.until_stored(fake, lambda: outbox_rows(workdir)[0] == 0, within=60)
    return outbox_rows(workdir)[1]


async def timed(fake: FakeTelegram, bot: BotProcess, users: list[int], steps: tuple[Step, ...]) -> Run:
    """Everybody starts at once; the clock stops when the last person got the reply to their last answer."""
    first = len(fake.requests)
    replies = Replies(fake, len(users) * len(steps))
    assert bot.proc is not None
    bot_cpu, bench_cpu = cpu_seconds(bot.proc.pid), time.process_time()
    started = time.perf_counter()
    everyone = asyncio.gather(*(person(fake, replies, user_id, steps) for user_id in users))
    # Generous: a stall fails with the fake's summary instead of showing up as a slow figure.
    watching = asyncio.ensure_future(bot.until(fake, replies.look, within=60 + len(users) * len(steps) / 5))
    await asyncio.wait({everyone, watching}, return_when=asyncio.FIRST_EXCEPTION)
    for future in (watching, everyone):
        if future.done() and future.exception() is not None:
            everyone.cancel()
            watching.cancel()
            raise future.exception()  # type: ignore[misc]
    seconds = replies.last_at - started
    bot_cpu, bench_cpu = cpu_seconds(bot.proc.pid) - bot_cpu, time.process_time() - bench_cpu
    check_replies(fake, users, steps, first)
    latencies = sorted(x for per_person in everyone.result() for x in per_person)
    calls = Counter(r.method for r in fake.requests[first:])
    get_updates = calls.pop("getUpdates", 0)
    return Run(
        people=len(users),
        answers=len(users) * len(steps),
        seconds=seconds,
        latency_ms_median=1000 * statistics.median(latencies),
        latency_ms_p95=1000 * latencies[int(0.95 * (len(latencies) - 1))],
        bot_cpu_s=bot_cpu,
        bench_cpu_s=bench_cpu,
        calls=dict(calls.most_common()),
        get_updates=get_updates,
    )


def environment(fake: FakeTelegram, workdir: Path) -> dict[str, str]:
    """What every process of a measurement runs with: the fake's address, one admin, the scratch database."""
    return {
        "BOT_TOKEN": fake.token,
        "TELEGRAM_API_URL": fake.api_url,
        "ADMIN_IDS": str(ADMIN_ID),
        "DATABASE_URL": f"sqlite:///{workdir}/bench.db",
        "LOG_LEVEL": "WARNING",
        "FLOOD_PACING": "off",
        "PEER_PICKLE": f"{workdir}/peer.pickle",
    }


async def measure(kind: str, people: int) -> Run:
    """One fresh fake, one fresh bot process (and database), everybody fills the form once."""
    with tempfile.TemporaryDirectory(prefix="bench-forms-") as tmp:
        workdir = Path(tmp)
        async with FakeTelegram(flood_control=False) as fake:
            env = environment(fake, workdir)
            if kind == "bot":
                prepare_database(env, workdir)
            users = prepare_fake(fake, people)
            bot = BotProcess(kind, env, workdir)
            try:
                await bot.start(fake)
                if kind == "bot":
                    # The admin pressed Start earlier (the report copies go to them); not timed.
                    await admin_has_started(fake, bot)
                steps = {"bare": BARE, "peer": PEER, "bot": LAPORAN}[kind]
                run = await timed(fake, bot, users, steps)
                if kind == "bot":
                    run.delivered = await owed_delivered(fake, bot, workdir)
                run.rss_mib = bot.peak_rss_mib()
            finally:
                await bot.stop()
            if fake.violations:
                print(f"  {kind}: Bot API violations: {fake.violations[:5]}", file=sys.stderr)
        if kind == "bot":
            run.reports, run.complete = count_reports(workdir)
    return run


# ------------------------------------------------------------------ repeats, table, JSON


def summarise(runs: list[Run]) -> dict[str, Any]:
    """Medians over the repeats, plus the raw runs."""
    seconds = statistics.median(r.seconds for r in runs)
    return {
        "people": runs[0].people,
        "answers": runs[0].answers,
        "seconds": seconds,
        "answers_per_s": runs[0].answers / seconds,
        "latency_ms_median": statistics.median(r.latency_ms_median for r in runs),
        "latency_ms_p95": statistics.median(r.latency_ms_p95 for r in runs),
        "rss_mib": statistics.median(r.rss_mib for r in runs),
        "bot_cpu_s": statistics.median(r.bot_cpu_s for r in runs),
        "bench_cpu_s": statistics.median(r.bench_cpu_s for r in runs),
        "runs": [asdict(r) for r in runs],
    }


async def run_all(people: int, repeat: int) -> dict[str, Any]:
    """bare and bot alternating, repeat times, so drift on the machine hits both alike."""
    runs: dict[str, list[Run]] = {kind: [] for kind in KINDS}
    for i in range(repeat):
        for kind in KINDS:
            run = await measure(kind, people)
            runs[kind].append(run)
            extra = f", {run.reports} reports stored ({run.complete} complete)" if run.reports is not None else ""
            print(
                f"#{i + 1} {kind}: {run.answers} answers in {run.seconds:.2f} s ({run.answers_per_s:.1f}/s), "
                f"{run.rss_mib:.1f} MiB{extra}",
                file=sys.stderr,
            )
    results: dict[str, Any] = {kind: summarise(runs[kind]) for kind in KINDS}
    bare, bot = results["bare"], results["bot"]
    results["ratio"] = {
        "throughput": bot["answers_per_s"] / bare["answers_per_s"],
        "rss": bot["rss_mib"] / bare["rss_mib"],
        "peer_throughput": bot["answers_per_s"] / results["peer"]["answers_per_s"],
    }
    results["target"] = {"throughput": TARGET_THROUGHPUT, "rss": TARGET_RSS, "peer_throughput": TARGET_PEER}
    results["met"] = {
        "throughput": results["ratio"]["throughput"] >= TARGET_THROUGHPUT,
        "rss": results["ratio"]["rss"] <= TARGET_RSS,
        "peer_throughput": results["ratio"]["peer_throughput"] >= TARGET_PEER,
    }
    return results


def table(results: dict[str, Any]) -> str:
    """The medians as a fixed-width table, the ratios against the targets, then what the bot did per answer."""
    head = f"{'bot':<5} {'answers':>7} {'s':>7} {'answers/s':>9} {'p50 ms':>7} {'p95 ms':>7} {'RSS MiB':>7} "
    head += f"{'bot CPU s':>9} {'bench CPU s':>11}"
    lines = [head, "-" * len(head)]
    for kind in KINDS:
        k = results[kind]
        lines.append(
            f"{kind:<5} {k['answers']:>7} {k['seconds']:>7.2f} {k['answers_per_s']:>9.1f} "
            f"{k['latency_ms_median']:>7.1f} {k['latency_ms_p95']:>7.1f} {k['rss_mib']:>7.1f} "
            f"{k['bot_cpu_s']:>9.2f} {k['bench_cpu_s']:>11.2f}"
        )
    ratio, met = results["ratio"], results["met"]
    lines.append("")
    lines.append(
        f"bot/bare answers/s: {ratio['throughput']:.3f} (target >= {TARGET_THROUGHPUT}: "
        f"{'met' if met['throughput'] else 'MISSED'})"
    )
    lines.append(
        f"bot/bare RSS:       {ratio['rss']:.2f} (target <= {TARGET_RSS}: {'met' if met['rss'] else 'MISSED'})"
    )
    lines.append(
        f"bot/peer answers/s: {ratio['peer_throughput']:.3f} (target >= {TARGET_PEER}: "
        f"{'met' if met['peer_throughput'] else 'MISSED'}; the peer's answers are durable only every 60 s)"
    )
    bot_runs = results["bot"]["runs"]
    last = bot_runs[-1]
    per_answer = sum(last["calls"].values()) / last["answers"]
    calls = ", ".join(f"{method} {n}" for method, n in last["calls"].items())
    lines.append(f"bot Bot API calls (last run, timed part): {calls} = {per_answer:.2f} per answer")
    reports = [f"{r['reports']} ({r['complete']} complete)" for r in bot_runs]
    delivered = [r["delivered"] for r in bot_runs]
    lines.append(f"reports stored per run: {', '.join(reports)} of {last['people']}")
    lines.append(f"owed messages sent after Kirim per run: {delivered}")
    return "\n".join(lines)


def write_json(params: dict[str, int], results: dict[str, Any]) -> Path:
    """bench/results/forms.json with the run's context (the folder is gitignored)."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / "forms.json"
    document = {
        "benchmark": "forms",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "ptb": telegram.__version__},
        "params": params,
        "statistic": "median",
        "steps": [{"action": s.action, "value": s.value} for s in LAPORAN],
        "results": results,
    }
    path.write_text(json.dumps(document, indent=2) + "\n")
    return path


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, measure, print the table and write the JSON; status 1 if a report is missing."""
    parser = argparse.ArgumentParser(prog="python -m bench.forms", description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, help="people filling the form at once (default 50)")
    parser.add_argument("--repeat", type=int, help="measurements per bot (default 3)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 2 people, 1 repeat (unless given)")
    args = parser.parse_args(argv)
    args.people = (2 if args.quick else 50) if args.people is None else args.people
    args.repeat = (1 if args.quick else 3) if args.repeat is None else args.repeat
    if args.people < 1 or args.repeat < 1:
        parser.error("--people and --repeat must be at least 1")
    results = asyncio.run(run_all(args.people, args.repeat))
    print(table(results))
    path = write_json({"people": args.people, "repeat": args.repeat}, results)
    print(f"Written {path}")
    complete = all(r["reports"] == r["complete"] == args.people for r in results["bot"]["runs"])
    return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main())
