"""Telegram-style flood control: sliding windows over a clock that tests can replace.

Telegram publishes only approximate numbers (LIMITS.md section 3): about 30 messages per second overall
and 20 messages per minute into one group. The fake enforces exactly those, as sliding windows, and
answers 429 with ``retry_after`` = whole seconds until the window has room again.
Into one private chat Telegram asks for about one message a second and "may allow short bursts": the fake
lets PRIVATE_BURST through at once, then one per PRIVATE_INTERVAL (a token bucket).
"""

import logging
import math
import time
from collections import defaultdict, deque
from collections.abc import Callable, Hashable

logger = logging.getLogger(__name__)

Clock = Callable[[], float]

OVERALL_LIMIT = 30  # sends per OVERALL_WINDOW, all chats together
OVERALL_WINDOW = 1.0
GROUP_LIMIT = 20  # sends per GROUP_WINDOW into one group/supergroup
GROUP_WINDOW = 60.0
PRIVATE_BURST = 20  # sends into one private chat at once, before the one-a-second pace applies
PRIVATE_INTERVAL = 1.0


class SlidingWindow:
    """At most ``limit`` events per ``window`` seconds for each key."""

    def __init__(self, limit: int, window: float, clock: Clock = time.monotonic):
        self.limit = limit
        self.window = window
        self.clock = clock
        self._events: dict[Hashable, deque[float]] = defaultdict(deque)

    def _prune(self, key: Hashable, now: float) -> deque[float]:
        """Drop events that have left the window."""
        events = self._events[key]
        while events and events[0] <= now - self.window:
            events.popleft()
        return events

    def wait_time(self, key: Hashable = None) -> float:
        """Seconds until one more event fits (0.0 when it fits now)."""
        now = self.clock()
        events = self._prune(key, now)
        if len(events) < self.limit:
            return 0.0
        # The oldest event that must leave for the count to drop below the limit.
        return events[len(events) - self.limit] + self.window - now

    def record(self, key: Hashable = None) -> None:
        """Count one event now."""
        self._events[key].append(self.clock())

    def hit(self, key: Hashable = None) -> float:
        """Record an event if it fits and return 0.0, else return the wait without recording."""
        wait = self.wait_time(key)
        if wait <= 0:
            self.record(key)
        return wait


def retry_after_seconds(wait: float) -> int:
    """Telegram's retry_after: whole seconds, rounded up, at least 1."""
    return max(1, math.ceil(wait))


class TokenBucket:
    """``burst`` events at once per key, refilled at one per ``interval`` seconds."""

    def __init__(self, burst: int, interval: float, clock: Clock = time.monotonic):
        self.burst, self.interval, self.clock = burst, interval, clock
        self._tokens: dict[Hashable, tuple[float, float]] = {}  # key -> (tokens, when counted)

    def _now_tokens(self, key: Hashable) -> float:
        now = self.clock()
        tokens, at = self._tokens.get(key, (float(self.burst), now))
        return min(float(self.burst), tokens + (now - at) / self.interval)

    def wait_time(self, key: Hashable) -> float:
        """Seconds until one more event fits (0.0 when it fits now)."""
        return max(0.0, (1.0 - self._now_tokens(key)) * self.interval)

    def record(self, key: Hashable) -> None:
        self._tokens[key] = (self._now_tokens(key) - 1.0, self.clock())


class FloodControl:
    """The overall, per-group and per-private-chat limits together; a rejected send is not counted."""

    def __init__(self, clock: Clock = time.monotonic):
        self.overall = SlidingWindow(OVERALL_LIMIT, OVERALL_WINDOW, clock)
        self.per_group = SlidingWindow(GROUP_LIMIT, GROUP_WINDOW, clock)
        self.per_private = TokenBucket(PRIVATE_BURST, PRIVATE_INTERVAL, clock)

    def check_send(self, chat_id: int | None) -> int | None:
        """Record a send to ``chat_id``; return retry_after seconds if Telegram would answer 429."""
        in_group = isinstance(chat_id, int) and chat_id < 0
        in_private = isinstance(chat_id, int) and chat_id > 0
        wait = self.overall.wait_time()
        if in_group:
            wait = max(wait, self.per_group.wait_time(chat_id))
        if in_private:
            wait = max(wait, self.per_private.wait_time(chat_id))
        if wait > 0:
            return retry_after_seconds(wait)
        self.overall.record()
        if in_group:
            self.per_group.record(chat_id)
        if in_private:
            self.per_private.record(chat_id)
        return None
