"""A pengurus's pages: the kecamatan's program kerja as an editable table (each change saved at once as the draft,
after the one check every path uses, model.read_program), Ajukan ke Dinsos, realization, the files, and the
kecamatan's own laporan, evaluasi and announcements. The kecamatan is always the session's own: no address names
another one."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.program_kerja import lpj, review, template
from bot.program_kerja.lists import BIDANG, PPKS, SUMBER_DANA
from bot.program_kerja.model import BULAN, FIELDS, KECAMATAN_LEVEL, MAX_PROGRAMS, Problem, Program, read_program
from bot.program_kerja.model import planning_year as default_year
from bot.texts import program_kerja as tk
from bot.texts import program_web as t
from bot.texts.region import villages
from bot.wilayah import Kecamatan, kecamatan_by_code
from storage import dashboard, program_kerja
from storage.dashboard import Session
from storage.program_kerja import NotEditable
from web import plan_view
from web.access import OWN_KECAMATAN, SIGNED_IN
from web.pages import shown
from web.security import dash_of, needs

# How the form asks each field, in model.FIELDS order: selects and boxes carry the codes read_program reads.
KINDS = {
    "nama": "text", "bidang": "select", "tujuan": "textarea", "sasaran_ppks": "checks", "sasaran_lain": "text",
    "bulan": "checks", "lokasi": "select", "target_peserta": "number", "target_penerima": "number",
    "anggaran": "number", "sumber_dana": "select", "penanggung_jawab": "text", "indikator": "textarea",
}  # fmt: skip
assert tuple(KINDS) == FIELDS
MULTIPLE = tuple(name for name, kind in KINDS.items() if kind == "checks")  # a list each
HISTORY_LIMIT = 100


def _today(request: Request) -> date:
    dash = dash_of(request)
    return dash.now().astimezone(dash.config.timezone).date()


def _kecamatan(session: Session) -> Kecamatan:
    kecamatan = kecamatan_by_code(session.kecamatan_code or "")
    assert kecamatan is not None  # dashboard_login.kecamatan_code references the kecamatan table
    return kecamatan


def _year(request: Request) -> int | None:
    year = request.path_params["tahun"]
    return year if year in plan_view.pengurus_years(_today(request)) else None


def _back(year: int, result: str, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/programkerja/{year}?hasil={result}{anchor}", status_code=303)


@needs(SIGNED_IN)
async def entry(request: Request, session: Session) -> Response:
    """The menu's Program kerja: a pengurus to the kecamatan's plan, an admin to the kabupaten's."""
    year = default_year(_today(request))
    if session.kecamatan_code is None:
        return RedirectResponse(f"/programkerja/kabupaten/{year}", status_code=303)
    return RedirectResponse(f"/programkerja/{year}", status_code=303)


# --- the plan -----------------------------------------------------------------------------------------------


@needs(OWN_KECAMATAN)
async def plan_page(request: Request, session: Session) -> Response:
    year = _year(request)
    if year is None:
        return dash_of(request).error(request, "not_found", 404, session=session)
    editing = request.query_params.get("ubah")
    return await _render(request, session, year, editing=editing)


async def _render(
    request: Request, session: Session, year: int, *, editing: str | None = None,
    values: dict[str, Any] | None = None, problems: list[Problem] | None = None, status: int = 200,
) -> Response:  # fmt: skip
    """The plan page; with `values` and `problems` when a program was refused, shown in its form."""
    dash = dash_of(request)
    kecamatan = _kecamatan(session)
    view = await plan_view.load(dash.reads, kecamatan, year, today=_today(request))
    plan, programs = view.shown
    chosen = next((p for p in programs if p.uid == editing), None) if view.editable else None
    if values is None:
        values = _values(chosen) if chosen else {}
    result = t.RESULTS.get(request.query_params.get("hasil", ""))
    return dash.render(
        request, "programkerja.html", status, session=session, view=view, plan=plan,
        programs=plan_view.described(programs, kecamatan), realized=view.realized, editing=chosen,
        values=values, problems={p.field: p.message for p in problems or []},
        problem_count=len(problems or []), form_problems=t.form_problems, result=result,
        years=plan_view.pengurus_years(_today(request)), choices=_choices(kecamatan), labels=tk.FIELD_LABELS,
        hints={k: villages(v) for k, v in {**tk.FIELD_HINTS, **t.WEB_HINTS}.items()},
        status_labels=tk.STATUS_LABELS, texts=t,
        realization_labels=tk.REALIZATION_LABELS, late_label=tk.LATE, max_programs=MAX_PROGRAMS, kinds=KINDS,
    )  # fmt: skip


def _choices(kecamatan: Kecamatan) -> dict[str, list[tuple[str, str]]]:
    return {
        "bidang": [(c.value, c.label) for c in BIDANG],
        "sumber_dana": [(c.value, c.label) for c in SUMBER_DANA],
        "sasaran_ppks": [(c.value, c.label) for c in PPKS],
        "bulan": [(str(i), name) for i, name in enumerate(BULAN, start=1)],
        "lokasi": [(KECAMATAN_LEVEL, tk.LOKASI_KECAMATAN)] + [(v.code, v.name) for v in kecamatan.villages],
    }


def _values(program: Program) -> dict[str, Any]:
    """A stored program as its form shows it (the codes the selects and boxes carry)."""
    values: dict[str, Any] = {name: str(getattr(program, name)) for name in FIELDS}
    values["sasaran_ppks"] = list(program.sasaran_ppks)
    values["bulan"] = [str(m) for m in program.bulan]
    return values


def _posted(form: FormData) -> dict[str, Any]:
    return {
        name: [v for v in form.getlist(name) if isinstance(v, str)] if name in MULTIPLE else form.get(name) or ""
        for name in FIELDS
    }


@needs(OWN_KECAMATAN)
async def save(request: Request, session: Session) -> Response:
    """Add a program (no uid) or change one: checked first; a refused one comes back in its form with every
    problem beside its field, and nothing is stored."""
    dash = dash_of(request)
    year = _year(request)
    if year is None:
        return dash.error(request, "not_found", 404, session=session)
    versions = await program_kerja.versions(dash.reads, _kecamatan(session).code, year)
    if any(p.status == program_kerja.SUBMITTED for p in versions):
        return _back(year, "terkunci")  # a tab opened before Ajukan: say so rather than check the program
    form = await request.form()
    uid = form.get("uid")
    uid = uid if isinstance(uid, str) and uid else None
    values = _posted(form)
    read = read_program(values, _kecamatan(session), uid=uid)
    if read.program is None:
        return await _render(request, session, year, editing=uid, values=values, problems=read.problems, status=400)
    try:
        plan = await _editable(request, session, year)
    except NotEditable:
        return _back(year, "terkunci")
    have = [p.uid for p in await program_kerja.programs(dash.db, plan.id)]
    if uid is not None and uid not in have:
        return _back(year, "hilang")
    if uid is None and len(have) >= MAX_PROGRAMS:
        return _back(year, "penuh")
    if not await program_kerja.save_program(dash.db, plan.id, read.program, now=dash.now()):
        return _back(year, "terkunci")
    return _back(year, "disimpan" if uid else "ditambah", f"#program-{read.program.uid}")


async def _editable(request: Request, session: Session, year: int) -> program_kerja.Plan:
    dash = dash_of(request)
    return await program_kerja.editable_plan(
        dash.db, _kecamatan(session).code, year, user_id=session.admin_id, user_name=session.admin_name,
        now=dash.now(),
    )  # fmt: skip


@needs(OWN_KECAMATAN)
async def remove(request: Request, session: Session) -> Response:
    dash = dash_of(request)
    year = _year(request)
    if year is None:
        return dash.error(request, "not_found", 404, session=session)
    uid = (await request.form()).get("uid")
    try:
        plan = await _editable(request, session, year)
    except NotEditable:
        return _back(year, "terkunci")
    removed = isinstance(uid, str) and await program_kerja.remove_program(dash.db, plan.id, uid, now=dash.now())
    return _back(year, "dihapus" if removed else "hilang")


@needs(OWN_KECAMATAN)
async def move(request: Request, session: Session) -> Response:
    """Naik / Turun: one place up or down, the order saved at once."""
    dash = dash_of(request)
    year = _year(request)
    if year is None:
        return dash.error(request, "not_found", 404, session=session)
    form = await request.form()
    uid, direction = form.get("uid"), form.get("arah")
    try:
        plan = await _editable(request, session, year)
    except NotEditable:
        return _back(year, "terkunci")
    uids = [p.uid for p in await program_kerja.programs(dash.db, plan.id)]
    if uid not in uids or direction not in ("naik", "turun"):
        return _back(year, "hilang")
    at = uids.index(uid)
    to = at - 1 if direction == "naik" else at + 1
    if 0 <= to < len(uids):
        uids[at], uids[to] = uids[to], uids[at]
        await program_kerja.reorder(dash.db, plan.id, uids, now=dash.now())
    return _back(year, "diurutkan", f"#program-{uid}")


@needs(OWN_KECAMATAN)
async def submit(request: Request, session: Session) -> Response:
    """Ajukan ke Dinsos: the same submit, with the same messages, as from the template's preview or the chat."""
    dash = dash_of(request)
    year = _year(request)
    if year is None:
        return dash.error(request, "not_found", 404, session=session)
    versions = await program_kerja.versions(dash.db, _kecamatan(session).code, year)
    plan = next((p for p in versions if p.status in program_kerja.OPEN), None)
    if plan is None or not plan.editable:
        return _back(year, "terkunci" if plan else "kosong")
    done = await review.submit(dash.bot_app, plan, user_id=session.admin_id, user_name=session.admin_name)
    return _back(year, "diajukan" if done else "kosong")


@needs(OWN_KECAMATAN)
async def revise(request: Request, session: Session) -> Response:
    """Ajukan perubahan: a new version that starts as a copy of the plan in force."""
    year = _year(request)
    if year is None:
        return dash_of(request).error(request, "not_found", 404, session=session)
    try:
        await _editable(request, session, year)
    except NotEditable:
        return _back(year, "terkunci")
    return _back(year, "perubahan")


# --- files --------------------------------------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def attachment(body: bytes, media: str, name: str) -> Response:
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@needs(OWN_KECAMATAN)
async def template_file(request: Request, session: Session) -> Response:
    """The Excel template holding the plan so far (the version shown on the page)."""
    dash = dash_of(request)
    year = _year(request)
    if year is None:
        return dash.error(request, "not_found", 404, session=session)
    kecamatan = _kecamatan(session)
    view = await plan_view.load(dash.reads, kecamatan, year, today=_today(request))
    _, programs = view.shown
    body = await asyncio.to_thread(template.workbook, kecamatan, year, programs)
    return attachment(body, XLSX, template.filename(kecamatan, year))


async def lpj_response(request: Request, kecamatan: Kecamatan, year: int) -> Response:
    """The LPJ, its photos through the dashboard's photo cache (a photo seen on a page is not fetched again)."""
    dash = dash_of(request)

    async def fetch_photo(file_id: str) -> bytes | None:
        path = await dash.photos.get(dash.bot_app.bot, file_id)
        return None if path is None else await asyncio.to_thread(path.read_bytes)

    body = await lpj.build(dash.reads, kecamatan.code, year, today=_today(request), fetch_photo=fetch_photo)
    return attachment(body, DOCX, lpj.filename(kecamatan, year))


@needs(OWN_KECAMATAN)
async def lpj_file(request: Request, session: Session) -> Response:
    year = _year(request)
    if year is None:
        return dash_of(request).error(request, "not_found", 404, session=session)
    return await lpj_response(request, _kecamatan(session), year)


# --- the kecamatan's own history ---------------------------------------------------------------------------


@needs(OWN_KECAMATAN)
async def history(request: Request, session: Session) -> Response:
    """The kecamatan's laporan and evaluasi, newest first, and the announcements it received."""
    dash = dash_of(request)
    kecamatan = _kecamatan(session)
    reports = await dashboard.reports_of(dash.reads, kecamatan.code, "laporan", limit=HISTORY_LIMIT)
    evaluations = await dashboard.reports_of(dash.reads, kecamatan.code, "evaluasi", limit=HISTORY_LIMIT)
    sent = await dashboard.announcements_for(dash.reads, kecamatan.code, limit=HISTORY_LIMIT)
    # A laporan names its program by uid; the plans in force this year and the next give the names.
    names: dict[str, str] = {}
    for year in plan_view.pengurus_years(_today(request)):
        force = await program_kerja.in_force_programs(dash.reads, year, kecamatan.code)
        names.update({p.uid: p.nama for p in force.get(kecamatan.code, [])})
    look = await shown(request)
    return dash.render(
        request, "programkerja_riwayat.html", session=session, kecamatan=kecamatan, reports=reports,
        evaluations=evaluations, announcements=sent, answer=look.answer, photos=look.photos, program_names=names,
        outside=tk.OUTSIDE_PLAN, limit=HISTORY_LIMIT,
    )  # fmt: skip
