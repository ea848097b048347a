"""Getting in and out: a one-time link from /dasbor (a Dinsos admin) or /programkerja (a pengurus, bound to their
kecamatan), or the Mini App's signed initData (admins); /keluar ends it."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot import texts
from storage import dashboard
from storage.dashboard import LoginResult, Session
from web.access import SIGNED_IN
from web.auth import SESSION_COOKIE, SESSION_TTL, new_token, token_hash, verify_init_data
from web.security import dash_of, needs

REFUSED = {LoginResult.UNKNOWN: "login_unknown", LoginResult.EXPIRED: "login_expired", LoginResult.USED: "login_used"}


async def link_page(request: Request) -> Response:
    """The link opens a page with one button; only pressing it spends the link, so a link preview cannot."""
    dash = dash_of(request)
    result = await dashboard.check_login(dash.reads, token_hash(request.path_params["token"]), now=dash.now())
    if result is not LoginResult.OK:
        return dash.error(request, REFUSED[result], 403)
    return dash.render(request, "masuk.html", session=None, token=request.path_params["token"])


async def link_login(request: Request) -> Response:
    dash = dash_of(request)
    result, login = await dashboard.use_login(dash.db, token_hash(request.path_params["token"]), now=dash.now())
    if result is not LoginResult.OK or login is None:
        return dash.error(request, REFUSED[result], 403)
    if login.kecamatan_code is not None:
        # A pengurus link: /programkerja checked with Telegram that its owner is an admin of the group.
        return await _start(request, login.user_id, login.user_name, via="link", kecamatan_code=login.kecamatan_code)
    if login.user_id not in dash.config.admin_ids:
        return dash.error(request, "not_admin", 403)
    return await _start(request, login.user_id, login.user_name, via="link")


async def miniapp_page(request: Request) -> Response:
    """The Mini App's first page: miniapp.js posts the initData Telegram put in the address's #fragment."""
    return dash_of(request).render(request, "miniapp.html", session=None)


async def miniapp_login(request: Request) -> Response:
    dash = dash_of(request)
    form = await request.form()
    init_data = form.get("init_data")
    user = None
    if isinstance(init_data, str) and len(init_data) <= 10_000:
        user = verify_init_data(init_data, dash.config.bot_token, now=dash.now())
    if user is None:
        return dash.error(request, "miniapp_refused", 403)
    if user.id not in dash.config.admin_ids:
        return dash.error(request, "not_admin", 403)
    return await _start(request, user.id, user.name, via="miniapp")


async def _start(request: Request, admin_id: int, admin_name: str, *, via: str,
                 kecamatan_code: str | None = None) -> Response:  # fmt: skip
    dash = dash_of(request)
    cookie = new_token()
    await dashboard.start_session(
        dash.db, token_hash(cookie), admin_id=admin_id, admin_name=admin_name, csrf_token=new_token(), via=via,
        now=dash.now(), ttl=SESSION_TTL, kecamatan_code=kecamatan_code,
    )  # fmt: skip
    # A pengurus lands on the kecamatan's program kerja, an admin on Ringkasan.
    response = RedirectResponse("/" if kecamatan_code is None else "/programkerja", status_code=303)
    # Inside web.telegram.org the Mini App is a third-party iframe: its cookie must be SameSite=None (and so
    # Secure). A link session lives in an ordinary tab, where Lax keeps other sites from riding on it.
    same_site = "none" if via == "miniapp" and dash.secure else "lax"
    response.set_cookie(
        SESSION_COOKIE, cookie, max_age=int(SESSION_TTL.total_seconds()), httponly=True, samesite=same_site,
        secure=dash.secure, path="/",
    )  # fmt: skip
    return response


@needs(SIGNED_IN)
async def logout_page(request: Request, session: Session) -> Response:
    return dash_of(request).render(request, "keluar.html", session=session)


@needs(SIGNED_IN)
async def logout(request: Request, session: Session) -> Response:
    dash = dash_of(request)
    await dashboard.end_session(dash.db, token_hash(request.cookies[SESSION_COOKIE]), now=dash.now())
    title, detail = texts.DASHBOARD_LOGGED_OUT
    response = dash.render(request, "error.html", title=title, detail=detail, session=None)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
