"""Headers on every response, and the session and permission every page but the login ones requires."""

from __future__ import annotations

import functools
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from telegram import User

from bot.context import BotContext
from bot.program_kerja.pengurus import is_pengurus
from storage import dashboard
from storage.dashboard import Session
from web.access import allowed, refusal
from web.auth import SESSION_COOKIE, same, token_hash

if TYPE_CHECKING:
    from web.app import Dashboard

# Only our own files; no inline script or style, so an injected <script> or style attribute does nothing.
# frame-ancestors: the Mini App runs in an iframe only in Telegram's web clients (web.telegram.org/k and /a);
# Desktop and phones open it in their own web view, where this does not apply.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'self' https://web.telegram.org"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    # Login links carry their token in the path: never pass an address on to another site.
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class SecurityHeaders:
    """Pure ASGI middleware: adds HEADERS, Server-Timing, and no-store to everything but the static files."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")
        started = time.perf_counter()

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", [])) + HEADERS
                # How long the server took for the page (browser dev tools show it; bench/dashboard reads it).
                elapsed = 1000 * (time.perf_counter() - started)
                headers.append((b"server-timing", f"app;dur={elapsed:.1f}".encode()))
                # Pages are never kept by a browser or proxy; a photo says itself how long it may be kept privately.
                if not static and not any(name.lower() == b"cache-control" for name, _ in headers):
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


Page = Callable[[Request, Session], Awaitable[Response]]


def dash_of(request: Request) -> Dashboard:
    return request.app.state.dash


async def current_session(request: Request) -> Session | None:
    """The live session, or None; a Dinsos admin's session of someone no longer in ADMIN_IDS ends here (a
    pengurus session never depended on ADMIN_IDS: it is bound to its kecamatan)."""
    dash = dash_of(request)
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    session = await dashboard.live_session(dash.reads, token_hash(cookie), now=dash.now())
    if session is not None and session.kecamatan_code is None and session.admin_id not in dash.config.admin_ids:
        await dashboard.end_session(dash.db, token_hash(cookie), now=dash.now())
        return None
    return session


async def _still_pengurus(request: Request, session: Session) -> bool:
    """Before a pengurus changes anything, Telegram is asked again (as the chat does at every press): someone who
    stopped being an admin of the group an hour ago must not go on editing its plan with the session they had.
    If not, the session ends."""
    dash = dash_of(request)
    assert session.kecamatan_code is not None
    context = BotContext(dash.bot_app)
    person = User(session.admin_id, session.admin_name, False)
    if await is_pengurus(context, person, session.kecamatan_code):
        return True
    await dashboard.end_session(dash.db, token_hash(request.cookies[SESSION_COOKIE]), now=dash.now())
    return False


def needs(action: str) -> Callable[[Page], Callable[[Request], Awaitable[Response]]]:
    """No page, photo or file without a session that web.access allows `action` (for a pengurus: on its own
    kecamatan, the only one its pages show); a POST also needs the session's CSRF token."""

    def guard(page: Page) -> Callable[[Request], Awaitable[Response]]:
        @functools.wraps(page)
        async def guarded(request: Request) -> Response:
            dash = dash_of(request)
            session = await current_session(request)
            if session is None:
                return dash.error(request, "no_session", 401)
            if not allowed(session, action, session.kecamatan_code):
                return dash.error(request, refusal(session), 403, session=session)
            if request.method == "POST":
                form = await request.form()
                sent = form.get("csrf")
                if not isinstance(sent, str) or not same(sent, session.csrf_token):
                    return dash.error(request, "csrf", 403)
                if session.kecamatan_code is not None and not await _still_pengurus(request, session):
                    return dash.error(request, "not_pengurus_now", 403)
            return await page(request, session)

        return guarded

    return guard
