"""Burst benchmark (issue 9): many notices at once into one admin's private chat, with flood control on.

Run from the project root:  .venv/bin/python -m bench.burst [--reports 50] [--groups 40] [--quick]

Two cases, each with a fresh fake Telegram server (flood control on: 30 sends/s overall, 20/min per group, and a
private chat a burst of 20 then one a second; a send over a limit is answered 429 and not delivered) and the real
bot started as a user starts it (`python -m bot`, FLOOD_PACING=on), one Dinsos admin (1001) who pressed Start:

- **reports**: R people (default 50), spread over the 40 kecamatan groups, each with a finished laporan at its
  summary (prepared in SQLite before the bot starts: the form itself is bench/forms' subject). Each opens it
  (/laporan, Lanjutkan) untimed; then all press **Kirim** within a second. The clock runs from the first press
  until the admin has the last report copy and album. Each report owes the admin a copy and an album, and its
  group a note.
- **daftar**: G groups (default 40, one per kecamatan, not registered) have the bot; their creators all send
  `/daftar <kecamatan>` at once. The clock runs until the admin has the last registration request.

Figures: 429s (target 0), notices lost (target 0), and the time until the last message into the admin's chat
against its floor: the messages owed to that chat ÷ 1 per second, Telegram's guidance for one private chat.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import telegram

from bench.process import RESULTS_DIR, BotProcess
from bot.wilayah import load_kecamatan
from handlers import admin_notices, form_submission, xlsform_fill
from storage import chats, registrations
from storage.db import Database
from storage.forms import ADMIN_COPY_KIND
from storage.registrations import Requester
from tests.support.fake_telegram import FakeTelegram
from tests.support.reports import open_draft

ADMIN_ID = 1001
FIRST_GROUP_ID = -800_001
FIRST_PERSON_ID = 60_001
PRIVATE_PER_SECOND = 1.0  # Telegram's guidance for one private chat: the floor


@dataclass
class Case:
    name: str
    owed_to_admin: int
    seconds: float
    floor_s: float
    flood_429: int
    lost: int
    lost_detail: dict[str, int]

    @property
    def ratio(self) -> float:
        return self.seconds / self.floor_s


def env_for(fake: FakeTelegram, tmp: Path) -> dict[str, str]:
    return {
        "BOT_TOKEN": fake.token,
        "TELEGRAM_API_URL": fake.api_url,
        "ADMIN_IDS": str(ADMIN_ID),
        "DATABASE_URL": f"sqlite:///{tmp}/bench.db",
        "LOG_LEVEL": "WARNING",
        "FLOOD_PACING": "on",
    }


def migrate(env: dict[str, str], workdir: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "bot", "migrate"], cwd=workdir, env={**os.environ, **env}, check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip


def group_of(index: int) -> int:
    return FIRST_GROUP_ID - index


def person(index: int) -> int:
    return FIRST_PERSON_ID + index


async def prepare_reports(fake: FakeTelegram, path: Path, reports: int) -> list[int]:
    """40 active groups; `reports` people (member of group i % 40) with a finished laporan; returns draft ids."""
    kecamatan = load_kecamatan()
    photos = [fake.new_file(f"foto-{i}".encode(), "photo")[-1]["file_id"] for i in range(2)]
    db = Database(path)
    await db.open()
    now = datetime.now(UTC)
    try:
        for index, k in enumerate(kecamatan):
            members = {person(i): "member" for i in range(reports) if i % len(kecamatan) == index}
            fake.add_group(group_of(index), f"KT {k.name}", members=members)
            fake.world.chat(group_of(index)).bot_status = "member"
            await chats.record(
                db, chat_id=group_of(index), type="group", title=f"KT {k.name}", bot_status="member", now=now
            )
            outcome = await registrations.request(
                db, kecamatan_code=k.code, chat_id=group_of(index), chat_title=f"KT {k.name}",
                requester=Requester(ADMIN_ID, "Admin"), now=now,
            )  # fmt: skip
            await registrations.decide(
                db, outcome.registration.id, approve=True, admin=Requester(ADMIN_ID, "Admin"), now=now
            )
        drafts = []
        for i in range(reports):
            k = kecamatan[i % len(kecamatan)]
            answers = {
                "nama_kegiatan": f"Bakti Sosial & Donor Darah {i + 1}", "bidang": "b01",
                "tanggal": (now.date() - timedelta(days=1)).isoformat(),
                "lokasi": {"code": "kecamatan", "name": f"Tingkat Kecamatan {k.name}"}, "jumlah_peserta": 35,
                "ppks": ["PPKS-01"], "jumlah_penerima": 12, "sumber_dana": "swadaya", "jumlah_dana": None,
                "hasil": "Stok darah PMI bertambah", "kendala": None, "foto": photos,
            }  # fmt: skip
            draft = await open_draft(db, "laporan", user_id=person(i), user_name=f"Warga {i + 1}",
                                     kecamatan_code=k.code, now=now, answers=answers)  # fmt: skip
            drafts.append(draft.id)
        return drafts
    finally:
        await db.close()


# A form's buttons: xf:<draft>:<screen>:<action>[:<index>] (handlers/xlsform_fill.py); L resumes, K sends.
RESUME, SUBMIT = "L", "K"
# What the laporan owes per report, by outbox kind: the admin's copy and album, the group's note.
OWED_KINDS = {"admin copies": ADMIN_COPY_KIND, "albums": form_submission.ADMIN_ALBUM_KIND,
              "group notes": form_submission.NOTE_KIND}  # fmt: skip


def button(message: dict[str, Any], action: str) -> str | None:
    """The callback data of the form button with this action, if the message carries one."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    for data in (b.get("callback_data", "") for row in rows for b in row):
        found = re.match(xlsform_fill.CALLBACK_PATTERN, data)
        if found and found[3] == action:
            return data
    return None


def group_notes(fake: FakeTelegram, since: int) -> int:
    return sum(len(bot_messages_since(fake, group_of(g), since)) for g in range(40))


def outbox_rows(workdir: Path) -> tuple[int, dict[str, int]]:
    """(outbox rows still pending, rows sent by kind) in the bot's database."""
    db = sqlite3.connect(workdir / "bench.db")
    try:
        pending = db.execute("SELECT count(*) FROM outbox WHERE status = 'pending'").fetchone()[0]
        sent = dict(db.execute("SELECT kind, count(*) FROM outbox WHERE status = 'sent' GROUP BY kind").fetchall())
    finally:
        db.close()
    return pending, sent


def request_ids(messages: list[dict[str, Any]]) -> set[str]:
    """The registrations whose request reached the admin: the id in each request's decision buttons."""
    rows = [(m.get("reply_markup") or {}).get("inline_keyboard", []) for m in messages]
    found = (re.match(admin_notices.DECIDE_PATTERN, b.get("callback_data", "")) for r in rows for row in r for b in row)
    return {match[2] for match in found if match}


def bot_messages_since(fake: FakeTelegram, chat_id: int, since: int) -> list[tuple[float, dict[str, Any]]]:
    """(arrival index time, result) of the successful sends into a chat after request number `since`."""
    return [
        (r.at, r.result if isinstance(r.result, dict) else {"album": r.result})
        for r in fake.requests[since:]
        if r.ok and r.method in ("sendMessage", "sendMediaGroup") and str(r.params.get("chat_id")) == str(chat_id)
    ]


async def wait_for_message(fake: FakeTelegram, chat_id: int, predicate, within: float = 30.0) -> dict:  # type: ignore[no-untyped-def]
    """The next bot message in a chat (matching `predicate`), waited for on the fake's events."""
    return await fake.wait_for_message(chat_id, predicate, timeout=within)


async def reports_case(reports: int) -> Case:
    with tempfile.TemporaryDirectory(prefix="bench-burst-") as tmp:
        workdir = Path(tmp)
        async with FakeTelegram() as fake:
            stamp_requests(fake)
            env = env_for(fake, workdir)
            migrate(env, workdir)
            fake.add_user(ADMIN_ID, "Siti")
            for i in range(reports):
                fake.add_user(person(i), f"Warga {i + 1}")
            drafts = await prepare_reports(fake, workdir / "bench.db", reports)
            bot = BotProcess("bot", env, workdir)
            try:
                await bot.start(fake)
                fake.user_starts_bot(ADMIN_ID)
                await wait_for_message(fake, ADMIN_ID, None)
                # Untimed: each person opens the finished form and sees its summary with Kirim.
                summaries = []
                for i in range(len(drafts)):
                    fake.user_starts_bot(person(i))
                    await wait_for_message(fake, person(i), None)
                    fake.send_text(person(i), person(i), "/laporan")
                    offer = await wait_for_message(fake, person(i), lambda m: button(m, RESUME) is not None)
                    fake.press_button(person(i), offer, button(offer, RESUME))
                    summaries.append(await wait_for_message(fake, person(i), lambda m: button(m, SUBMIT) is not None))
                await settle(fake)
                floods_before, since = fake.flood_429_count, len(fake.requests)
                started = time.monotonic()
                for i, summary in enumerate(summaries):
                    fake.press_button(person(i), summary, button(summary, SUBMIT), strict=True)
                    await asyncio.sleep(0.9 / reports)  # all within a second, as people pressing together

                def admin_done() -> bool:
                    return len(bot_messages_since(fake, ADMIN_ID, since)) >= 2 * reports

                await bot.until(fake, admin_done, within=60 + 3 * reports)
                last_admin = max(at for at, _ in bot_messages_since(fake, ADMIN_ID, since))

                def notes_done() -> bool:
                    return group_notes(fake, since) >= reports

                await bot.until(fake, notes_done, within=120)
                # A confirmation is the one new message in the person's chat after Kirim (its buttons are edited).
                await bot.until(
                    fake, lambda: all(bot_messages_since(fake, person(i), since) for i in range(reports)), within=60
                )
                await bot.until_stored(fake, lambda: outbox_rows(workdir)[0] == 0, within=60)
            finally:
                await bot.stop()
            sent = outbox_rows(workdir)[1]
            lost = {name: reports - sent.get(kind, 0) for name, kind in OWED_KINDS.items()}
            lost["confirmations"] = sum(not bot_messages_since(fake, person(i), since) for i in range(reports))
            owed = 2 * reports
            return Case(
                "reports", owed, last_admin - started, owed / PRIVATE_PER_SECOND, fake.flood_429_count - floods_before,
                sum(max(0, v) for v in lost.values()), lost,
            )  # fmt: skip


async def daftar_case(groups: int) -> Case:
    kecamatan = load_kecamatan()[:groups]
    with tempfile.TemporaryDirectory(prefix="bench-burst-") as tmp:
        workdir = Path(tmp)
        async with FakeTelegram() as fake:
            stamp_requests(fake)
            env = env_for(fake, workdir)
            fake.add_user(ADMIN_ID, "Siti")
            for index, k in enumerate(kecamatan):
                fake.add_user(person(index), f"Ketua {k.name}")
                fake.add_group(group_of(index), f"KT {k.name}", members={person(index): "creator"})
            bot = BotProcess("bot", env, workdir)
            try:
                await bot.start(fake)
                fake.user_starts_bot(ADMIN_ID)
                await wait_for_message(fake, ADMIN_ID, None)
                for index in range(len(kecamatan)):
                    fake.add_bot_to_group(group_of(index), person(index))
                await bot.until(
                    fake, lambda: all(fake.messages(group_of(i)) for i in range(len(kecamatan))), within=120
                )
                await settle(fake)
                floods_before, since = fake.flood_429_count, len(fake.requests)
                started = time.monotonic()
                commands = {}
                for index, k in enumerate(kecamatan):
                    command = fake.send_text(person(index), group_of(index), f"/daftar {k.name}")
                    assert command is not None, "privacy mode kept the command from the bot"
                    commands[group_of(index)] = command["message"]["message_id"]

                def requests() -> list[tuple[float, dict[str, Any]]]:
                    """The admin's messages carrying a registration's decision buttons."""
                    return [(at, m) for at, m in bot_messages_since(fake, ADMIN_ID, since) if request_ids([m])]

                def replied() -> int:
                    """Groups where the bot answered the /daftar command (its reply quotes it)."""
                    return sum(
                        any(m.get("reply_to_message", {}).get("message_id") == command
                            for _, m in bot_messages_since(fake, chat_id, since))
                        for chat_id, command in commands.items()
                    )  # fmt: skip

                await bot.until(fake, lambda: len(requests()) >= len(kecamatan), within=60 + 3 * groups)
                last_admin = max(at for at, _ in requests())
                await bot.until(fake, lambda: replied() >= len(kecamatan), within=120)
                received = request_ids([m for _, m in requests()])
                lost = {"requests": len(kecamatan) - len(received), "group replies": len(kecamatan) - replied()}
            finally:
                await bot.stop()
            return Case(
                "daftar", len(kecamatan), last_admin - started, len(kecamatan) / PRIVATE_PER_SECOND,
                fake.flood_429_count - floods_before, sum(lost.values()), lost,
            )  # fmt: skip


class _Stamped(list):  # type: ignore[type-arg]
    """The fake's request list, each record stamped with when it was answered (monotonic seconds)."""

    def append(self, record: Any) -> None:
        record.at = time.monotonic()
        super().append(record)


def stamp_requests(fake: FakeTelegram) -> None:
    """For the 'last message into the admin's chat' figures."""
    fake.requests = _Stamped(fake.requests)


async def settle(fake: FakeTelegram, quiet: float = 1.5) -> None:
    """Untimed: until the fake has seen no send for `quiet` seconds (the bot is done with the setup)."""
    while True:
        count = len(fake.requests)
        await asyncio.sleep(quiet)
        if len(fake.requests) == count:
            return


def table(cases: list[Case]) -> str:
    lines = [
        f"{'case':<8} {'to admin':>8} {'floor s':>8} {'s':>8} {'x floor':>8} {'429':>5} {'lost':>5}",
        "-" * 56,
    ]
    for c in cases:
        lines.append(
            f"{c.name:<8} {c.owed_to_admin:>8} {c.floor_s:>8.1f} {c.seconds:>8.2f} {c.ratio:>8.3f} "
            f"{c.flood_429:>5} {c.lost:>5}"
        )
    return "\n".join(lines)


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.burst", description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, help="people pressing Kirim within a second (default 50)")
    parser.add_argument("--groups", type=int, help="groups sending /daftar at once, at most 40 (default 40)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 2 reports, 2 groups (unless given)")
    args = parser.parse_args(argv)
    args.reports = (2 if args.quick else 50) if args.reports is None else args.reports
    args.groups = (2 if args.quick else 40) if args.groups is None else args.groups
    print(f"reports case: {args.reports} reports …", file=sys.stderr)
    cases = [await reports_case(args.reports)]
    print(f"daftar case: {args.groups} groups …", file=sys.stderr)
    cases.append(await daftar_case(min(args.groups, 40)))
    print(table(cases))
    for c in cases:
        print(f"{c.name}: lost {c.lost_detail}")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / "burst.json"
    out.write_text(
        json.dumps(
            {
                "when": datetime.now(UTC).isoformat(), "python": platform.python_version(),
                "ptb": telegram.__version__, "cases": [asdict(c) | {"ratio": c.ratio} for c in cases],
            },
            indent=2,
        )
    )  # fmt: skip
    print(f"Ditulis: {out}", file=sys.stderr)
    return 0 if all(c.flood_429 == 0 and c.lost == 0 for c in cases) else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
