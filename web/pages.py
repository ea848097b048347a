"""The Dinsos pages: each checks the session and web.access (needs), reads through storage/, renders one template."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from bot import texts
from bot.forms.fields import Choice, FieldType, Form, display
from bot.review_decision import decide
from bot.xlsform import builtin
from storage import announcements, dashboard, forms, program_kerja, reviews
from storage.dashboard import REVIEW_STATES, KecamatanRow, ReportFilter, Session
from storage.export import all_tables
from storage.forms import Report
from web.access import DINSOS
from web.security import dash_of, needs

PAGE_SIZE = 25
KECAMATAN_LIST = 12  # newest laporan, evaluations and announcements on a Kecamatan page
SHOW = {
    "semua": "Semua",
    "perhatian": "Perlu perhatian",
    "belum_evaluasi": "Belum evaluasi",
    "belum_terdaftar": "Belum terdaftar",
}
SORT = {"kode": "Kode", "nama": "Nama", "laporan": "Laporan terakhir", "dibaca": "Pengumuman dibaca"}
REVIEW_LABELS = {"menunggu": "Menunggu tinjauan", "diterima": "Diterima", "perlu_perbaikan": "Perlu perbaikan"}


def _week(now: datetime, request: Request) -> date:
    local = now.astimezone(dash_of(request).config.timezone).date()
    return local - timedelta(days=local.weekday())


def _month(year: int, month: int, request: Request) -> tuple[datetime, datetime]:
    tz = dash_of(request).config.timezone
    since = datetime(year, month, 1, tzinfo=tz)
    return since, datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)


async def _overview(request: Request, code: str | None = None) -> tuple[date, list[KecamatanRow]]:
    """This week's Monday (WIB) and every kecamatan's row (or the one with `code`) as of now."""
    dash = dash_of(request)
    now = dash.now()
    monday = _week(now, request)
    local = now.astimezone(dash.config.timezone)
    since, until = _month(local.year, local.month, request)
    last_monday = monday - timedelta(days=7)
    rows = await dashboard.overview(
        dash.reads, week=monday.isoformat(), last_week=last_monday.isoformat(),
        last_week_since=datetime(last_monday.year, last_monday.month, last_monday.day, tzinfo=dash.config.timezone),
        month_since=since, month_until=until, code=code,
    )  # fmt: skip
    return monday, rows


def needs_attention(row: KecamatanRow) -> bool:
    return row.two_weeks_missing or row.reviews_waiting > 0 or row.pending_registration


# --- Ringkasan --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    registered: int
    evaluated: int
    reports_month: int
    waiting: int
    delivered: int
    acknowledged: int
    attention: int


@needs(DINSOS)
async def ringkasan(request: Request, session: Session) -> Response:
    dash = dash_of(request)
    monday, rows = await _overview(request)
    totals = Totals(
        registered=sum(r.registered for r in rows),
        evaluated=sum(r.evaluated for r in rows),
        reports_month=sum(r.reports_month for r in rows),
        waiting=sum(r.reviews_waiting for r in rows),
        delivered=sum(r.delivered for r in rows),
        acknowledged=sum(r.acknowledged for r in rows),
        attention=sum(needs_attention(r) for r in rows),
    )
    show = request.query_params.get("tampil", "semua")
    sort = request.query_params.get("urut", "kode")
    show, sort = (show if show in SHOW else "semua"), (sort if sort in SORT else "kode")
    shown = [r for r in rows if _shown(r, show)]
    shown.sort(key=_sort_key(sort))
    # In the whole list, kecamatan without a group share one line (as in /rekap): on a phone 33 empty cards would
    # bury the seven that matter. Their own filter still lists them one by one.
    folded = [r for r in shown if _unregistered(r)] if show == "semua" else []
    shown = [r for r in shown if r not in folded]
    return dash.render(
        request, "ringkasan.html", session=session, rows=shown, folded=sorted(folded, key=lambda r: r.name),
        totals=totals, count=len(rows), show=show, sort=sort, shows=SHOW, sorts=SORT, week=monday.isoformat(),
        needs_attention=needs_attention,
    )  # fmt: skip


def _unregistered(row: KecamatanRow) -> bool:
    return not row.registered and not row.pending_registration


def _shown(row: KecamatanRow, show: str) -> bool:
    if show == "perhatian":
        return needs_attention(row)
    if show == "belum_evaluasi":
        return row.registered and not (row.evaluated or row.excused)
    if show == "belum_terdaftar":
        return not row.registered
    return True


def _sort_key(sort: str):  # type: ignore[no-untyped-def]
    if sort == "nama":
        return lambda r: r.name
    if sort == "laporan":
        # Longest without a laporan first: that is who needs a call.
        return lambda r: (r.last_report_at or "", r.code)
    if sort == "dibaca":
        return lambda r: (r.acknowledged / r.delivered if r.delivered else -1, r.code)
    return lambda r: r.code


# --- Kecamatan --------------------------------------------------------------------------------------------


@needs(DINSOS)
async def kecamatan(request: Request, session: Session) -> Response:
    dash = dash_of(request)
    code = request.path_params["code"]
    name = await dashboard.kecamatan_name(dash.reads, code)
    if name is None:
        return dash.error(request, "not_found", 404)
    _, [row] = await _overview(request, code)
    # The newest ones; the Laporan and Pengumuman pages hold the rest.
    reports = await dashboard.reports_of(dash.reads, code, "laporan", limit=KECAMATAN_LIST)
    evaluations = await dashboard.reports_of(dash.reads, code, "evaluasi", limit=KECAMATAN_LIST)
    sent = await dashboard.announcements_for(dash.reads, code, limit=KECAMATAN_LIST)
    look = await shown(request)
    return dash.render(
        request, "kecamatan.html", session=session, code=code, name=name, row=row, reports=reports,
        evaluations=evaluations, announcements=sent, photos=look.photos, answer=look.answer,
        review_labels=REVIEW_LABELS, limit=KECAMATAN_LIST,
    )  # fmt: skip


# --- Laporan ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """How reports show on a page: by the current version of each built-in form (bot/xlsform/builtin.current),
    with `programs` naming the program kerja a laporan is linked to."""

    forms: dict[str, Form]
    programs: Mapping[str, str] | None = None

    def photos(self, report: Report) -> list[str]:
        """The report's documentation photos (Telegram file ids), in the order they were sent."""
        fields = [f for f in self.forms[report.form].fields if f.type is FieldType.PHOTOS]
        return [fid for f in fields for fid in report.answers.get(f.key) or [] if isinstance(fid, str)]

    def answer(self, report: Report, key: str) -> str:
        try:
            field = self.forms[report.form].field(key)
        except StopIteration:
            return str(report.answers.get(key, "–"))
        try:
            return display(field, report.answers.get(key), self.programs)
        except (KeyError, TypeError, ValueError):
            return str(report.answers.get(key))


async def shown(request: Request, programs: Mapping[str, str] | None = None) -> Shown:
    return Shown(await builtin.currents(dash_of(request).reads), programs)


def _bidang(look: Shown) -> tuple[Choice, ...]:
    """The laporan's bidang choices, the list's filter offers (the current version's, as Dinsos worded them)."""
    laporan = look.forms["laporan"]
    return laporan.field("bidang").choices if laporan.has("bidang") else ()


def _filter(request: Request, names: dict[str, str], look: Shown) -> tuple[ReportFilter, dict[str, str]]:
    """The list's filters from the query string; anything unknown is ignored rather than an error."""
    q = request.query_params
    chosen = {
        "jenis": q.get("jenis", "laporan") if q.get("jenis") in look.forms else "laporan",
        "kecamatan": q.get("kecamatan", "") if q.get("kecamatan") in names else "",
        "bidang": q.get("bidang", "") if q.get("bidang") in {c.value for c in _bidang(look)} else "",
        "bulan": "",
        "tinjauan": q.get("tinjauan", "") if q.get("tinjauan") in REVIEW_STATES else "",
    }
    since = until = None
    month = q.get("bulan", "")
    if len(month) == 7 and month[4] == "-" and month[:4].isdigit() and month[5:].isdigit():
        if 2000 <= int(month[:4]) <= 2100 and 1 <= int(month[5:]) <= 12:
            since, until = _month(int(month[:4]), int(month[5:]), request)
            chosen["bulan"] = month
    f = ReportFilter(
        form=chosen["jenis"], kecamatan_code=chosen["kecamatan"] or None, bidang=chosen["bidang"] or None,
        since=since, until=until, review=chosen["tinjauan"] or None,
    )  # fmt: skip
    return f, chosen


@needs(DINSOS)
async def laporan_list(request: Request, session: Session) -> Response:
    dash = dash_of(request)
    names = dict(await dashboard.kecamatan_names(dash.reads))
    look = await shown(request)
    f, chosen = _filter(request, names, look)
    page = int(request.query_params.get("hal", "1")) if request.query_params.get("hal", "1").isdigit() else 1
    page = max(page, 1)
    reports, total = await dashboard.find_reports(dash.reads, f, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    query = {k: v for k, v in chosen.items() if v}
    return dash.render(
        request, "laporan_list.html", session=session, reports=reports, total=total, page=page, pages=pages,
        chosen=chosen, names=sorted(names.items(), key=lambda item: item[1]), kecamatan_names=names,
        bidang=_bidang(look), forms=look.forms, review_labels=REVIEW_LABELS, answer=look.answer, photos=look.photos,
        page_link=lambda n: "/laporan?" + urlencode({**query, "hal": n}),
    )  # fmt: skip


@needs(DINSOS)
async def laporan(request: Request, session: Session) -> Response:
    dash = dash_of(request)
    report = await forms.get_report(dash.reads, request.path_params["report_id"])
    if report is None:
        return dash.error(request, "not_found", 404)
    name = await dashboard.kecamatan_name(dash.reads, report.kecamatan_code)
    history = await forms.versions(dash.reads, report.id)
    programs = await program_kerja.program_names(dash.reads, report.kecamatan_code)
    result = request.query_params.get("hasil", "")
    look = await shown(request, programs)
    return dash.render(
        request, "laporan.html", session=session, report=report, form=look.forms[report.form], kecamatan_name=name,
        photos=look.photos(report), answer=look.answer, versions=history,
        review_labels=REVIEW_LABELS, result=texts.REVIEW_WEB_RESULT.get(result),
        result_ok=result in (reviews.ACCEPTED, reviews.NEEDS_FIX),
    )  # fmt: skip


@needs(DINSOS)
async def tinjau(request: Request, session: Session) -> Response:
    """Diterima / Perlu perbaikan from the web: the same decision, with the same messages, as in the chat."""
    dash = dash_of(request)
    report_id = request.path_params["report_id"]
    form = await request.form()
    decision, version, note = form.get("keputusan"), form.get("versi"), form.get("catatan")
    back = f"/laporan/{report_id}?hasil="
    if decision not in (reviews.ACCEPTED, reviews.NEEDS_FIX) or not isinstance(version, str) or not version.isdigit():
        return dash.error(request, "csrf", 400)
    comment = note.strip() if isinstance(note, str) else ""
    if decision == reviews.NEEDS_FIX and not comment:
        return RedirectResponse(back + "catatan_kosong", status_code=303)
    recorded = await decide(
        dash.bot_app, report_id, int(version), status=decision, admin_id=session.admin_id,
        admin_name=session.admin_name, comment=comment if decision == reviews.NEEDS_FIX else None,
    )  # fmt: skip
    return RedirectResponse(back + (decision if recorded else "sudah"), status_code=303)


@needs(DINSOS)
async def foto(request: Request, session: Session) -> Response:
    """One photo of a report, only to a session, fetched from Telegram the first time."""
    dash = dash_of(request)
    report = await forms.get_report(dash.reads, request.path_params["report_id"])
    number = request.path_params["number"]
    ids = (await shown(request)).photos(report) if report is not None else []
    if not 1 <= number <= len(ids):
        return dash.error(request, "not_found", 404)
    path = await dash.photos.get(dash.bot_app.bot, ids[number - 1])
    if path is None:
        return dash.error(request, "photo_missing", 502)
    return FileResponse(path, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=86400"})


# --- Pengumuman -------------------------------------------------------------------------------------------


@needs(DINSOS)
async def pengumuman_list(request: Request, session: Session) -> Response:
    dash = dash_of(request)
    raw = request.query_params.get("hal", "1")
    page = max(int(raw), 1) if raw.isdigit() else 1
    items, total = await dashboard.announcement_summaries(dash.reads, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    return dash.render(
        request, "pengumuman_list.html", session=session, items=items, total=total, page=page, pages=pages
    )


@needs(DINSOS)
async def pengumuman(request: Request, session: Session) -> Response:
    dash = dash_of(request)
    ann = await announcements.get(dash.reads, request.path_params["announcement_id"])
    if ann is None or ann.sent_at is None:
        return dash.error(request, "not_found", 404)
    rows = await announcements.deliveries(dash.reads, ann.id)
    return dash.render(request, "pengumuman.html", session=session, ann=ann, deliveries=rows)


# --- Ekspor -----------------------------------------------------------------------------------------------


@needs(DINSOS)
async def ekspor(request: Request, session: Session) -> Response:
    return dash_of(request).render(request, "ekspor.html", session=session, error=None, period="")


@needs(DINSOS)
async def ekspor_file(request: Request, session: Session) -> Response:
    """The same workbook as /ekspor, or the ZIP with the photos as `export --with-photos` makes it."""
    # openpyxl is loaded on the first export, as in the chat.
    from bot.xlsform.export import exported_forms, photos, workbook_sheets
    from bot.xlsx_export import PeriodError, file_name, parse_period, photos_of, photos_zip, to_xlsx
    from bot.xlsx_export import within as in_period
    from handlers import xlsform_fill

    dash = dash_of(request)
    kind = request.path_params["kind"]
    if kind not in ("xlsx", "zip"):
        return dash.error(request, "not_found", 404)
    tz, now = dash.config.timezone, dash.now()
    today = now.astimezone(tz).date()
    period_text = request.query_params.get("periode", "")
    try:
        period = parse_period(period_text, today)
    except PeriodError as exc:
        return dash.render(request, "ekspor.html", 400, session=session, error=str(exc), period=period_text)
    tables = in_period(await all_tables(dash.reads), period, tz)
    # The bot's cache of read XLSForms: the same process, and pyxform takes a while per form.
    xforms = await exported_forms(dash.reads, xlsform_fill.form_of)
    extra = workbook_sheets(xforms, tz=tz, period=period)
    built_in = await builtin.currents(dash.reads)
    workbook = await asyncio.to_thread(to_xlsx, tables, tz=tz, period=period, generated_at=now, extra=extra,
                                       forms=built_in)  # fmt: skip
    if kind == "xlsx":
        body, name = workbook, file_name(today)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        # Through the dashboard's photo cache: a photo seen on a page is not fetched from Telegram again.
        fetched, missing = {}, []
        for photo in [*photos_of(tables, built_in), *photos(xforms, tz=tz, period=period)]:
            path = await dash.photos.get(dash.bot_app.bot, photo.file_id)
            if path is None:
                missing.append((photo, texts.WEB_ERRORS["photo_missing"][1]))
            else:
                fetched[photo.path] = await asyncio.to_thread(path.read_bytes)
        body = await asyncio.to_thread(photos_zip, file_name(today), workbook, fetched, missing)
        name, media = file_name(today, "zip"), "application/zip"
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})
