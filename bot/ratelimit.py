"""Pacing every send to stay inside Telegram's flood limits, so a 429 is a surprise rather than the plan.

Telegram allows about 30 messages per second overall and 20 per minute into one group (LIMITS.md, section 3) and
counts them when they arrive. We keep sliding windows of our own sends one message under each limit: the spare
message absorbs jitter between when we send and when Telegram counts. python-telegram-bot's AIORateLimiter uses
leaky buckets that let a burst of twice the rate through at first, which trips Telegram's sliding windows.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

logger = logging.getLogger(__name__)

OVERALL_PER_SECOND = 29
GROUP_PER_MINUTE = 19

# Methods that put a message into a chat; edits, answers and reads are not counted by Telegram's send limits.
_SENDING = frozenset({"copyMessage", "copyMessages", "forwardMessage", "forwardMessages"})


def counts_as_send(endpoint: str) -> bool:
    return (endpoint.startswith("send") and endpoint != "sendChatAction") or endpoint in _SENDING


class Windows:
    """Sliding windows over one clock: at most `overall` sends per second, `per_group` per minute per group."""

    def __init__(self, overall: int, per_group: int, clock: Callable[[], float]) -> None:
        self.overall, self.per_group, self.clock = overall, per_group, clock
        self._all: deque[float] = deque()
        self._groups: dict[int | str, deque[float]] = defaultdict(deque)
        self.paused_until = 0.0

    def wait_time(self, group: int | str | None) -> float:
        """Seconds until a send to `group` (None: a private chat) fits every window."""
        now = self.clock()
        waits = [self.paused_until - now, _wait(self._all, self.overall, 1.0, now)]
        if group is not None:
            waits.append(_wait(self._groups[group], self.per_group, 60.0, now))
        return max(0.0, *waits)

    def record(self, group: int | str | None) -> None:
        now = self.clock()
        self._all.append(now)
        if group is not None:
            self._groups[group].append(now)

    def pause(self, seconds: float) -> None:
        """Telegram said wait: nothing goes out before then (its flood wait is per bot, not per chat)."""
        self.paused_until = max(self.paused_until, self.clock() + seconds)


def _wait(events: deque[float], limit: int, window: float, now: float) -> float:
    while events and events[0] <= now - window:
        events.popleft()
    if len(events) < limit:
        return 0.0
    return events[-limit] + window - now


def group_of(data: dict[str, Any]) -> int | str | None:
    """The group a request goes to (negative ids and @usernames), or None for a private chat or no chat."""
    chat_id = data.get("chat_id")
    if isinstance(chat_id, str):
        try:
            chat_id = int(chat_id)
        except ValueError:
            return chat_id  # @channelusername
    if isinstance(chat_id, int) and chat_id < 0:
        return chat_id
    return None


class FloodLimiter(BaseRateLimiter[None]):
    """The bot's rate limiter: waits for room in the windows; on a 429 pauses all sends and tries again."""

    def __init__(
        self,
        *,
        overall_per_second: int = OVERALL_PER_SECOND,
        group_per_minute: int = GROUP_PER_MINUTE,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        max_retries: int = 2,
        pacing: bool = True,
    ) -> None:
        self.max_retries = max_retries
        # Without pacing only 429s are handled (pause, retry): for a Bot API server without flood limits.
        self.pacing = pacing
        self.windows = Windows(overall_per_second, group_per_minute, clock)
        self._sleep = sleep
        self.retry_after_count = 0

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def acquire(self, group: int | str | None) -> None:
        """Wait until one more send fits, then count it (no await between the check and the count)."""
        while (delay := self.windows.wait_time(group)) > 0:
            await self._sleep(delay)
        self.windows.record(group)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        group = group_of(data) if counts_as_send(endpoint) else None
        for attempt in range(self.max_retries + 1):
            if self.pacing and counts_as_send(endpoint):
                await self.acquire(group)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                self.retry_after_count += 1
                seconds = _seconds(exc.retry_after)
                logger.warning("Telegram flood control on %s: pausing all sends for %s s", endpoint, seconds)
                self.windows.pause(seconds)
                # A 429 means the message was not taken, so sending it again cannot double it.
                if attempt == self.max_retries:
                    raise
        raise AssertionError("unreachable")


def _seconds(value: Any) -> float:
    """RetryAfter.retry_after is an int or a timedelta, depending on PTB's settings."""
    return float(value) if isinstance(value, int | float) else value.total_seconds()
