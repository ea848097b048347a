"""Error alerts for Dinsos without a flood: one per kind of error per window, the next one counts the rest.

A bug that hits every update (a broken table, a renamed field) would otherwise send the admins one message per
user action. A kind is whatever key the caller chooses (the error handler uses exception type and handler).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock

ALERT_WINDOW = timedelta(minutes=10)


@dataclass
class _Kind:
    last_sent: datetime
    held_back: int = 0


class AlertLimiter:
    """Decides, per kind of error, whether an alert goes out now; time comes from the injected clock."""

    def __init__(self, clock: Clock, window: timedelta = ALERT_WINDOW) -> None:
        self.clock = clock
        self.window = window
        self._kinds: dict[Hashable, _Kind] = {}

    def admit(self, kind: Hashable) -> int | None:
        """None: an alert of this kind went out within the window, so hold this one back (it is counted).

        Otherwise the alert goes out, and the result is how many of its kind were held back since the last one.
        """
        now = self.clock.now()
        seen = self._kinds.get(kind)
        if seen is not None and now - seen.last_sent < self.window:
            seen.held_back += 1
            return None
        self._kinds[kind] = _Kind(last_sent=now)
        return seen.held_back if seen is not None else 0
