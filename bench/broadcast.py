"""Broadcast benchmark (issue #3): one announcement to N groups under Telegram's flood limits, with 502s.

Run from the project root:  .venv/bin/python -m bench.broadcast [--sizes 40,1000] [--kill-at 1000] [--seed 3] [--quick]

Each case starts a fresh fake Telegram server with flood control on (30 sends/s sliding window overall, 20/min per
group; a send over either limit is answered 429 and not delivered) and 10% of sends answered 502 Bad Gateway
(seeded). Our bot is the real one, started as a subprocess exactly as a user starts it (`python -m bot`); the admin
composes with /pengumuman and presses Kirim; the clock runs from the press until every group has its copy. The floor
is N/30 s: no bot can deliver N messages faster under a 30/s limit. The same broadcast is then made by a bare
python-telegram-bot script with its own AIORateLimiter at default settings (bench/ptb_broadcast.py).

The kill case SIGKILLs our bot when about N/2 groups have their copy and restarts it on the same database.

Groups: only 40 kecamatan exist and each holds one active group, so the database is prepared before the bot
starts: for N <= 40 the first N real kecamatan, for N > 40 N synthetic kecamatan ('99.99.0001', 'Bench 0001', ...)
that exist only to exercise the delivery machinery at scale. Each gets an active registration and a chat row; in
the fake the bot is put in each group without producing updates. See bench/README.md, section "Broadcast".
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import telegram

from bench.process import RESULTS_DIR, BotProcess
from bot.clock import iso
from bot.outbox_sender import OutboxSender
from storage.announcements import KIND as ANNOUNCEMENT_KIND
from tests.support.fake_telegram import SEND_METHODS, FakeTelegram
from tests.support.world import snapshot

PTB_SCRIPT = Path(__file__).with_name("ptb_broadcast.py")

ADMIN_ID = 1001
FIRST_GROUP_ID = -700_001
REAL_KECAMATAN = 40
OVERALL_PER_SECOND = 30  # Telegram's limit as the fake enforces it: the floor is N / 30 s
FAILURE_RATE = 0.10  # share of sends answered 502
TEXT = (
    "Undangan rapat koordinasi Karang Taruna se-Kabupaten Cirebon, Senin pukul 09.00 di aula Dinas Sosial. "
    "Mohon ketua atau wakil hadir."
)
# Our bot's target (issue #3).
TARGET_RATIO = 1.05
IN_FLIGHT = OutboxSender.__dataclass_fields__["concurrency"].default  # the sender's concurrency: 8


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    chat_id: int


@dataclass
class Result:
    """One broadcast: who sent it, to how many groups, how long, and what the groups ended up with."""

    who: str  # "ours", "ptb", "ours-kill"
    groups: int
    floor_s: float
    seconds: float  # from Kirim (or the go signal) until the last group got its first copy
    first_send_s: float  # from Kirim until the first send reached the fake (reaction time)
    sends: int  # send calls to the groups, whatever the answer
    served_502: int
    received_429: int
    lost: int  # groups without a copy
    duplicates: int  # groups with more than one copy
    extra_copies: int  # copies beyond one per group
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.seconds / self.floor_s

    def meets_target(self) -> bool:
        return self.ratio <= TARGET_RATIO and self.received_429 == 0 and self.lost == 0 and self.duplicates == 0


class Copies:
    """Which groups have the announcement, counted from the requests the fake answered (read incrementally)."""

    def __init__(self, fake: FakeTelegram, chat_ids: list[int]) -> None:
        self.fake = fake
        self.count = dict.fromkeys(chat_ids, 0)
        self.reached = 0
        self.sends = 0
        self.first_send_at: float | None = None
        self.last_new_at: float | None = None
        self._seen = len(fake.requests)

    def update(self) -> None:
        """Read the requests recorded since the last call (the fake calls predicates after every request)."""
        now = time.perf_counter()
        for record in self.fake.requests[self._seen :]:
            chat_id = record.params.get("chat_id")
            if record.method not in SEND_METHODS or chat_id not in self.count:
                continue
            self.sends += 1
            if self.first_send_at is None:
                self.first_send_at = now
            if record.ok and is_copy(record.result):
                if self.count[chat_id] == 0:
                    self.reached += 1
                    self.last_new_at = now
                self.count[chat_id] += 1
        self._seen = len(self.fake.requests)

    def at_least(self, wanted: int) -> Callable[[], bool]:
        def check() -> bool:
            self.update()
            return self.reached >= wanted

        return check

    def everywhere(self) -> Callable[[], bool]:
        return self.at_least(len(self.count))


def is_copy(message: Any) -> bool:
    """A copy carries the benchmark's own text, whatever the bot may put around it."""
    return isinstance(message, dict) and TEXT in message.get("text", "")


def outcome(fake: FakeTelegram, groups: list[Group]) -> tuple[int, int, int]:
    """(lost, duplicates, extra copies) from what the groups hold in the fake at the end."""
    held = [sum(is_copy(m) for m in fake.world.bot_messages(g.chat_id)) for g in groups]
    return sum(c == 0 for c in held), sum(c > 1 for c in held), sum(max(0, c - 1) for c in held)


# ------------------------------------------------------------------ setting up


def bot_env(fake: FakeTelegram, workdir: Path) -> dict[str, str]:
    return {
        "BOT_TOKEN": fake.token,
        "TELEGRAM_API_URL": fake.api_url,
        "ADMIN_IDS": str(ADMIN_ID),
        "DATABASE_URL": f"sqlite:///{workdir}/bench.db",
        "LOG_LEVEL": "WARNING",
        "FLOOD_PACING": "on",  # the default, named so an exported FLOOD_PACING=off cannot leak in
    }


def prepare_database(env: dict[str, str], workdir: Path, n: int) -> list[Group]:
    """`python -m bot migrate`, then N active groups written straight into SQLite (before the bot starts).

    N <= 40: the first N real kecamatan. N > 40: N synthetic kecamatan, there only to exercise delivery at scale.
    """
    subprocess.run(
        [sys.executable, "-m", "bot", "migrate"], cwd=workdir, env={**os.environ, **env}, check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    now = iso(datetime.now(UTC))
    db = sqlite3.connect(workdir / "bench.db")
    try:
        with db:
            if n <= REAL_KECAMATAN:
                kecamatan = db.execute("SELECT code, name FROM kecamatan ORDER BY code LIMIT ?", (n,)).fetchall()
                if len(kecamatan) < n:
                    raise RuntimeError(f"only {len(kecamatan)} kecamatan after migrate")
            else:
                kecamatan = [(f"99.99.{i:04d}", f"Bench {i:04d}") for i in range(1, n + 1)]
                db.executemany("INSERT INTO kecamatan (code, name) VALUES (?, ?)", kecamatan)
            groups = [Group(code, name, FIRST_GROUP_ID - i) for i, (code, name) in enumerate(kecamatan)]
            db.executemany(
                "INSERT INTO chat (chat_id, type, title, bot_status, updated_at) VALUES (?, 'group', ?, 'member', ?)",
                [(g.chat_id, title(g), now) for g in groups],
            )
            db.executemany(
                """INSERT INTO registration (kecamatan_code, chat_id, chat_title, status, requested_by_id,
                       requested_by_name, requested_at, decided_by_id, decided_by_name, decided_at)
                   VALUES (?, ?, ?, 'active', ?, ?, ?, ?, 'Siti', ?)""",
                [(g.code, g.chat_id, title(g), -g.chat_id, f"Ketua {g.name}", now, ADMIN_ID, now) for g in groups],
            )
    finally:
        db.close()
    return groups


def title(group: Group) -> str:
    return f"Karang Taruna Kec. {group.name}"


def prepare_fake(fake: FakeTelegram, groups: list[Group]) -> None:
    """The admin, and every group with its ketua and the bot already in it (no updates produced)."""
    fake.add_user(ADMIN_ID, "Siti", username="siti_dinsos")
    for group in groups:
        ketua = -group.chat_id
        fake.add_user(ketua, f"Ketua {group.name}")
        fake.add_group(group.chat_id, title(group), members={ketua: "creator"})
        fake.world.chat(group.chat_id).bot_status = "member"


# ------------------------------------------------------------------ our bot


async def bot_says(fake: FakeTelegram, bot: BotProcess, after: int, wanted: Callable[[dict], bool]) -> dict:
    """The first bot message in the admin's chat newer than message id `after` that matches."""
    found: list[dict] = []

    def ready() -> bool:
        found[:] = [m for m in fake.world.bot_messages(ADMIN_ID) if m["message_id"] > after and wanted(m)]
        return bool(found)

    await bot.until(fake, ready, within=60)
    return snapshot(found[0])


def kirim_data(message: dict) -> str | None:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return next(
        (b["callback_data"] for row in rows for b in row if b.get("callback_data", "").startswith("ann:send:")), None
    )


async def compose(fake: FakeTelegram, bot: BotProcess) -> tuple[dict, str]:
    """The admin starts the bot, sends /pengumuman and the text; returns the control message and its Kirim data."""
    start = fake.send_text(ADMIN_ID, ADMIN_ID, "/start")
    assert start is not None
    greeting = await bot_says(fake, bot, start["message"]["message_id"], lambda m: True)
    asked = fake.send_text(ADMIN_ID, ADMIN_ID, "/pengumuman")
    assert asked is not None
    # Updates are handled one at a time, so an answer to /pengumuman means /start has finished too.
    answer = await bot_says(fake, bot, max(greeting["message_id"], asked["message"]["message_id"]), lambda m: True)
    fake.send_text(ADMIN_ID, ADMIN_ID, TEXT)
    control = await bot_says(fake, bot, answer["message_id"], lambda m: kirim_data(m) is not None)
    data = kirim_data(control)
    assert data is not None
    return control, data


def outbox_states(workdir: Path) -> dict[int, str]:
    """chat_id -> outbox status of the announcement's rows, read from the bot's database."""
    db = sqlite3.connect(workdir / "bench.db")
    try:
        return dict(db.execute("SELECT chat_id, status FROM outbox WHERE kind = ?", (ANNOUNCEMENT_KIND,)).fetchall())
    finally:
        db.close()


def settled(workdir: Path) -> bool:
    """No row of the announcement is pending: every send the bot will make for it has been made."""
    return "pending" not in outbox_states(workdir).values()


def announcement_status(workdir: Path) -> str:
    """'done' once the bot has marked the announcement finished (its report to the admin follows)."""
    db = sqlite3.connect(workdir / "bench.db")
    try:
        row = db.execute("SELECT status FROM announcement ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        db.close()
    return row[0] if row else "none"


async def ours(n: int, seed: int, *, kill: bool = False) -> Result:
    """Our bot broadcasts to n groups; with kill, SIGKILLed at about n/2 copies and restarted on the same DB."""
    who = "ours-kill" if kill else "ours"
    with tempfile.TemporaryDirectory(prefix="bench-broadcast-") as tmp:
        workdir = Path(tmp)
        async with FakeTelegram(flood_control=True) as fake:
            env = bot_env(fake, workdir)
            groups = prepare_database(env, workdir, n)
            prepare_fake(fake, groups)
            bot = BotProcess("bot", env, workdir)
            notes: dict[str, Any] = {}
            within = 120 + n / 5  # generous: a stall fails with the fake's summary instead of a slow figure
            try:
                await bot.start(fake)
                control, data = await compose(fake, bot)
                copies = Copies(fake, [g.chat_id for g in groups])
                before_429 = fake.flood_429_count
                fake.fail_randomly(FAILURE_RATE, seed=seed)
                started = time.perf_counter()
                fake.press_button(ADMIN_ID, control, data)
                if kill:
                    bot = await kill_and_restart(fake, bot, copies, n, env, workdir, notes)
                await bot.until(fake, copies.everywhere(), within=within)
                assert copies.last_new_at is not None and copies.first_send_at is not None
                seconds = copies.last_new_at - started
                if kill:
                    notes["restart_to_done_s"] = round(copies.last_new_at - notes.pop("restarted_at"), 3)
                # Until its outbox rows are settled (sent or failed): then every send it makes is in the figures.
                await bot.until_stored(fake, lambda: settled(workdir), within=60)
            finally:
                await bot.stop()
                keep_log(bot, f"{who}-{n}")
            notes["outbox"] = dict(Counter(outbox_states(workdir).values()))
            notes["announcement"] = announcement_status(workdir)
            lost, duplicates, extra = outcome(fake, groups)
            copies.update()
            if fake.violations:
                notes["violations"] = fake.violations[:5]
            return Result(
                who, n, n / OVERALL_PER_SECOND, seconds, copies.first_send_at - started, copies.sends,
                fake.random_failures_served, fake.flood_429_count - before_429, lost, duplicates, extra, notes,
            )  # fmt: skip


async def kill_and_restart(
    fake: FakeTelegram,
    bot: BotProcess,
    copies: Copies,
    n: int,
    env: dict[str, str],
    workdir: Path,
    notes: dict[str, Any],
) -> BotProcess:
    """SIGKILL once about n/2 groups have their copy; note what was delivered but not recorded; start again."""
    await bot.until(fake, copies.at_least(n // 2), within=120 + n / 5)
    assert bot.proc is not None
    bot.proc.send_signal(signal.SIGKILL)
    await bot.proc.wait()
    copies.update()
    states = outbox_states(workdir)
    delivered = {chat_id for chat_id, count in copies.count.items() if count}
    notes["copies_at_kill"] = len(delivered)
    # Delivered by Telegram but not yet marked sent: the next run sends these again (the possible duplicates).
    notes["unrecorded_at_kill"] = sum(states.get(chat_id) != "sent" for chat_id in delivered)
    notes["in_flight_bound"] = IN_FLIGHT
    keep_log(bot, f"ours-kill-{n}-before")
    restarted = BotProcess("bot", env, workdir)
    notes["restarted_at"] = time.perf_counter()
    await restarted.start(fake)
    return restarted


def keep_log(bot: BotProcess, name: str) -> None:
    """The bot's log is in the temporary folder: keep a copy next to the results (gitignored)."""
    if bot.log_path.exists():
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(bot.log_path, RESULTS_DIR / f"broadcast-{name}.log")


# ------------------------------------------------------------------ python-telegram-bot's AIORateLimiter


async def ptb(n: int, seed: int) -> Result:
    """bench/ptb_broadcast.py sends the same text to the same n groups; timed from the go signal."""
    with tempfile.TemporaryDirectory(prefix="bench-broadcast-") as tmp:
        workdir = Path(tmp)
        async with FakeTelegram(flood_control=True) as fake:
            groups = [Group("", f"Bench {i + 1:04d}", FIRST_GROUP_ID - i) for i in range(n)]
            prepare_fake(fake, groups)
            ids, text = workdir / "chat_ids.txt", workdir / "text.txt"
            ids.write_text("\n".join(str(g.chat_id) for g in groups) + "\n")
            text.write_text(TEXT)
            log_path = workdir / "ptb.log"
            with log_path.open("wb") as log:
                proc = await asyncio.create_subprocess_exec(
                    sys.executable, str(PTB_SCRIPT), str(ids), str(text), cwd=workdir,
                    env={**os.environ, "BOT_TOKEN": fake.token, "TELEGRAM_API_URL": fake.api_url},
                    stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=log,
                )  # fmt: skip
            assert proc.stdin is not None and proc.stdout is not None
            try:
                ready = await asyncio.wait_for(proc.stdout.readline(), 60)
                if ready.strip() != b"ready":
                    raise RuntimeError(f"ptb_broadcast.py did not start:\n{log_path.read_text()[-3000:]}")
                copies = Copies(fake, [g.chat_id for g in groups])
                fake.fail_randomly(FAILURE_RATE, seed=seed)
                # Counts (and timestamps) copies after every request the fake serves; it never completes when a
                # copy is lost, so it is cancelled once the script has finished.
                watcher = asyncio.ensure_future(fake.wait_for(copies.everywhere(), timeout=120 + n / 5))
                started = time.perf_counter()
                proc.stdin.write(b"go\n")
                await proc.stdin.drain()
                # The script ends when every send has succeeded or given up; a lost copy never arrives.
                summary_line = await asyncio.wait_for(proc.stdout.readline(), 120 + n / 5)
                await asyncio.wait_for(proc.wait(), 30)
            finally:
                if "watcher" in locals():
                    watcher.cancel()
                    await asyncio.gather(watcher, return_exceptions=True)
                if proc.returncode is None:
                    proc.kill()
                    await proc.wait()
                RESULTS_DIR.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(log_path, RESULTS_DIR / f"broadcast-ptb-{n}.log")
            if proc.returncode != 0 or not summary_line:
                raise RuntimeError(f"ptb_broadcast.py failed ({proc.returncode}):\n{log_path.read_text()[-3000:]}")
            copies.update()
            assert copies.last_new_at is not None and copies.first_send_at is not None
            lost, duplicates, extra = outcome(fake, groups)
            notes: dict[str, Any] = {"script": json.loads(summary_line)}
            if fake.violations:
                notes["violations"] = fake.violations[:5]
            return Result(
                "ptb", n, n / OVERALL_PER_SECOND, copies.last_new_at - started, copies.first_send_at - started,
                copies.sends, fake.random_failures_served, fake.flood_429_count, lost, duplicates, extra, notes,
            )  # fmt: skip


# ------------------------------------------------------------------ running and reporting


async def run_all(sizes: list[int], kill_at: int, seed: int) -> list[Result]:
    results = []
    for n in sizes:
        for name, measure in (("ours", ours), ("ptb", ptb)):
            result = await measure(n, seed)
            print(f"{name} {n}: {result.seconds:.2f} s ({result.ratio:.3f} x floor)", file=sys.stderr)
            results.append(result)
    if kill_at:
        result = await ours(kill_at, seed, kill=True)
        print(f"ours-kill {kill_at}: {result.seconds:.2f} s, {result.notes}", file=sys.stderr)
        results.append(result)
    return results


LABELS = {"ours": "our bot", "ptb": "PTB AIORateLimiter", "ours-kill": "our bot, SIGKILL at N/2"}


def table(results: list[Result]) -> str:
    head = (
        f"{'who':<24} {'groups':>6} {'floor s':>7} {'s':>7} {'x floor':>7} {'1st send':>8} {'sends':>5} "
        f"{'502':>4} {'429':>4} {'lost':>4} {'dup':>4}"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        lines.append(
            f"{LABELS[r.who]:<24} {r.groups:>6} {r.floor_s:>7.2f} {r.seconds:>7.2f} {r.ratio:>7.3f} "
            f"{r.first_send_s:>8.2f} {r.sends:>5} {r.served_502:>4} {r.received_429:>4} {r.lost:>4} {r.duplicates:>4}"
        )
    lines.append("")
    for r in results:
        if r.who == "ours":
            verdict = "met" if r.meets_target() else "MISSED"
            lines.append(
                f"our bot, {r.groups} groups: target (<= {TARGET_RATIO} x floor, no 429, none lost, no duplicate) "
                f"{verdict}; outbox rows {r.notes['outbox']}, announcement {r.notes['announcement']}"
            )
        elif r.who == "ours-kill":
            ok = r.lost == 0 and r.duplicates <= r.notes["unrecorded_at_kill"] <= IN_FLIGHT
            lines.append(
                f"kill run, {r.groups} groups: killed at {r.notes['copies_at_kill']} copies, "
                f"{r.notes['unrecorded_at_kill']} delivered but not yet recorded (bound {IN_FLIGHT}); "
                f"restart to done {r.notes['restart_to_done_s']:.2f} s; lost {r.lost}, duplicates {r.duplicates}: "
                f"{'met' if ok else 'MISSED'}"
            )
        else:
            lines.append(f"PTB, {r.groups} groups: script says {r.notes['script']}")
    return "\n".join(lines)


def write_json(params: dict[str, Any], results: list[Result]) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / "broadcast.json"
    document = {
        "benchmark": "broadcast",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "ptb": telegram.__version__},
        "params": params,
        "runs": [{**asdict(r), "ratio": r.ratio, "meets_target": r.meets_target()} for r in results],
    }
    path.write_text(json.dumps(document, indent=2) + "\n")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.broadcast", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="group counts, comma-separated (default 40,1000)")
    parser.add_argument(
        "--kill-at", type=int, default=None, help="group count of the kill run (default: the largest size; 0: skip)"
    )
    parser.add_argument("--seed", type=int, default=3, help="seed of the fake's 502s (default 3)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 4 groups, kill run included (unless given)")
    args = parser.parse_args(argv)
    args.sizes = ("4" if args.quick else "40,1000") if args.sizes is None else args.sizes
    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error("--sizes takes numbers like 40,1000")
    if not sizes or min(sizes) < 1:
        parser.error("--sizes must be positive")
    kill_at = max(sizes) if args.kill_at is None else args.kill_at
    if kill_at < 0:
        parser.error("--kill-at must be 0 or more")
    results = asyncio.run(run_all(sizes, kill_at, args.seed))
    print(table(results))
    params = {"sizes": sizes, "kill_at": kill_at, "seed": args.seed, "failure_rate": FAILURE_RATE}
    print(f"Written {write_json(params, results)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
