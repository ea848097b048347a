"""A bot run as its own process against the fake server: start it, wait on it, read its peak RSS, stop it."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from tests.support.child_env import quiet_reminder_cron
from tests.support.fake_telegram import FakeTelegram

BARE_BOT = Path(__file__).with_name("bare_bot.py")
PEER_FORMS = Path(__file__).with_name("ptb_forms.py")  # bench.forms' peer: ConversationHandler + PicklePersistence
STOP_TIMEOUT = 30.0
# Where every benchmark writes its JSON and logs (gitignored); the smoke test points it at a scratch folder.
RESULTS_DIR = Path(os.environ.get("BENCH_RESULTS_DIR") or Path(__file__).with_name("results"))
RECHECK = 0.2  # seconds between looks at the bot's database while nothing reaches the fake


def same_work_any_day() -> dict[str, str]:
    """Settings that make a run do the same work whatever the day and hour it starts.

    The bot has no switch for its weekly reminder: with the default REMINDER_CRON (Friday 09.00 WIB, 12 hours of
    grace, a follow-up a day later) a bot started on a Friday or Saturday first sends one to every active group.
    As for the processes the tests start, the slot is put days away from now; the zone is the deployment's.
    """
    return {"TIMEZONE": "Asia/Jakarta", "REMINDER_CRON": quiet_reminder_cron()}


def command(kind: str) -> list[str]:
    """argv for 'bare' (the floor) or 'bot' (the real bot exactly as a user starts it)."""
    if kind == "bare":
        return [sys.executable, str(BARE_BOT)]
    if kind == "peer":
        return [sys.executable, str(PEER_FORMS)]
    return [sys.executable, "-m", "bot"]


class BotProcess:
    """One bot subprocess; its output goes to a log file shown when something goes wrong."""

    def __init__(self, kind: str, env: dict[str, str], workdir: Path) -> None:
        self.kind = kind
        self.env = {**os.environ, **same_work_any_day(), **env}
        self.workdir = workdir
        self.log_path = workdir / f"{kind}.log"
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self, fake: FakeTelegram, *, within: float = 60.0) -> None:
        """Launch, then wait until it long-polls: start-up (imports, migrations, setMyCommands) is not measured."""
        # cwd is the scratch folder, so a developer's .env in the project root cannot change the setup.
        with self.log_path.open("wb") as log:
            self.proc = await asyncio.create_subprocess_exec(
                *command(self.kind), cwd=self.workdir, env=self.env, stdout=log, stderr=asyncio.subprocess.STDOUT
            )
        await self.until(fake, lambda: fake.polls_waiting > 0, within=within)

    async def until(self, fake: FakeTelegram, predicate: Callable[[], bool], *, within: float) -> None:
        """fake.wait_for(predicate), but fail at once with the log if the process dies meanwhile."""
        assert self.proc is not None
        waiting = asyncio.ensure_future(fake.wait_for(predicate, timeout=within))
        exited = asyncio.ensure_future(self.proc.wait())
        await asyncio.wait({waiting, exited}, return_when=asyncio.FIRST_COMPLETED)
        exited.cancel()
        if waiting.done():
            waiting.result()  # re-raises the timeout
            return
        waiting.cancel()
        raise RuntimeError(f"{self.kind} exited with status {self.proc.returncode}:\n{self.log_tail()}")

    async def until_stored(self, fake: FakeTelegram, stored: Callable[[], bool], *, within: float) -> None:
        """Until stored() (a look at the bot's database) is true: looked at after every request the fake serves and
        every RECHECK seconds, since a commit makes no request."""
        deadline = asyncio.get_running_loop().time() + within
        while not stored():
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"{self.kind}: database state not reached within {within}s\n{fake.describe()}")
            with contextlib.suppress(AssertionError):  # the fake's wait timed out: look at the database again
                await self.until(fake, stored, within=RECHECK)

    def peak_rss_mib(self) -> float:
        """VmHWM (peak resident set) of the running process, in MiB."""
        assert self.proc is not None
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # the value is in kB
        raise RuntimeError("no VmHWM in /proc status (not Linux?)")

    async def stop(self) -> None:
        """SIGTERM (the bot shuts down cleanly on it) and wait for the exit; kill only if it hangs."""
        if self.proc is None or self.proc.returncode is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.proc.wait(), STOP_TIMEOUT)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()
            raise RuntimeError(f"{self.kind} ignored SIGTERM for {STOP_TIMEOUT}s:\n{self.log_tail()}") from None
        if self.proc.returncode != 0:
            raise RuntimeError(f"{self.kind} exited with status {self.proc.returncode}:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        """The last lines the process printed."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])
