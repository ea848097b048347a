"""Getting in and out: a one-time link from /dasbor, or the Mini App's signed initData; /keluar ends it."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot import texts
from storage import dashboard
from storage.dashboard import LoginResult
from web.auth import SESSION_COOKIE, SESSION_TTL, new_token, same, token_hash, verify_init_data
from web.security import current_session, dash_of

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
    result, admin = await dashboard.use_login(dash.db, token_hash(request.path_params["token"]), now=dash.now())
    if result is not LoginResult.OK or admin is None:
        return dash.error(request, REFUSED[result], 403)
    admin_id, admin_name = admin
    if admin_id not in dash.config.admin_ids:
        return dash.error(request, "not_admin", 403)
    return await _start(request, admin_id, admin_name, via="link")


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


async def _start(request: Request, admin_id: int, admin_name: str, *, via: str) -> Response:
    dash = dash_of(request)
    cookie = new_token()
    await dashboard.start_session(
        dash.db, token_hash(cookie), admin_id=admin_id, admin_name=admin_name, csrf_token=new_token(), via=via,
        now=dash.now(), ttl=SESSION_TTL,
    )  # fmt: skip
    response = RedirectResponse("/", status_code=303)
    # Inside web.telegram.org the Mini App is a third-party iframe: its cookie must be SameSite=None (and so
    # Secure). A link session lives in an ordinary tab, where Lax keeps other sites from riding on it.
    same_site = "none" if via == "miniapp" and dash.secure else "lax"
    response.set_cookie(
        SESSION_COOKIE, cookie, max_age=int(SESSION_TTL.total_seconds()), httponly=True, samesite=same_site,
        secure=dash.secure, path="/",
    )  # fmt: skip
    return response


async def logout_page(request: Request) -> Response:
    dash = dash_of(request)
    session = await current_session(request)
    if session is None:
        return dash.error(request, "no_session", 401)
    return dash.render(request, "keluar.html", session=session)


async def logout(request: Request) -> Response:
    dash = dash_of(request)
    session = await current_session(request)
    form = await request.form()
    sent = form.get("csrf")
    if session is None or not isinstance(sent, str) or not same(sent, session.csrf_token):
        return dash.error(request, "csrf" if session else "no_session", 403 if session else 401)
    await dashboard.end_session(dash.db, token_hash(request.cookies[SESSION_COOKIE]), now=dash.now())
    title, detail = texts.DASHBOARD_LOGGED_OUT
    response = dash.render(request, "error.html", title=title, detail=detail, session=None)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
