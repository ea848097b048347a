"""Dinsos's program kerja pages: the kabupaten's year (one row per kecamatan, in a few queries whatever the number
of kecamatan), one kecamatan's plan with its realization, and the decision on a submitted plan."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.program_kerja import realization, review
from bot.program_kerja.realization import ProgramRealization, Totals
from bot.texts import program_kerja as tk
from bot.texts import program_web as t
from bot.wilayah import kecamatan_by_code
from storage import dashboard, program_kerja
from storage.dashboard import Session
from storage.program_kerja import Plan
from web import plan_view
from web.access import DINSOS
from web.month_chart import chart
from web.plan_pages import lpj_response
from web.security import dash_of, needs


def _today(request: Request) -> date:
    dash = dash_of(request)
    return dash.now().astimezone(dash.config.timezone).date()


def _year(request: Request) -> int | None:
    year = request.path_params["tahun"]
    return year if year in plan_view.dinsos_years(_today(request)) else None


@dataclass(frozen=True)
class KecamatanPlan:
    code: str
    name: str
    latest: Plan | None
    in_force: Plan | None
    totals: Totals | None  # of the plan in force

    @property
    def status(self) -> str:
        return self.latest.status if self.latest is not None else plan_view.NOT_STARTED

    @property
    def waiting(self) -> bool:
        return self.status == program_kerja.SUBMITTED


@dataclass(frozen=True)
class KabupatenTotals:
    by_status: dict[str, int]
    programs: int
    done: int
    late: int
    anggaran: int
    dana: int


@needs(DINSOS)
async def kabupaten(request: Request, session: Session) -> Response:
    dash = dash_of(request)
    year = _year(request)
    if year is None:
        return dash.error(request, "not_found", 404, session=session)
    today = _today(request)
    # A few queries for the 40 kecamatan together; realization is counted in Python, as for one.
    states = await program_kerja.year_states(dash.reads, year)
    counted = await dash.kabupaten_realization.get(dash.reads, year, today)
    names = dict(await dashboard.kecamatan_names(dash.reads))
    rows: list[KecamatanPlan] = []
    realized_all: list[ProgramRealization] = []
    for code, state in states.items():
        totals = None
        if state.in_force is not None:
            realized_all += counted.realized.get(code, [])
            totals = counted.totals.get(code) or realization.totals([], [])
        rows.append(KecamatanPlan(code, names.get(code, code), state.latest, state.in_force, totals))
    summed = [r.totals for r in rows if r.totals is not None]
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row.status] += 1
    overall = KabupatenTotals(
        by_status=counts, programs=sum(s.programs for s in summed), done=sum(s.done for s in summed),
        late=sum(s.late for s in summed), anggaran=sum(s.anggaran for s in summed), dana=sum(s.dana for s in summed),
    )  # fmt: skip
    # As on Ringkasan: kecamatan without any version share one line, so the ones with a plan are not buried.
    listed = [r for r in rows if r.latest is not None]
    folded = sorted((r for r in rows if r.latest is None), key=lambda r: r.name)
    return dash.render(
        request, "programkerja_kabupaten.html", session=session, year=year, rows=listed, folded=folded,
        waiting=[r for r in listed if r.waiting], totals=overall, count=len(rows),
        months=chart(realization.by_month(realized_all)), years=plan_view.dinsos_years(today),
        status_labels=tk.STATUS_LABELS, deadline=await program_kerja.deadline(dash.reads, year),
    )  # fmt: skip


@needs(DINSOS)
async def kecamatan(request: Request, session: Session) -> Response:
    dash = dash_of(request)
    year = _year(request)
    found = kecamatan_by_code(request.path_params["code"])
    if year is None or found is None:
        return dash.error(request, "not_found", 404, session=session)
    view = await plan_view.load(dash.reads, found, year, today=_today(request))
    code = request.query_params.get("hasil", "")
    return dash.render(
        request, "programkerja_kecamatan.html", session=session, view=view, year=year, kecamatan=found,
        waiting=view.open if view.status == program_kerja.SUBMITTED else None,
        open_programs=plan_view.described(view.open_programs, found, view.in_force_programs),
        dropped=plan_view.dropped(view.open_programs, view.in_force_programs),
        force_programs=plan_view.described(view.in_force_programs, found), realized=view.realized,
        years=plan_view.dinsos_years(_today(request)), status_labels=tk.STATUS_LABELS,
        realization_labels=tk.REALIZATION_LABELS, late_label=tk.LATE, result=t.ADMIN_RESULTS.get(code), texts=t,
    )  # fmt: skip


@needs(DINSOS)
async def decide(request: Request, session: Session) -> Response:
    """Diterima / Perlu perbaikan from the web: review.decide, with the same messages as the chat's buttons."""
    dash = dash_of(request)
    year = _year(request)
    code = request.path_params["code"]
    form = await request.form()
    plan_id, decision, note = form.get("rencana"), form.get("keputusan"), form.get("catatan")
    plan = (
        await program_kerja.get_plan(dash.db, int(plan_id)) if isinstance(plan_id, str) and plan_id.isdigit() else None
    )
    if year is None or plan is None or (plan.kecamatan_code, plan.year) != (code, year):
        return dash.error(request, "not_found", 404, session=session)
    if decision not in (program_kerja.ACCEPTED, program_kerja.NEEDS_FIX):
        return dash.error(request, "csrf", 400, session=session)
    comment = note.strip() if isinstance(note, str) else ""
    back = f"/programkerja/kecamatan/{code}/{year}?hasil="
    if decision == program_kerja.NEEDS_FIX and not comment:
        return RedirectResponse(back + "catatan_kosong", status_code=303)
    done = await review.decide(
        dash.bot_app, plan.id, status=decision, note=comment or None, admin_id=session.admin_id,
        admin_name=session.admin_name,
    )  # fmt: skip
    return RedirectResponse(back + (decision if done else "sudah"), status_code=303)


@needs(DINSOS)
async def lpj_file(request: Request, session: Session) -> Response:
    year = _year(request)
    found = kecamatan_by_code(request.path_params["code"])
    if year is None or found is None:
        return dash_of(request).error(request, "not_found", 404, session=session)
    return await lpj_response(request, found, year)
