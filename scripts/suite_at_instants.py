"""The whole test suite at chosen instants of the calendar, under libfaketime: the suite must pass at any of them.

Run from the project root, with Debian's `faketime` installed (`apt-get install faketime`):

    .venv/bin/python scripts/suite_at_instants.py            # every instant below, one after the other
    .venv/bin/python scripts/suite_at_instants.py friday     # one of them
    .venv/bin/python scripts/suite_at_instants.py sunday -- -x tests/test_reminders.py   # pytest's own arguments

Each run starts at its instant and lets the clock go on from there (`faketime -f '@…'`), so a week, a month or a
year turns over while the first tests run. With '@', a process's clock starts at the instant when that process
starts, so tests/support/child_env.py gives every process a test starts its own '@': the test's time at that
moment. A bot started a minute in is then not a minute behind the test. An offset from the real clock ('+N')
would avoid that, but with it a run hung in a fixture's teardown here. Monotonic time is faked too: with
FAKETIME_DONT_FAKE_MONOTONIC=1 Python's time.sleep fails with EINVAL. Exit status: 0 when every run passed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")
# Name -> the instant in WIB; each is a moment where a test that leans on "now" has broken or would break.
INSTANTS = {
    # The weekly reminder slot (Friday 09.00) is inside its 12 h grace: a bot that starts catches it up.
    "friday": datetime(2026, 12, 4, 9, 30, tzinfo=WIB),
    # The reporting week (Monday to Sunday) ends 30 s into the run.
    "sunday": datetime(2026, 12, 6, 23, 59, 30, tzinfo=WIB),
    # The year ends 30 s into the run (and with it the month and, in WIB, the day).
    "new-year": datetime(2026, 12, 31, 23, 59, 30, tzinfo=WIB),
    # A month that begins on a Monday, 30 s after its start: a new week and a new month at once.
    "monday-first": datetime(2027, 2, 1, 0, 0, 30, tzinfo=WIB),
}


def faketime_spec(moment: datetime) -> str:
    """libfaketime's absolute start ('@YYYY-MM-DD hh:mm:ss'), in UTC: the suite's processes run with TZ=UTC, and
    the bot converts to WIB itself."""
    return "@" + moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def run(name: str, pytest_args: list[str]) -> tuple[int, float]:
    """One run of the suite at INSTANTS[name]: (pytest's exit status, seconds it took)."""
    moment = INSTANTS[name]
    spec = faketime_spec(moment)
    command = ["faketime", "-f", spec, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    print(f"== {name}: {moment.isoformat()} (faketime {spec} UTC)", flush=True)
    started = time.monotonic()
    status = subprocess.run([*command, *pytest_args], check=False, env={**os.environ, "TZ": "UTC"}).returncode
    return status, time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instants", nargs="*", help=f"which instants, of {', '.join(INSTANTS)} (default: all)")
    argv = sys.argv[1:] if argv is None else argv
    ours, pytest_args = (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else (argv, [])
    args = parser.parse_args(ours)
    unknown = [name for name in args.instants if name not in INSTANTS]
    if unknown:
        parser.error(f"unknown instant(s) {', '.join(unknown)}; choose from {', '.join(INSTANTS)}")
    if shutil.which("faketime") is None:
        print("faketime tidak ditemukan: apt-get install faketime", file=sys.stderr)
        return 2
    results = {name: run(name, pytest_args) for name in (args.instants or INSTANTS)}
    print()
    for name, (status, seconds) in results.items():
        print(f"{name:<13} {'passed' if status == 0 else f'FAILED ({status})':<11} {seconds:6.0f} s")
    return 0 if all(status == 0 for status, _ in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
