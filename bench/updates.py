"""Throughput and peak memory of the real bot as ratios against a bare python-telegram-bot floor.

Run from the project root:  .venv/bin/python -m bench.updates [--n 500] [--groups 40] [--repeat 3] [--quick]

Each measurement starts a fresh fake Telegram server and a fresh bot process, waits until the bot long-polls,
queues the whole workload at once and times until every reply has arrived. See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import telegram

from bench.process import RESULTS_DIR, BotProcess
from bot.wilayah import load_kecamatan
from tests.support.fake_telegram import SEND_METHODS, FakeTelegram

KINDS = ("bare", "bot")
ADMIN_ID = 1001  # the one Dinsos admin, who has started the bot
FIRST_USER_ID = 100_001
FIRST_CREATOR_ID = 200_001
FIRST_GROUP_ID = -500_001


@dataclass
class Run:
    """One measurement: the workload's size, the bot's Bot API calls (and sends) for it, duration, peak RSS."""

    updates: int
    calls: int
    sends: int
    seconds: float
    rss_mib: float = 0.0


class Replies:
    """Which awaited replies the bot has sent; each check reads only the requests recorded since the last one."""

    def __init__(self, fake: FakeTelegram, wanted: set[Hashable], key: Callable[[dict], Hashable], seen: int) -> None:
        self._fake, self._missing, self._key, self._seen = fake, set(wanted), key, seen

    def all_in(self) -> bool:
        """True once every wanted reply was sent (the fake calls this after every request it serves)."""
        # Incremental on purpose: the predicate runs after each of thousands of requests.
        for record in self._fake.requests[self._seen :]:
            if record.method == "sendMessage" and record.ok:
                self._missing.discard(self._key(record.result))
        self._seen = len(self._fake.requests)
        return not self._missing


def private_key(message: dict) -> Hashable:
    """A private reply is identified by its chat."""
    return message["chat"]["id"]


def group_reply_key(message: dict) -> Hashable:
    """A group reply is identified by the command it answers (the bot also sends a welcome there)."""
    return message["chat"]["id"], message.get("reply_to_message", {}).get("message_id")


async def timed(
    fake: FakeTelegram, bot: BotProcess, queue: Callable[[], tuple[int, set[Hashable]]], key: Callable[[dict], Hashable]
) -> Run:
    """Queue everything at once (queue() returns the update count and the replies to await), time until all came."""
    first = len(fake.requests)
    started = time.perf_counter()
    updates, wanted = queue()
    # Generous: a stall shows up as a failure with the fake's summary, not as a slow figure.
    await bot.until(fake, Replies(fake, wanted, key, first).all_in, within=60 + updates / 2)
    seconds = time.perf_counter() - started
    calls = [r.method for r in fake.requests[first:] if r.method != "getUpdates"]
    return Run(updates, len(calls), sum(1 for m in calls if m in SEND_METHODS), seconds)


async def private_workload(fake: FakeTelegram, bot: BotProcess, n: int) -> Run:
    """n distinct users each send /bantuan in their private chat."""
    users = range(FIRST_USER_ID, FIRST_USER_ID + n)
    for user_id in users:
        fake.add_user(user_id, f"Warga {user_id}")

    def queue() -> tuple[int, set[Hashable]]:
        for user_id in users:
            fake.send_text(user_id, user_id, "/bantuan")
        return n, set(users)

    return await timed(fake, bot, queue, private_key)


async def group_workload(fake: FakeTelegram, bot: BotProcess, m: int) -> Run:
    """m groups, one per kecamatan: the bot is added and the group's creator sends /daftar <kecamatan>."""
    await admin_has_started(fake, bot)
    groups = []
    for i, kecamatan in enumerate(load_kecamatan()[:m]):
        creator, group_id = FIRST_CREATOR_ID + i, FIRST_GROUP_ID - i
        fake.add_user(creator, f"Ketua {kecamatan.name}")
        fake.add_group(group_id, f"Karang Taruna Kec. {kecamatan.name}", members={creator: "creator"})
        groups.append((group_id, creator, kecamatan.name))

    def queue() -> tuple[int, set[Hashable]]:
        updates, commands = 0, set()
        for group_id, creator, name in groups:
            updates += len(fake.add_bot_to_group(group_id, creator))
            command = fake.send_text(creator, group_id, f"/daftar {name}")
            assert command is not None, "privacy mode kept the command from the bot"
            commands.add((group_id, command["message"]["message_id"]))
            updates += 1
        return updates, commands

    return await timed(fake, bot, queue, group_reply_key)


async def admin_has_started(fake: FakeTelegram, bot: BotProcess) -> None:
    """The admin presses Start (so the bot may write to them) and is fully answered, before the clock runs."""
    fake.add_user(ADMIN_ID, "Siti", username="siti_dinsos")
    await answered(fake, bot, "/start")
    # /start goes on after its reply (the real bot then sets the admin's command menu). Both bots handle
    # updates one at a time, so the reply to a second message means the first handler has finished.
    await answered(fake, bot, "/bantuan")


async def answered(fake: FakeTelegram, bot: BotProcess, text: str) -> None:
    """The admin writes text in private; returns once the bot has replied."""
    replies = Replies(fake, {ADMIN_ID}, private_key, len(fake.requests))
    fake.send_text(ADMIN_ID, ADMIN_ID, text)
    await bot.until(fake, replies.all_in, within=30)


Workload = Callable[[FakeTelegram, BotProcess, int], Awaitable[Run]]
WORKLOADS: dict[str, Workload] = {"private /bantuan": private_workload, "group /daftar": group_workload}


async def measure(kind: str, workload: Workload, size: int, pacing: str = "on") -> Run:
    """One fresh fake, one fresh bot process (and database), one workload."""
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        async with FakeTelegram(flood_control=False) as fake:
            env = {
                "BOT_TOKEN": fake.token,
                "TELEGRAM_API_URL": fake.api_url,
                "ADMIN_IDS": str(ADMIN_ID),
                "DATABASE_URL": f"sqlite:///{tmp}/bench.db",
                "LOG_LEVEL": "WARNING",
                # on: the bot holds itself to Telegram's limits (29 sends/s), which this fake does not enforce;
                # off: what the bot costs apart from that pacing.
                "FLOOD_PACING": pacing,
            }
            bot = BotProcess(kind, env, Path(tmp))
            try:
                await bot.start(fake)
                run = await workload(fake, bot, size)
                run.rss_mib = bot.peak_rss_mib()
            finally:
                await bot.stop()
            if fake.violations:
                print(f"  {kind}: Bot API violations: {fake.violations[:5]}", file=sys.stderr)
    return run


def summarise(runs: list[Run]) -> dict[str, Any]:
    """Medians over the repeats, plus the raw runs."""
    seconds = statistics.median(r.seconds for r in runs)
    return {
        "updates": runs[0].updates,
        "calls": statistics.median(r.calls for r in runs),
        "sends": statistics.median(r.sends for r in runs),
        "seconds": seconds,
        "updates_per_s": runs[0].updates / seconds,
        "rss_mib": statistics.median(r.rss_mib for r in runs),
        "runs": [asdict(r) for r in runs],
    }


async def run_all(sizes: dict[str, int], repeat: int, pacing: str = "on") -> dict[str, dict[str, Any]]:
    """Every workload, repeat times, bare and bot alternating so drift hits both alike."""
    results = {}
    for name, workload in WORKLOADS.items():
        runs: dict[str, list[Run]] = {kind: [] for kind in KINDS}
        for i in range(repeat):
            for kind in KINDS:
                run = await measure(kind, workload, sizes[name], pacing if kind == "bot" else "on")
                runs[kind].append(run)
                print(f"{name} #{i + 1} {kind}: {run.seconds:.2f} s, {run.rss_mib:.1f} MiB", file=sys.stderr)
        summary = {kind: summarise(runs[kind]) for kind in KINDS}
        bare, bot = summary["bare"], summary["bot"]
        summary["ratio"] = {
            "throughput": bot["updates_per_s"] / bare["updates_per_s"],
            "rss": bot["rss_mib"] / bare["rss_mib"],
        }
        results[name] = summary
    return results


def table(results: dict[str, dict[str, Any]]) -> str:
    """The results as a fixed-width table, then the bot's send rate (its flood pacing caps it)."""
    head = f"{'workload':<18} {'updates':>7} | {'bare s':>7} {'upd/s':>7} {'RSS MiB':>7} | "
    head += f"{'bot s':>7} {'upd/s':>7} {'RSS MiB':>7} | {'bot/bare upd/s':>14} {'bot/bare RSS':>12}"
    lines = [head, "-" * len(head)]
    for name, r in results.items():
        cells = [f"{name:<18} {r['bare']['updates']:>7} |"]
        for kind in KINDS:
            k = r[kind]
            cells.append(f"{k['seconds']:>7.2f} {k['updates_per_s']:>7.1f} {k['rss_mib']:>7.1f} |")
        cells.append(f"{r['ratio']['throughput']:>14.3f} {r['ratio']['rss']:>12.2f}")
        lines.append(" ".join(cells))
    lines.append("")
    for name, r in results.items():
        bot = r["bot"]
        lines.append(
            f"{name}: the bot made {bot['calls']:g} Bot API calls, {bot['sends']:g} of them sends "
            f"({bot['sends'] / bot['seconds']:.1f} sends/s)"
        )
    return "\n".join(lines)


def write_json(name: str, params: dict[str, int], results: dict[str, dict[str, Any]]) -> Path:
    """bench/results/<name>.json with the run's context (the folder is gitignored)."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    document = {
        "benchmark": name,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "ptb": telegram.__version__},
        "params": params,
        "statistic": "median",
        "workloads": results,
    }
    path.write_text(json.dumps(document, indent=2) + "\n")
    return path


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run every workload, print the table and write the JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench.updates", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, help="users sending /bantuan (default 500)")
    parser.add_argument("--groups", type=int, help="groups sending /daftar, at most 40 (default 40)")
    parser.add_argument("--repeat", type=int, help="measurements per bot and workload (default 3)")
    parser.add_argument("--pacing", choices=["on", "off"], default="on", help="the bot's FLOOD_PACING (default on)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 5 users, 2 groups, 1 repeat (unless given)")
    args = parser.parse_args(argv)
    args.n = (5 if args.quick else 500) if args.n is None else args.n
    args.groups = (2 if args.quick else 40) if args.groups is None else args.groups
    args.repeat = (1 if args.quick else 3) if args.repeat is None else args.repeat
    if not 1 <= args.groups <= len(load_kecamatan()):
        parser.error(f"--groups must be 1..{len(load_kecamatan())} (one group per kecamatan)")
    if args.n < 1 or args.repeat < 1:
        parser.error("--n and --repeat must be at least 1")
    sizes = {"private /bantuan": args.n, "group /daftar": args.groups}
    results = asyncio.run(run_all(sizes, args.repeat, args.pacing))
    print(table(results))
    params = {"n": args.n, "groups": args.groups, "repeat": args.repeat, "pacing": args.pacing}
    path = write_json("updates" if args.pacing == "on" else "updates-pacing-off", params, results)
    print(f"Written {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
