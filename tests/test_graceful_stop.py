"""SIGTERM (what systemd sends on stop and restart) loses nothing: in-flight sends finish, drafts stay.

The real process, `python -m bot`, against the fake server: a broadcast stopped midway reaches every group exactly
once after the restart, and a form half filled in continues where it was.
"""

from __future__ import annotations

import asyncio
import configparser
import signal
import sqlite3
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest

from bot.xlsform.session import State
from storage import chats, registrations, wilayah
from storage.db import Database
from storage.registrations import Requester
from tests.conftest import ADMIN_1, ANGGOTA, KETUA, SUMBER_GROUP
from tests.support.child_env import child_env
from tests.support.fake_telegram import SEND_METHODS, FakeTelegram
from tests.support.harness import WIB
from tests.support.reports import given

ROOT = Path(__file__).resolve().parents[1]
ADMIN = ADMIN_1
FIRST_GROUP = -700_001
TEXT = "Rapat koordinasi Karang Taruna se-Kabupaten Cirebon, Senin pukul 09.00 di aula Dinas Sosial."
SUMBER = "32.09.15"
T = TypeVar("T")


class BotProcess:
    """`python -m bot` started as systemd starts it; stderr (the log) is read as it comes, to wait on and to show."""

    def __init__(self, env: dict[str, str], workdir: Path) -> None:
        self.env, self.workdir = env, workdir
        self.proc: asyncio.subprocess.Process | None = None
        self.lines: list[str] = []
        self._changed = asyncio.Condition()
        self._reader: asyncio.Task[None] | None = None

    async def start(self, *args: str) -> None:
        self.lines.clear()
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", *args, cwd=self.workdir, env=self.env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.proc is not None and self.proc.stderr is not None
        async for raw in self.proc.stderr:
            async with self._changed:
                self.lines.append(raw.decode(errors="replace").rstrip("\n"))
                self._changed.notify_all()
        async with self._changed:
            self._changed.notify_all()

    async def logged(self, text: str, *, within: float = 30.0) -> str:
        """The first log line containing `text`, once it is written; fails if the process ends first."""

        def found() -> bool:
            return any(text in line for line in self.lines) or self._ended()

        try:
            async with self._changed:
                await asyncio.wait_for(self._changed.wait_for(found), within)
        except TimeoutError:
            raise AssertionError(f"the bot did not log {text!r} within {within}s:\n{self.log_tail()}") from None
        line = next((line for line in self.lines if text in line), None)
        if line is None:
            raise AssertionError(f"the bot ended without logging {text!r}:\n{self.log_tail()}")
        return line

    async def watch(self, waiting: Awaitable[T]) -> T:
        """Await `waiting` (a fake.wait_for...), but fail at once with the log if the process dies meanwhile."""
        assert self.proc is not None
        task, exited = asyncio.ensure_future(waiting), asyncio.ensure_future(self.proc.wait())
        await asyncio.wait({task, exited}, return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            exited.cancel()
            return task.result()
        task.cancel()
        raise AssertionError(f"the bot exited with status {self.proc.returncode}:\n{self.log_tail()}")

    async def until(self, fake: FakeTelegram, predicate: Callable[[], bool], *, within: float = 30.0) -> None:
        await self.watch(fake.wait_for(predicate, timeout=within))

    async def started_polling(self, fake: FakeTelegram) -> None:
        await self.until(fake, lambda: fake.polls_waiting > 0)

    async def stop(self, *, within: float = 30.0) -> int:
        """SIGTERM, then the exit status once the process has ended by itself."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        return await self.exited(within=within)

    async def exited(self, *, within: float = 30.0) -> int:
        assert self.proc is not None
        await asyncio.wait_for(self.proc.wait(), within)
        if self._reader is not None:
            await self._reader
        return self.proc.returncode if self.proc.returncode is not None else -1

    async def kill(self) -> None:
        """Cleanup after a failed test: never leave a bot running."""
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)

    def _ended(self) -> bool:
        return self._reader is not None and self._reader.done()

    def log_tail(self, count: int = 40) -> str:
        return "\n".join(self.lines[-count:])


def bot_env(fake: FakeTelegram, workdir: Path, **extra: str) -> dict[str, str]:
    defaults = {
        "BOT_TOKEN": fake.token,
        "TELEGRAM_API_URL": fake.api_url,
        "ADMIN_IDS": str(ADMIN),
        "DATABASE_URL": f"sqlite:///{workdir / 'bot.db'}",
        "LOG_LEVEL": "INFO",
    }
    return child_env(**{**defaults, **extra})


@pytest.fixture
async def bots():
    """Bot processes a test starts; any still running at the end are killed."""
    started: list[BotProcess] = []

    def make(env: dict[str, str], workdir: Path) -> BotProcess:
        started.append(BotProcess(env, workdir))
        return started[-1]

    yield make
    for process in started:
        await process.kill()


async def migrate(bot: BotProcess) -> None:
    """`python -m bot migrate`, as ExecStartPre runs it before the bot."""
    await bot.start("migrate")
    assert await bot.exited() == 0, bot.log_tail()


@dataclass(frozen=True)
class SyntheticKecamatan:
    code: str
    name: str
    villages: tuple[()] = ()


async def seed_active_groups(db_path: Path, count: int) -> list[int]:
    """`count` active groups (synthetic kecamatan: only 40 exist) written through storage; returns their chat ids."""
    now = datetime.now(UTC)
    kecamatan = [SyntheticKecamatan(f"99.99.{i:04d}", f"Uji {i:04d}") for i in range(1, count + 1)]
    db = Database(db_path)
    await db.open()
    try:
        await wilayah.sync(db, kecamatan)
        chat_ids = [await seed_group(db, kec.code, FIRST_GROUP - i, now) for i, kec in enumerate(kecamatan)]
    finally:
        await db.close()
    return chat_ids


async def seed_group(db: Database, code: str, chat_id: int, now: datetime) -> int:
    title = f"Karang Taruna {code}"
    await chats.record(db, chat_id=chat_id, type="group", title=title, bot_status="member", now=now)
    outcome = await registrations.request(
        db, kecamatan_code=code, chat_id=chat_id, chat_title=title, requester=Requester(-chat_id, "Ketua"), now=now
    )
    await registrations.decide(db, outcome.registration.id, approve=True, admin=Requester(ADMIN, "Siti"), now=now)
    return chat_id


async def migrated_with_sumber(bots: Callable[[dict[str, str], Path], BotProcess], env: dict[str, str],
                               workdir: Path, chat_id: int) -> None:  # fmt: skip
    """`python -m bot migrate`, then Sumber's group `chat_id` registered and approved, before the bot starts."""
    await migrate(bots(env, workdir))
    db = Database(workdir / "bot.db")
    await db.open()
    try:
        await seed_group(db, SUMBER, chat_id, datetime.now(UTC))
    finally:
        await db.close()


def buttons(message: dict) -> dict[str, str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return {b["text"]: b.get("callback_data", "") for row in rows for b in row}


def answer_sends_late(fake: FakeTelegram, monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """Telegram has delivered a message some time before the bot hears so (network latency): that is the window
    in which a stop that cancels sends in flight would leave delivered messages unrecorded, to be sent again."""
    serve = fake._serve

    async def late(method: str, params: dict[str, Any]) -> Any:
        result = await serve(method, params)
        if method in SEND_METHODS:
            await asyncio.sleep(seconds)
        return result

    monkeypatch.setattr(fake, "_serve", late)


def copies(fake: FakeTelegram, chat_id: int) -> int:
    return sum(m.get("text") == TEXT for m in fake.messages(chat_id))


def query(db_path: Path, sql: str, *params: Any) -> list[tuple]:
    """Read the stopped bot's database (the assertions look at what it recorded, not at what it says)."""
    db = sqlite3.connect(db_path)
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()


async def test_sigterm_midway_through_a_broadcast_loses_and_doubles_nothing(fake, tmp_path, bots, monkeypatch):
    env = bot_env(fake, tmp_path)
    await migrate(bots(env, tmp_path))
    groups = await seed_active_groups(tmp_path / "bot.db", 60)
    fake.add_user(ADMIN, "Siti", username="siti_dinsos")
    for chat_id in groups:
        fake.add_user(-chat_id, "Ketua")
        fake.add_group(chat_id, f"Karang Taruna {chat_id}", members={-chat_id: "creator"})
        fake.world.chat(chat_id).bot_status = "member"

    first = bots(env, tmp_path)
    await first.start()
    await first.started_polling(fake)
    fake.send_text(ADMIN, ADMIN, "/pengumuman")
    await first.watch(fake.wait_for_message(ADMIN, timeout=30))
    fake.send_text(ADMIN, ADMIN, TEXT)
    control = await first.watch(fake.wait_for_message(ADMIN, lambda m: "Kirim" in buttons(m), timeout=30))
    answer_sends_late(fake, monkeypatch, 0.3)
    fake.press_button(ADMIN, control, buttons(control)["Kirim"])
    # Paced at 29 messages a second, 60 groups take about two seconds: stop a quarter of the way in.
    await first.until(fake, lambda: sum(copies(fake, chat_id) > 0 for chat_id in groups) >= 15)
    assert await first.stop() == 0, first.log_tail()

    reached = {chat_id for chat_id in groups if copies(fake, chat_id)}
    sent = {
        chat_id
        for (chat_id,) in query(
            tmp_path / "bot.db", "SELECT chat_id FROM outbox WHERE kind = 'announcement' AND status = 'sent'"
        )
    }
    assert sent == reached  # every send that reached a group finished and was recorded before the exit
    assert len(reached) < len(groups)  # and the stop really came midway

    second = bots(env, tmp_path)
    await second.start()
    await second.until(fake, lambda: "Terkirim: 60/60" in current_text(fake, control))
    assert await second.stop() == 0, second.log_tail()
    assert {chat_id: copies(fake, chat_id) for chat_id in groups} == dict.fromkeys(groups, 1)


def current_text(fake: FakeTelegram, message: dict) -> str:
    chat_id = message["chat"]["id"]
    now = next((m for m in fake.messages(chat_id) if m["message_id"] == message["message_id"]), {})
    return str(now.get("text", ""))


def asked(fake: FakeTelegram, user_id: int, number: int) -> Callable[[], bool]:
    """The form has asked question `number` of 12 (a button answer edits the question into the next one)."""
    return lambda: any(f"({number}/12)" in m.get("text", "") for m in fake.messages(user_id))


async def test_sigterm_halfway_through_a_laporan_keeps_the_draft_and_the_next_answer_continues_it(fake, tmp_path, bots):
    env = bot_env(fake, tmp_path)
    await migrated_with_sumber(bots, env, tmp_path, SUMBER_GROUP)
    fake.add_user(KETUA, "Asep")
    fake.add_user(ANGGOTA, "Dewi")
    fake.add_group(SUMBER_GROUP, "Karang Taruna Kec. Sumber", members={KETUA: "creator", ANGGOTA: "member"})
    fake.world.chat(SUMBER_GROUP).bot_status = "member"

    first = bots(env, tmp_path)
    await first.start()
    await first.started_polling(fake)
    fake.user_starts_bot(ANGGOTA, "laporan-320915")  # the group's "Isi lewat chat pribadi" deep link
    await first.until(fake, asked(fake, ANGGOTA, 1))
    fake.send_text(ANGGOTA, ANGGOTA, "Kerja bakti")
    await first.until(fake, asked(fake, ANGGOTA, 2))
    question = next(m for m in fake.messages(ANGGOTA) if "Lingkungan Hidup" in buttons(m))
    fake.press_button(ANGGOTA, question, buttons(question)["Lingkungan Hidup"])
    await first.until(fake, asked(fake, ANGGOTA, 3))
    # The third answer and the stop come together: handled before the exit, or stored and replayed after it.
    # "Hari ini" is the day it is handled, which the replay may put past midnight: either day is right.
    days = {datetime.now(WIB).date().isoformat()}
    fake.send_text(ANGGOTA, ANGGOTA, "hari ini")
    assert await first.stop() == 0, first.log_tail()

    second = bots(env, tmp_path)
    await second.start()
    await second.started_polling(fake)
    await second.until(fake, asked(fake, ANGGOTA, 4))
    days.add(datetime.now(WIB).date().isoformat())
    fake.send_text(ANGGOTA, ANGGOTA, "kaliwadas")
    await second.until(fake, asked(fake, ANGGOTA, 5))
    assert await second.stop() == 0, second.log_tail()

    [(text,)] = query(tmp_path / "bot.db", "SELECT state FROM xform_draft WHERE user_id = ?", ANGGOTA)
    state = State.from_json(text)
    answers = given(state)
    assert state.current == "jumlah_peserta" and list(answers) == ["nama_kegiatan", "bidang", "tanggal", "lokasi"]
    assert answers["nama_kegiatan"] == "Kerja bakti"
    assert answers["tanggal"] in days


def test_the_systemd_unit_stops_with_sigterm_and_waits_for_in_flight_sends():
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(ROOT / "deploy" / "karangtaruna-bot.service")
    service = unit["Service"]
    assert service["KillSignal"] == "SIGTERM" and service["KillMode"] == "mixed"
    assert service["ExecStartPre"].endswith("-m bot migrate") and service["ExecStart"].endswith("-m bot")
    assert service["User"] == "karangtaruna" and service["Restart"] == "on-failure"
    # OutboxSender.stop waits up to 30 s for the sends in flight, after the updates being handled have finished:
    # systemd must not SIGKILL before that.
    assert int(service["TimeoutStopSec"].removesuffix("s")) >= 60
