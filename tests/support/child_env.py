"""The environment of a process a test starts (`python -m bot`, a CLI command): minimal, on the test's clock.

Two things must never come from the machine the suite runs on:
- the time. Under libfaketime (scripts/suite_at_instants.py) the test sees the faked instant only through
  LD_PRELOAD and the FAKETIME variables; a child started without them would see the real clock, and a test that
  compares the two would depend on the day. So those variables are passed on, and nothing else of the machine's.
- the weekly reminder. The bot catches up a reminder slot that fell due within its grace (Friday 09.00 WIB plus
  12 hours by default), so a bot started on a Friday morning would send reminders no test asked for. Unless a
  test names its own REMINDER_CRON, the child's slot lies days away from now, with its follow-up and grace.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

from tests.support.harness import WIB

# libfaketime reads these; LD_PRELOAD is what loads it.
_CLOCK_PREFIXES = ("FAKETIME", "DONT_FAKE_MONOTONIC")


def clock_variables() -> dict[str, str]:
    """LD_PRELOAD and libfaketime's variables of this process, if any.

    An absolute FAKETIME ('@…') starts a process's clock there when the process starts: passed on as it is, a
    child started a minute into the suite would be a minute behind the test. The child gets the test's time now.
    """
    found = {
        name: value for name, value in os.environ.items() if name == "LD_PRELOAD" or name.startswith(_CLOCK_PREFIXES)
    }
    if found.get("FAKETIME", "").startswith("@"):
        found["FAKETIME"] = "@" + datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    return found


def quiet_reminder_cron(now: datetime | None = None) -> str:
    """A crontab line whose slot is 3½ days from now (in WIB): its previous slot and that slot's follow-up
    (24 h later) are both beyond the 12 h grace, so a bot started now owes no reminder for the next 3 days."""
    slot = (now or datetime.now(WIB)).astimezone(WIB) + timedelta(days=3, hours=12)
    crontab_weekday = (slot.weekday() + 1) % 7  # Python: Monday 0; crontab: Sunday 0
    return f"{slot.minute} {slot.hour} * * {crontab_weekday}"


def child_env(**values: str) -> dict[str, str]:
    """PATH, the test's clock, a reminder slot away from now, then `values` (which may name REMINDER_CRON).

    PYTHONPATH too, when the suite has one: run from a second work tree of the project, the child must import
    that tree's code, not the one the virtual environment was installed from."""
    path = {"PYTHONPATH": os.environ["PYTHONPATH"]} if os.environ.get("PYTHONPATH") else {}
    return {"PATH": "/usr/bin:/bin", **path, **clock_variables(), "REMINDER_CRON": quiet_reminder_cron(), **values}
