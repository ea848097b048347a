"""A fake Telegram Bot API server for end-to-end tests of the real bot over real HTTP.

Point python-telegram-bot at it with ``base_url=f"{fake.api_url}/bot"`` and
``base_file_url=f"{fake.api_url}/file/bot"``. Every request is checked against the Bot API spec
(bot_api_spec.py) before anything else; a violation is recorded in ``fake.violations`` and answered
with 400, so a test can assert ``fake.violations == []`` at the end. Usage::

    async with FakeTelegram() as fake:
        fake.add_user(1001, "Siti")
        fake.add_group(-4001, "KT Sumber", members={2001: "creator"})
        ...start the bot against fake.api_url...
        fake.user_starts_bot(1001)
        reply = await fake.wait_for_message(1001, lambda m: "Selamat" in m["text"])
        fake.press_button(1001, reply, "menu:daftar")

Module layout: world.py (users, chats, messages, files), user_actions.py (what users do, producing
updates), bot_methods.py (the Bot API methods), flood.py (429s), tg_html.py (HTML parse_mode).
"""

import asyncio
import logging
import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.support.bot_api_spec import UploadedFile, check_request, method_params
from tests.support.bot_methods import OPT_IN_UPDATES, BotApiMethods, Unsupported, client_connected
from tests.support.flood import Clock, FloodControl
from tests.support.user_actions import UserActions
from tests.support.world import ApiError, World, snapshot

logger = logging.getLogger(__name__)

# Methods that send a message (flood control and sent_to() look at these).
SEND_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendVideo",
        "sendAudio",
        "sendVoice",
        "sendAnimation",
        "sendSticker",
        "sendMediaGroup",
        "sendLocation",
        "sendContact",
        "sendPoll",
        "sendDice",
        "sendVenue",
        "sendVideoNote",
        "copyMessage",
        "copyMessages",
        "forwardMessage",
        "forwardMessages",
    }
)


@dataclass
class RecordedRequest:
    """One Bot API call the server answered: decoded params and the JSON envelope sent back."""

    method: str
    params: dict[str, Any]
    response: dict[str, Any]
    status: int

    @property
    def ok(self) -> bool:
        """The call succeeded."""
        return bool(self.response.get("ok"))

    @property
    def result(self) -> Any:
        """The result of a successful call (None otherwise)."""
        return self.response.get("result")

    @property
    def description(self) -> str | None:
        """The error description of a failed call."""
        return self.response.get("description")


@dataclass
class _Injection:
    """An error fail_next() will answer instead of serving the call."""

    method: str
    error: ApiError
    remaining: int
    chat_id: int | str | None


@dataclass
class _Delay:
    """A hang delay_next() will serve before answering the call."""

    method: str
    seconds: float
    remaining: int


def _error(error: ApiError) -> dict:
    """Telegram's error envelope."""
    envelope = {"ok": False, "error_code": error.error_code, "description": error.description}
    if error.parameters:
        envelope["parameters"] = dict(error.parameters)
    return envelope


async def _read_params(request: web.Request) -> dict[str, Any]:
    """Query string plus a form, multipart or JSON body; file parts become UploadedFile."""
    params: dict[str, Any] = dict(request.query)
    if not request.can_read_body:
        return params
    if request.content_type == "multipart/form-data":
        reader = await request.multipart()
        async for part in reader:
            if part.filename is not None:
                data = bytes(await part.read(decode=False))
                params[part.name] = UploadedFile(part.name, part.filename, part.headers.get("Content-Type"), data)
            else:
                params[part.name] = await part.text()
    elif request.content_type == "application/json":
        body = await request.json()
        if not isinstance(body, dict):
            raise ApiError(400, "Bad Request: request body must be a JSON object")
        params.update(body)
    else:
        params.update(await request.post())
    return params


class FakeTelegram(BotApiMethods, UserActions):
    """The fake server: world + Bot API + recording. Use ``async with FakeTelegram() as fake:``."""

    def __init__(
        self,
        *,
        token: str = "123456:TEST",
        bot_user_id: int = 999000,
        bot_username: str = "dinsos_kt_bot",
        flood_control: bool = True,
        clock: Clock = time.monotonic,
        port: int = 0,
    ):
        self.token = token
        self.world = World(
            {
                "id": bot_user_id,
                "is_bot": True,
                "first_name": "Dinsos Karang Taruna",
                "username": bot_username,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
                "can_connect_to_business": False,
                "has_main_web_app": False,
            }
        )
        self.requests: list[RecordedRequest] = []
        self.violations: list[str] = []
        # Messages Telegram kept from the bot (privacy mode, bot not in the group), and {kind: payload}
        # for updates that allowed_updates filtered out.
        self.undelivered: list[dict] = []
        self.chat_actions: list[tuple[int, str]] = []
        self.flood: FloodControl | None = FloodControl(clock) if flood_control else None
        self.flood_429_count = 0
        self._injections: list[_Injection] = []
        self._delays: list[_Delay] = []
        self._random: tuple[random.Random, float, ApiError] | None = None
        self.random_failures_served = 0
        self._pending_updates: list[dict] = []
        self._redeliveries: list[dict] = []  # see redeliver()
        self._next_update_id = 700_000_001
        self._updates_signal = asyncio.Event()
        self._poll_generation = 0
        self.polls_waiting = 0  # getUpdates calls currently long-polling
        self._allowed_updates: list[str] | None = None
        self._webhook_url = ""
        self._commands: dict[tuple, list[dict]] = {}
        self._callback_queries: dict[str, dict] = {}
        self._activity = asyncio.Condition()
        self._seen: dict[int, set[int]] = defaultdict(set)
        self._tasks: set[asyncio.Task] = set()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._listen_port = port  # 0: any free port; a fixed one lets a test start the bot before the server

    # ------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Listen on 127.0.0.1 on a free port."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_route("*", "/{tail:.*}", self._handle_unknown_path)
        # A short shutdown_timeout: stop() must not wait for keep-alive connections of the bot.
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self._listen_port)
        await site.start()
        self._port = self._runner.addresses[0][1]
        logger.info("fake Telegram listening on %s", self.api_url)

    async def stop(self) -> None:
        """Release long polls at once, then close the server."""
        self._closing = True
        self._updates_signal.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> "FakeTelegram":
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def api_url(self) -> str:
        """http://127.0.0.1:PORT (append /bot or /file/bot for PTB's base URLs)."""
        if self._port is None:
            raise RuntimeError("FakeTelegram is not started")
        return f"http://127.0.0.1:{self._port}"

    # ------------------------------------------------------------ HTTP

    async def _handle_api(self, request: web.Request) -> web.Response:
        """Every Bot API call: parse, validate, maybe fail/flood, serve, record, notify."""
        method = request.match_info["method"]
        client_connected.set(lambda: request.transport is not None and not request.transport.is_closing())
        try:
            raw = await _read_params(request)
        except ApiError as exc:
            raw, status, envelope = {}, exc.error_code, _error(exc)
        except ValueError as exc:
            raw, status, envelope = {}, 400, _error(ApiError(400, f"Bad Request: can't parse request: {exc}"))
        else:
            if request.match_info["token"] != self.token:
                self._violation(method, "wrong bot token in URL")
                status, envelope = 401, _error(ApiError(401, "Unauthorized"))
            else:
                raw, status, envelope = await self._process(method, raw)
        self.requests.append(RecordedRequest(method, raw, envelope, status))
        await self._notify()
        return web.json_response(envelope, status=status)

    async def _process(self, method: str, raw: dict[str, Any]) -> tuple[dict[str, Any], int, dict]:
        """Validate and serve one call; returns (decoded params, HTTP status, envelope)."""
        if method_params(method) is None:
            for problem in check_request(method, raw).problems:
                self._violation(method, problem.message)
            error = ApiError(404, "Not Found: method not found")
            return raw, 404, _error(error)
        checked = check_request(method, raw)
        params = checked.params
        if checked.problems:
            for problem in checked.problems:
                self._violation(method, problem.message)
            error = ApiError(400, f"Bad Request: {checked.problems[0].telegram_description}")
            return params, 400, _error(error)
        try:
            result = await self._serve(method, params)
        except Unsupported as exc:
            self._violation(method, exc.description)
            return params, exc.error_code, _error(exc)
        except ApiError as exc:
            logger.info("%s -> %s %s", method, exc.error_code, exc.description)
            return params, exc.error_code, _error(exc)
        return params, 200, {"ok": True, "result": result}

    async def _serve(self, method: str, params: dict[str, Any]) -> Any:
        """Injected delays and failures, flood control, then the method itself."""
        await self._take_delay(method)
        injected = self._take_injection(method, params) or self._random_failure(method)
        if injected is not None:
            raise injected
        if self.flood is not None and method in SEND_METHODS:
            chat_id = params.get("chat_id")
            retry_after = self.flood.check_send(chat_id if isinstance(chat_id, int) else None)
            if retry_after is not None:
                self.flood_429_count += 1
                raise ApiError(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})
        handler = getattr(self, f"api_{method}", None)
        if handler is None:
            raise Unsupported(method)
        return await handler(params)

    async def _handle_file(self, request: web.Request) -> web.Response:
        """Downloads of files getFile returned."""
        if request.match_info["token"] != self.token:
            return web.json_response(_error(ApiError(401, "Unauthorized")), status=401)
        stored = self.world.files_by_path.get(request.match_info["path"])
        if stored is None:
            return web.json_response(_error(ApiError(404, "Not Found")), status=404)
        return web.Response(body=stored.data, content_type=stored.mime_type or "application/octet-stream")

    async def _handle_unknown_path(self, request: web.Request) -> web.Response:
        """Anything else: Telegram's plain 404 envelope."""
        self.violations.append(f"{request.method} {request.path}: not a Bot API URL")
        return web.json_response(_error(ApiError(404, "Not Found")), status=404)

    def _violation(self, method: str, problem: str) -> None:
        """Record a spec violation (the test should fail on it)."""
        logger.warning("Bot API violation: %s: %s", method, problem)
        self.violations.append(f"{method}: {problem}")

    # ------------------------------------------------------------ updates

    def _queue_update(self, kind: str, payload: dict) -> dict | None:
        """Queue an Update for getUpdates unless allowed_updates filters it out."""
        allowed = self._allowed_updates
        if (allowed and kind not in allowed) or (not allowed and kind in OPT_IN_UPDATES):
            self.undelivered.append({kind: snapshot(payload)})
            return None
        update = self._make_update(kind, payload)
        self._pending_updates.append(update)
        self._wake_pollers()
        return snapshot(update)

    def _make_update(self, kind: str, payload: dict) -> dict:
        """An Update with the next update_id (ids increase one by one, as on Telegram)."""
        update = {"update_id": self._next_update_id, kind: snapshot(payload)}
        self._next_update_id += 1
        return update

    def _wake_pollers(self) -> None:
        """Wake long polls: set the current event and start a fresh one for the next wait."""
        self._updates_signal.set()
        self._updates_signal = asyncio.Event()
        self._poke()

    def redeliver(self, update: dict) -> None:
        """Telegram sends an update again (same update_id) in the next getUpdates answer, whatever offset."""
        self._redeliveries.append(snapshot(update))
        self._wake_pollers()

    def deliver_raw(self, kind: str, payload: dict) -> dict | None:
        """Queue an update of any kind exactly as given (for robustness tests with odd updates)."""
        return self._queue_update(kind, payload)

    def drop_pending_updates(self) -> list[dict]:
        """Forget queued updates, as Telegram does after 24 hours; returns what was dropped."""
        dropped = [snapshot(u) for u in self._pending_updates]
        self._pending_updates.clear()
        return dropped

    def pending_updates(self) -> list[dict]:
        """Updates queued and not yet confirmed by a getUpdates offset."""
        return [snapshot(u) for u in self._pending_updates]

    # ------------------------------------------------------------ waiting (event-driven, never polling)

    async def _notify(self) -> None:
        """Wake everything waiting in wait_for / wait_for_message."""
        async with self._activity:
            self._activity.notify_all()

    def _poke(self) -> None:
        """_notify from synchronous code (user actions), when a loop is running."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        task = loop.create_task(self._notify())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # A timeout parameter (not asyncio.timeout around the call) so a miss fails with a useful message.
    async def wait_for(self, predicate: Callable[[], bool], *, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until predicate() is true; it is re-checked after every request the server handles."""
        try:
            async with self._activity:
                await asyncio.wait_for(self._activity.wait_for(predicate), timeout)
        except TimeoutError:
            raise AssertionError(f"condition not met within {timeout}s\n{self.describe()}") from None

    async def wait_for_message(
        self,
        chat_id: int,
        predicate: Callable[[dict], bool] | None = None,
        *,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> dict:
        """The oldest bot message in the chat not yet returned by this method that matches predicate."""
        seen = self._seen[chat_id]
        found: list[dict] = []

        def ready() -> bool:
            for message in self.world.bot_messages(chat_id):
                if message["message_id"] not in seen and (predicate is None or predicate(message)):
                    found.append(message)
                    return True
            return False

        try:
            async with self._activity:
                await asyncio.wait_for(self._activity.wait_for(ready), timeout)
        except TimeoutError:
            raise AssertionError(
                f"no new bot message{' matching the predicate' if predicate else ''} in chat {chat_id} "
                f"within {timeout}s\n{self.describe(chat_id)}"
            ) from None
        seen.add(found[-1]["message_id"])
        return snapshot(found[-1])

    def describe(self, chat_id: int | None = None) -> str:
        """A debugging summary: recent bot messages, recent calls and violations."""
        lines = []
        if chat_id is not None:
            lines.append(f"bot messages in {chat_id} (newest last):")
            lines += [f"  #{m['message_id']}: {_summary(m)}" for m in self.world.bot_messages(chat_id)[-8:]]
        lines.append("last requests:")
        for record in [r for r in self.requests if r.method != "getUpdates"][-8:]:
            outcome = "ok" if record.ok else f"{record.status} {record.description}"
            lines.append(f"  {record.method}({_short_params(record.params)}) -> {outcome}")
        if self.violations:
            lines.append(f"violations: {self.violations}")
        return "\n".join(lines)

    # ------------------------------------------------------------ inspection helpers

    def messages(self, chat_id: int) -> list[dict]:
        """The bot's messages currently in a chat (edited state, deleted ones gone), oldest first."""
        return [snapshot(m) for m in self.world.bot_messages(chat_id)]

    def sent_to(self, chat_id: int) -> list[RecordedRequest]:
        """Every send-like call to a chat, failed attempts included."""
        return [r for r in self.requests if r.method in SEND_METHODS and _same_chat(r.params.get("chat_id"), chat_id)]

    def calls(self, method: str) -> list[RecordedRequest]:
        """Every recorded call of one method."""
        return [r for r in self.requests if r.method == method]

    def unanswered_callback_queries(self) -> list[str]:
        """Ids of callback queries the bot has not answered (clients show a spinner for those)."""
        return [qid for qid, q in self._callback_queries.items() if not q["answered"]]

    def callback_answer(self, query_id: str) -> dict | None:
        """The answerCallbackQuery params the bot used for a query (None if unanswered)."""
        return self._callback_queries[query_id]["answer"]

    def reply_keyboard(self, chat_id: int) -> dict | None:
        """The reply keyboard (or ForceReply) the user currently sees in a chat."""
        return self.world.chat(chat_id).reply_keyboard

    def commands(self, scope: dict | None = None, language_code: str = "") -> list[dict]:
        """Commands set with setMyCommands for a scope (Bot API dict form) and language."""
        return [dict(c) for c in self._commands.get((self._scope_key(scope, check=False), language_code), [])]

    def file_data(self, file_id: str) -> bytes:
        """Content of a stored file (what the bot uploaded or a user sent)."""
        return self.world.files[file_id].data

    def bot_status(self, chat_id: int) -> str:
        """The bot's membership status in a group (or 'kicked' for a private chat that blocked it)."""
        return self.world.member_status(self.world.chat(chat_id), self.world.bot_user["id"])

    # ------------------------------------------------------------ fault injection

    def fail_next(
        self,
        method: str,
        *,
        error_code: int,
        description: str,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
        times: int = 1,
        chat_id: int | str | None = None,
    ) -> None:
        """Answer the next ``times`` valid calls of ``method`` (to ``chat_id`` if given) with an error."""
        if method_params(method) is None:
            raise ValueError(f"{method!r} is not a Bot API method")
        parameters = {}
        if retry_after is not None:
            parameters["retry_after"] = retry_after
        if migrate_to_chat_id is not None:
            parameters["migrate_to_chat_id"] = migrate_to_chat_id
        error = ApiError(error_code, description, parameters or None)
        self._injections.append(_Injection(method, error, times, chat_id))

    def delay_next(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Answer the next ``times`` valid calls of ``method`` only after ``seconds``, as a Telegram that hangs: a
        client that times out first has gone, but the call is still served (Telegram may act on a call whose
        answer never arrives)."""
        if method_params(method) is None:
            raise ValueError(f"{method!r} is not a Bot API method")
        self._delays.append(_Delay(method, seconds, times))

    async def _take_delay(self, method: str) -> None:
        """Wait out the first delay_next() for this method, consuming one use of it."""
        for delay in self._delays:
            if delay.method == method:
                delay.remaining -= 1
                if delay.remaining <= 0:
                    self._delays.remove(delay)
                await asyncio.sleep(delay.seconds)  # the hang itself: nothing can end it early
                return

    def fail_randomly(
        self, rate: float, *, error_code: int = 502, description: str = "Bad Gateway", seed: int = 0
    ) -> None:
        """Answer a share ``rate`` of send calls with an error (not delivered), drawn from a seeded generator."""
        self._random = (random.Random(seed), rate, ApiError(error_code, description))

    def _random_failure(self, method: str) -> ApiError | None:
        if self._random is None or method not in SEND_METHODS:
            return None
        generator, rate, error = self._random
        if generator.random() >= rate:
            return None
        self.random_failures_served += 1
        return error

    def _take_injection(self, method: str, params: dict[str, Any]) -> ApiError | None:
        """The first matching injected error, consuming one use of it."""
        for injection in self._injections:
            if injection.method == method and (
                injection.chat_id is None or _same_chat(params.get("chat_id"), injection.chat_id)
            ):
                injection.remaining -= 1
                if injection.remaining <= 0:
                    self._injections.remove(injection)
                return injection.error
        return None


def _same_chat(a: Any, b: Any) -> bool:
    """chat_id values compare as strings (PTB may send ints or '@names')."""
    return a is not None and str(a) == str(b)


def _summary(message: dict) -> str:
    """One line for a message in failure output."""
    text = message.get("text") or message.get("caption") or "/".join(k for k in message if k not in ("from", "chat"))
    buttons = [b.get("text") for row in message.get("reply_markup", {}).get("inline_keyboard", []) for b in row]
    return repr(text[:120]) + (f" buttons={buttons}" if buttons else "")


def _short_params(params: dict[str, Any]) -> str:
    """Params for failure output, long values cut."""
    parts = []
    for key, value in params.items():
        text = repr(value)
        parts.append(f"{key}={text if len(text) < 60 else text[:57] + '...'}")
    return ", ".join(parts)
