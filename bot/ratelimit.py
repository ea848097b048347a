"""Pacing every send to stay inside Telegram's flood limits, so a 429 is a surprise rather than the plan.

Telegram allows about 30 messages per second overall, 20 per minute into one group and about one a second into one
private chat, with short bursts over it (LIMITS.md, section 3), and counts them when they arrive. We send evenly
spaced, never in bursts: a burst that just fits our own window can arrive a few milliseconds compressed and overflow
Telegram's (seen in bench/broadcast.py). On top of the spacing, sliding windows of our own sends stay one message
under each limit. A private chat may take PRIVATE_BURST messages at once (a reply and the next question, a few
copies), then one a second: fifty report copies for one admin arrive over fifty seconds instead of as thirty 429s. A
send that Telegram answered with a 5xx never reached a chat, so its place in the windows is given back. A 429 holds
back only the chat it came for (or, for a call into no chat, that method), for as long as Telegram asked, and the
send is tried again then: a RetryAfter never reaches the caller, so no handler and no outbox row has to know about
floods. python-telegram-bot's AIORateLimiter uses leaky buckets that let a burst of twice the rate through at first.
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
PRIVATE_INTERVAL = 1.0  # seconds between messages into one private chat, once its burst is used
PRIVATE_BURST = 10

# Methods that put a message into a chat; edits, answers and reads are not counted by Telegram's send limits.
_SENDING = frozenset({"copyMessage", "copyMessages", "forwardMessage", "forwardMessages"})


def counts_as_send(endpoint: str) -> bool:
    return (endpoint.startswith("send") and endpoint != "sendChatAction") or endpoint in _SENDING


@dataclass(frozen=True)
class Slot:
    """A counted send: when it left, and to which chat (a group: negative id or @name; None: no chat)."""

    at: float
    chat: int | str | None

    @property
    def group(self) -> int | str | None:
        return self.chat if is_group(self.chat) else None


class Windows:
    """Even spacing of 1/`overall` s, at most `overall` sends per second and `per_group` per minute per group."""

    def __init__(
        self,
        overall: int,
        per_group: int,
        clock: Callable[[], float],
        private_interval: float = PRIVATE_INTERVAL,
        private_burst: int = PRIVATE_BURST,
    ) -> None:
        self.overall, self.per_group, self.clock = overall, per_group, clock
        self.private_interval, self.private_burst = private_interval, private_burst
        # Attempts are spaced a little tighter than the window allows successes: a send answered 5xx gives its
        # window slot back, and the next attempt may use it without the broadcast slowing down.
        self.spacing = 1.0 / (overall * SPACING_HEADROOM)
        self._all: deque[float] = deque()
        self._groups: dict[int | str, deque[float]] = defaultdict(deque)
        # Private chats: GCRA (a token bucket kept as one number): the moment the chat's allowance is back to
        # full. A send fits while that moment is at most (burst - 1) intervals ahead.
        self._private_full_at: dict[int, float] = {}
        self.paused_until = 0.0  # everything: the quiet start after a restart
        self._held: dict[int | str, float] = {}  # a chat or a method Telegram answered 429 for, until when

    def wait_time(self, chat: int | str | None) -> float:
        """Seconds until a send to `chat` fits the spacing and every window."""
        now = self.clock()
        waits = [self.paused_until - now, _wait(self._all, self.overall, 1.0, now), self.chat_wait(chat)]
        if self._all:
            waits.append(self._all[-1] + self.spacing - now)
        return max(0.0, *waits)

    def chat_wait(self, chat: int | str | None) -> float:
        """Seconds until this chat's own limits (and a 429 for it) let one more message in."""
        if chat is None:
            return 0.0
        now = self.clock()
        waits = [self._held.get(chat, 0.0) - now]
        if is_group(chat):
            waits.append(_wait(self._groups[chat], self.per_group, 60.0, now))
        else:
            full_at = self._private_full_at.get(chat, now)  # type: ignore[arg-type]
            waits.append(full_at - (self.private_burst - 1) * self.private_interval - now)
        return max(0.0, *waits)

    def record(self, chat: int | str | None) -> Slot:
        slot = Slot(self.clock(), chat)
        self._all.append(slot.at)
        if slot.group is not None:
            self._groups[slot.group].append(slot.at)
        elif isinstance(chat, int):
            self._prune_private(slot.at)
            full_at = max(self._private_full_at.get(chat, slot.at), slot.at)
            self._private_full_at[chat] = full_at + self.private_interval
        return slot

    def give_back(self, slot: Slot) -> None:
        """The send did not reach a chat (a 5xx, a 429): it no longer counts against any window."""
        _discard(self._all, slot.at)
        if slot.group is not None:
            _discard(self._groups[slot.group], slot.at)
        elif isinstance(slot.chat, int) and slot.chat in self._private_full_at:
            self._private_full_at[slot.chat] -= self.private_interval

    def pause(self, seconds: float) -> None:
        """Nothing goes out for `seconds` (the quiet start)."""
        self.paused_until = max(self.paused_until, self.clock() + seconds)

    def hold(self, key: int | str, seconds: float) -> None:
        """Telegram answered 429 for this chat (or method): it alone waits as long as Telegram asked."""
        self._held[key] = max(self._held.get(key, 0.0), self.clock() + seconds)

    def held_for(self, key: int | str) -> float:
        return max(0.0, self._held.get(key, 0.0) - self.clock())

    def _prune_private(self, now: float) -> None:
        # A chat whose allowance is full again needs no entry; without pruning a year of chats would pile up.
        if len(self._private_full_at) > 1000:
            self._private_full_at = {c: t for c, t in self._private_full_at.items() if t > now}


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


def chat_of(data: dict[str, Any]) -> int | str | None:
    """The chat a request goes to (an id, or an @username), or None for a call into no chat."""
    chat_id = data.get("chat_id")
    if isinstance(chat_id, str):
        try:
            return int(chat_id)
        except ValueError:
            return chat_id  # @channelusername
    return chat_id if isinstance(chat_id, int) else None


def is_group(chat: int | str | None) -> bool:
    """Groups, supergroups and channels: negative ids and @usernames; private chats have positive ids."""
    return isinstance(chat, str) or (isinstance(chat, int) and chat < 0)


class FloodLimiter(BaseRateLimiter[None]):
    """The bot's rate limiter: waits for room in the windows; on a 429 holds that chat back, then tries again."""

    def __init__(
        self,
        *,
        overall_per_second: int = OVERALL_PER_SECOND,
        group_per_minute: int = GROUP_PER_MINUTE,
        private_interval: float = PRIVATE_INTERVAL,
        private_burst: int = PRIVATE_BURST,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        pacing: bool = True,
        quiet_start: float = 1.0,
    ) -> None:
        # Without pacing only 429s are handled (hold, retry): for a Bot API server without flood limits.
        self.pacing = pacing
        self.windows = Windows(overall_per_second, group_per_minute, clock, private_interval, private_burst)
        # A process that was just killed may have used this second's allowance: the first send waits it out
        # (a 429 right after a restart, seen in bench/broadcast's kill run).
        self.windows.pause(quiet_start)
        self._sleep = sleep
        self.retry_after_count = 0

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def acquire(self, chat: int | str | None) -> Slot:
        """Wait until one more send fits, then count it (no await between the check and the count)."""
        while (delay := self.windows.wait_time(chat)) > 0:
            await self._sleep(delay)
        return self.windows.record(chat)

    def ready_in(self, chat_id: int) -> float:
        """Seconds before a message to this chat could go out (its own limits and 429s; 0: now)."""
        return self.windows.chat_wait(chat_id) if self.pacing else self.windows.held_for(chat_id)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        sending = counts_as_send(endpoint)
        chat = chat_of(data) if sending else None
        held = chat if chat is not None else endpoint  # what a 429 holds back
        while True:
            if self.pacing and sending:
                slot: Slot | None = await self.acquire(chat)
            else:
                slot = None
                while (delay := self.windows.held_for(held)) > 0:
                    await self._sleep(delay)
            try:
                return await callback(*args, **kwargs)
            except NetworkError as exc:
                # Exactly NetworkError is a 5xx or a lost connection: Telegram did not take the message. Its
                # subclasses (BadRequest, TimedOut...) may have been counted, so they keep their place.
                if slot is not None and type(exc) is NetworkError:
                    self.windows.give_back(slot)
                raise
            except RetryAfter as exc:
                # A 429 means the message was not taken, so sending it again cannot double it.
                if slot is not None:
                    self.windows.give_back(slot)
                self.retry_after_count += 1
                seconds = _seconds(exc.retry_after)
                logger.warning("Telegram flood control on %s to %s: holding it back for %s s", endpoint, held, seconds)
                self.windows.hold(held, seconds)


def _seconds(value: Any) -> float:
    """RetryAfter.retry_after is an int or a timedelta, depending on PTB's settings."""
    return float(value) if isinstance(value, int | float) else value.total_seconds()
