"""create_app(bot_app): the dashboard's Starlette app, sharing the bot's database, clock and Bot API client."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot import texts
from bot.config import Config
from bot.context import BotApplication
from bot.texts import program_web
from storage.dashboard import Session
from storage.db import Database
from web import filters, login, pages, plan_admin, plan_pages, plan_view, xform_pages
from web.photos import PhotoCache
from web.security import SecurityHeaders

STATIC = Path(__file__).parent / "static"


class Dashboard:
    """What every route reaches: the bot's application (its db, clock, config, bot) and the templates."""

    def __init__(self, bot_app: BotApplication) -> None:
        self.bot_app = bot_app
        self.env = Environment(
            loader=PackageLoader("web", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            # The templates ship with the code: no need to stat them on every page.
            auto_reload=False,
        )
        filters.install(self.env, self.config.timezone)
        self.photos = PhotoCache(self.config.database_path.parent / "dashboard-photos")
        # Pages read through a connection of their own: in WAL mode SQLite lets it read while the bot writes, so
        # twenty browsers never queue the bot's form answers behind their pages (datasette does the same). Every
        # write (logins, sessions, reviews) still goes through the bot's one writing connection.
        self.reads = Database(self.config.database_path)
        self.year_activities = plan_view.YearActivities()
        self.kabupaten_realization = plan_view.KabupatenRealization(self.year_activities)

    @property
    def config(self) -> Config:
        assert self.bot_app.bot_data.config is not None
        return self.bot_app.bot_data.config

    @property
    def db(self) -> Database:
        """The bot's own connection: the only one that writes."""
        db = self.bot_app.bot_data.db
        if db is None:
            raise RuntimeError("database not opened")
        return db

    def now(self) -> datetime:
        return self.bot_app.bot_data.clock.now()

    @property
    def secure(self) -> bool:
        return (self.config.dashboard_url or "").startswith("https://")

    def render(self, request: Request, template: str, status: int = 200, **data: Any) -> HTMLResponse:
        html = self.env.get_template(template).render(request=request, path=request.url.path, **data)
        return HTMLResponse(html, status_code=status)

    def error(self, request: Request, key: str, status: int, session: Session | None = None) -> HTMLResponse:
        """An error page; with the session when it is still good (refused a page of the other role), so its menu
        leads back to the person's own pages."""
        title, detail = texts.WEB_ERRORS[key] if key in texts.WEB_ERRORS else program_web.WEB_ERRORS[key]
        return self.render(request, "error.html", status, title=title, detail=detail, session=session)


def create_app(bot_app: BotApplication) -> Starlette:
    routes = [
        Route("/", pages.ringkasan),
        Route("/kecamatan/{code:str}", pages.kecamatan),
        Route("/laporan", pages.laporan_list),
        Route("/laporan/{report_id:int}", pages.laporan),
        Route("/laporan/{report_id:int}/tinjauan", pages.tinjau, methods=["POST"]),
        Route("/foto/{report_id:int}/{number:int}", pages.foto),
        Route("/pengumuman", pages.pengumuman_list),
        Route("/pengumuman/{announcement_id:int}", pages.pengumuman),
        Route("/ekspor", pages.ekspor),
        Route("/ekspor/{kind:str}", pages.ekspor_file),
        # Formulir: the uploaded XLSForms' submissions.
        Route("/formulir", xform_pages.formulir_list),
        Route("/formulir/{xform_id:int}", xform_pages.formulir),
        Route("/formulir/{xform_id:int}/ringkasan", xform_pages.ringkasan),
        Route("/formulir/{xform_id:int}/unduh/{kind:str}", xform_pages.unduh),
        Route("/formulir/kiriman/{submission_id:int}", xform_pages.kiriman),
        Route("/formulir/kiriman/{submission_id:int}/tinjauan", xform_pages.tinjau, methods=["POST"]),
        Route("/formulir/kiriman/{submission_id:int}/foto/{number:int}", xform_pages.foto),
        # Program kerja: Program kerja in the menu leads each to their own; a pengurus's pages name no kecamatan
        # (the session's own), Dinsos's name the one they show.
        Route("/programkerja", plan_pages.entry),
        Route("/programkerja/riwayat", plan_pages.history),
        Route("/programkerja/{tahun:int}", plan_pages.plan_page),
        Route("/programkerja/{tahun:int}/program", plan_pages.save, methods=["POST"]),
        Route("/programkerja/{tahun:int}/hapus", plan_pages.remove, methods=["POST"]),
        Route("/programkerja/{tahun:int}/urutan", plan_pages.move, methods=["POST"]),
        Route("/programkerja/{tahun:int}/ajukan", plan_pages.submit, methods=["POST"]),
        Route("/programkerja/{tahun:int}/perubahan", plan_pages.revise, methods=["POST"]),
        Route("/programkerja/{tahun:int}/template.xlsx", plan_pages.template_file),
        Route("/programkerja/{tahun:int}/lpj.docx", plan_pages.lpj_file),
        Route("/programkerja/kabupaten/{tahun:int}", plan_admin.kabupaten),
        Route("/programkerja/kecamatan/{code:str}/{tahun:int}", plan_admin.kecamatan),
        Route("/programkerja/kecamatan/{code:str}/{tahun:int}/tinjauan", plan_admin.decide, methods=["POST"]),
        Route("/programkerja/kecamatan/{code:str}/{tahun:int}/lpj.docx", plan_admin.lpj_file),
        Route("/masuk/telegram", login.miniapp_login, methods=["POST"]),
        Route("/masuk/{token:str}", login.link_page, methods=["GET"]),
        Route("/masuk/{token:str}", login.link_login, methods=["POST"]),
        Route("/miniapp", login.miniapp_page),
        Route("/keluar", login.logout_page, methods=["GET"]),
        Route("/keluar", login.logout, methods=["POST"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    dash = Dashboard(bot_app)

    async def not_found(request: Request, exc: Exception) -> Response:
        return dash.error(request, "not_found", 404)

    app = Starlette(routes=routes, middleware=[Middleware(SecurityHeaders)], exception_handlers={404: not_found})
    app.state.dash = dash
    return app
