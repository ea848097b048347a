"""Pacing every send to stay inside Telegram's flood limits, so a 429 is a surprise rather than the plan.

Telegram allows about 30 messages per second overall and 20 per minute into one group (LIMITS.md, section 3) and
counts them when they arrive, in sliding windows. We send evenly spaced, never in bursts: a burst that just fits
our own window can arrive a few milliseconds compressed and overflow Telegram's (seen in bench/broadcast.py).
On top of the spacing, sliding windows of our own sends stay one message under each limit.
A send that Telegram answered with a 5xx never reached a chat, so its place in the windows is given back.
python-telegram-bot's AIORateLimiter uses leaky buckets that let a burst of twice the rate through at first.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram.error import NetworkError, RetryAfter
from telegram.ext import BaseRateLimiter

logger = logging.getLogger(__name__)

OVERALL_PER_SECOND = 29
GROUP_PER_MINUTE = 19
SPACING_HEADROOM = 1.25  # attempts at up to 36/s; counted sends still at most 29 in any second

# Methods that put a message into a chat; edits, answers and reads are not counted by Telegram's send limits.
_SENDING = frozenset({"copyMessage", "copyMessages", "forwardMessage", "forwardMessages"})


def counts_as_send(endpoint: str) -> bool:
    return (endpoint.startswith("send") and endpoint != "sendChatAction") or endpoint in _SENDING


@dataclass(frozen=True)
class Slot:
    """A counted send: when it left, and to which group (None: a private chat)."""

    at: float
    group: int | str | None


class Windows:
    """Even spacing of 1/`overall` s, at most `overall` sends per second and `per_group` per minute per group."""

    def __init__(self, overall: int, per_group: int, clock: Callable[[], float]) -> None:
        self.overall, self.per_group, self.clock = overall, per_group, clock
        # Attempts are spaced a little tighter than the window allows successes: a send answered 5xx gives its
        # window slot back, and the next attempt may use it without the broadcast slowing down.
        self.spacing = 1.0 / (overall * SPACING_HEADROOM)
        self._all: deque[float] = deque()
        self._groups: dict[int | str, deque[float]] = defaultdict(deque)
        self.paused_until = 0.0

    def wait_time(self, group: int | str | None) -> float:
        """Seconds until a send to `group` fits the spacing and every window."""
        now = self.clock()
        waits = [self.paused_until - now, _wait(self._all, self.overall, 1.0, now)]
        if self._all:
            waits.append(self._all[-1] + self.spacing - now)
        if group is not None:
            waits.append(_wait(self._groups[group], self.per_group, 60.0, now))
        return max(0.0, *waits)

    def record(self, group: int | str | None) -> Slot:
        slot = Slot(self.clock(), group)
        self._all.append(slot.at)
        if group is not None:
            self._groups[group].append(slot.at)
        return slot

    def give_back(self, slot: Slot) -> None:
        """The send did not reach a chat (a 5xx): it no longer counts against any window."""
        _discard(self._all, slot.at)
        if slot.group is not None:
            _discard(self._groups[slot.group], slot.at)

    def pause(self, seconds: float) -> None:
        """Telegram said wait: nothing goes out before then (its flood wait is per bot, not per chat)."""
        self.paused_until = max(self.paused_until, self.clock() + seconds)


def _wait(events: deque[float], limit: int, window: float, now: float) -> float:
    while events and events[0] <= now - window:
        events.popleft()
    if len(events) < limit:
        return 0.0
    return events[-limit] + window - now


def _discard(events: deque[float], moment: float) -> None:
    try:
        events.remove(moment)
    except ValueError:
        pass  # already left the window


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
        quiet_start: float = 1.0,
    ) -> None:
        self.max_retries = max_retries
        # Without pacing only 429s are handled (pause, retry): for a Bot API server without flood limits.
        self.pacing = pacing
        self.windows = Windows(overall_per_second, group_per_minute, clock)
        # A process that was just killed may have used this second's allowance: the first send waits it out
        # (a 429 right after a restart, seen in bench/broadcast's kill run).
        self.windows.pause(quiet_start)
        self._sleep = sleep
        self.retry_after_count = 0

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def acquire(self, group: int | str | None) -> Slot:
        """Wait until one more send fits, then count it (no await between the check and the count)."""
        while (delay := self.windows.wait_time(group)) > 0:
            await self._sleep(delay)
        return self.windows.record(group)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        paced = self.pacing and counts_as_send(endpoint)
        group = group_of(data) if paced else None
        for attempt in range(self.max_retries + 1):
            slot = await self.acquire(group) if paced else None
            try:
                return await callback(*args, **kwargs)
            except NetworkError as exc:
                # Exactly NetworkError is a 5xx or a lost connection: Telegram did not take the message. Its
                # subclasses (BadRequest, TimedOut...) may have been counted, so they keep their place.
                if slot is not None and type(exc) is NetworkError:
                    self.windows.give_back(slot)
                raise
            except RetryAfter as exc:
                if slot is not None:
                    self.windows.give_back(slot)
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
