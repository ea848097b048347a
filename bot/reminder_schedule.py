"""When weekly reminders are due: REMINDER_CRON slots in WIB, moved past holidays, within a grace period.

APScheduler's CronTrigger does the cron arithmetic. Its day-of-week numbers are not crontab's (APScheduler
counts 0 = Monday, crontab 0 = Sunday), so the day-of-week field is rewritten with day names first: "0 9 * * 5"
means Friday 09.00, as anyone who knows crontab expects.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

_DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")
LOOKBACK = timedelta(days=21)


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
        """(kind, slot, due time) for every first reminder or follow-up due now and still within grace."""
        found = []
        for slot in self._recent(now, holidays):
            for kind, due in (("first", slot.due), ("followup", slot.due + self.followup)):
                if kind == "followup" and not self.followup:
                    continue
                if due <= now <= due + self.grace:
                    found.append((kind, slot, due))
        return found

    def _recent(self, now: datetime, holidays: set[date]) -> Iterator[Slot]:
        # Nominal times may lie before `now` while the holiday-moved time is after: look back far enough.
        return self.slots_between(now - LOOKBACK, now + LOOKBACK, holidays)

    def next_due(self, now: datetime, holidays: set[date]) -> datetime | None:
        """When the next first reminder goes out (WIB), after holidays."""
        upcoming = [s.due for s in self._recent(now, holidays) if s.due > now]
        return min(upcoming) if upcoming else None


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
