"""When weekly reminders are due: REMINDER_CRON slots in WIB, moved past holidays, within a grace period.

APScheduler's CronTrigger does the cron arithmetic. Its day-of-week numbers are not crontab's (APScheduler
counts 0 = Monday, crontab 0 = Sunday), so the day-of-week field is rewritten with day names first: "0 9 * * 5"
means Friday 09.00, as anyone who knows crontab expects.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

_DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")
LOOKBACK = timedelta(days=21)  # how far ahead /pengingat looks for the next reminder


def crontab_trigger(expression: str, tz: ZoneInfo) -> CronTrigger:
    """A trigger from a standard 5-field crontab line; ValueError if it is not one."""
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError("a crontab line has 5 fields: minute hour day month weekday")
    fields[4] = re.sub(r"\d+", lambda m: _day_name(int(m[0])), fields[4])
    minute, hour, day, month, weekday = fields
    return CronTrigger(minute=minute, hour=hour, day=day, month=month, day_of_week=weekday, timezone=tz)


def _day_name(number: int) -> str:
    if not 0 <= number <= 7:
        raise ValueError(f"weekday {number} is not 0-7")
    return _DAY_NAMES[number]


def next_working_day_time(moment: datetime, holidays: set[date]) -> datetime:
    """The same clock time on the first day that is neither a holiday nor a weekend (if `moment`'s day is a holiday)."""
    if moment.date() not in holidays:
        return moment
    shifted = moment + timedelta(days=1)
    while shifted.date() in holidays or shifted.weekday() >= 5:
        shifted += timedelta(days=1)
    return shifted


@dataclass(frozen=True)
class Slot:
    nominal: datetime  # the cron time, in WIB: the identity of the slot, whatever holidays do to it
    due: datetime  # when it actually goes out, after moving past holidays

    @property
    def key(self) -> str:
        return self.nominal.isoformat()


@dataclass(frozen=True)
class Schedule:
    trigger: CronTrigger
    tz: ZoneInfo
    followup: timedelta
    grace: timedelta

    def slots_between(self, start: datetime, end: datetime, holidays: set[date]) -> Iterator[Slot]:
        """Every cron slot with nominal time in (start, end], moved past holidays."""
        previous = None
        moment = start.astimezone(self.tz)
        while True:
            fire = self.trigger.get_next_fire_time(previous, moment)
            if fire is None or fire > end:
                return
            if fire > start:
                yield Slot(fire, next_working_day_time(fire, holidays))
            previous, moment = fire, fire + timedelta(seconds=1)

    def due_now(self, now: datetime, holidays: set[date]) -> list[tuple[str, Slot, datetime]]:
        """(kind, slot, due time): for each of first reminder and follow-up, the newest due now and within grace.

        Only the newest of each kind: after downtime a per-minute cron would otherwise owe one run per minute
        of the grace period (720 runs, each with its digest), and the older ones say nothing the newest does not.
        """
        newest: dict[str, tuple[str, Slot, datetime]] = {}
        start = now - self.grace - self.followup - max_shift(holidays) - timedelta(minutes=1)
        for slot in self.slots_between(start, now, holidays):
            for kind, due in (("first", slot.due), ("followup", slot.due + self.followup)):
                if kind == "followup" and not self.followup:
                    continue
                if due <= now <= due + self.grace and (kind not in newest or due >= newest[kind][2]):
                    newest[kind] = (kind, slot, due)
        return [newest[kind] for kind in ("first", "followup") if kind in newest]

    def next_due(self, now: datetime, holidays: set[date]) -> datetime | None:
        """When the next first reminder goes out (WIB), after holidays."""
        best = None
        for slot in self.slots_between(now - max_shift(holidays) - timedelta(minutes=1), now + LOOKBACK, holidays):
            if best is not None and slot.nominal > best:
                break  # slots come in nominal order and a holiday only moves one later: none can beat `best`
            if slot.due > now and (best is None or slot.due < best):
                best = slot.due
        return best


def max_shift(holidays: set[date]) -> timedelta:
    """The furthest a holiday moves a slot: from the holiday to the next working day."""
    shifts = [
        next_working_day_time(datetime.combine(day, time()), holidays) - datetime.combine(day, time())
        for day in holidays
    ]
    return max(shifts, default=timedelta(0))


@dataclass(frozen=True)
class Plain:
    """A crontab line as people read it: which weekdays (None: every day) and the clock time."""

    weekdays: tuple[int, ...] | None  # 0 = Monday, as bot.dates.DAYS counts
    hour: int
    minute: int


def plain(expression: str) -> Plain | None:
    """'0 9 * * 5' → Friday 09.00; None for a line that is not one time on some weekdays (shown as written)."""
    fields = expression.split()
    if len(fields) != 5 or fields[2:4] != ["*", "*"] or not (fields[0].isdigit() and fields[1].isdigit()):
        return None
    minute, hour, weekday = int(fields[0]), int(fields[1]), fields[4]
    if minute > 59 or hour > 23:
        return None
    if weekday == "*":
        return Plain(None, hour, minute)
    days: set[int] = set()
    for part in weekday.split(","):
        bounds = part.split("-")
        if not all(b.isdigit() and int(b) <= 7 for b in bounds) or len(bounds) > 2:
            return None
        first, last = int(bounds[0]), int(bounds[-1])
        if first > last:
            return None
        days.update((n - 1) % 7 for n in range(first, last + 1))  # crontab 0 and 7 = Sunday
    return Plain(tuple(sorted(days)), hour, minute)
