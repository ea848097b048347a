"""Formulir: the submissions of Dinsos's uploaded XLSForms on the dashboard. The published forms with who sent
them against who was asked, one form's submissions (filtered, a page at a time), a summary per question, one
submission with its photos and the decision on it, and the form's XLSX and CSV."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from bot.texts import xlsform_review_fix as fix_texts
from bot.texts import xlsform_web as t
from bot.wilayah import load_kecamatan
from bot.xlsform import review
from bot.xlsform.export import Submitted
from bot.xlsform.model import Form
from bot.xlsform.summary import answers_shown, as_answered, photo_ids, summaries
from storage import registrations, xform_review, xlsforms
from storage.dashboard import Session
from storage.registrations import KecamatanState
from storage.xform_review import Filter, Listed
from storage.xlsforms import XForm, XFormVersion
from web.access import DINSOS
from web.security import dash_of, needs

PAGE_SIZE = 25


def _read(version: XFormVersion) -> Form:
    # The bot's cache of read forms: the same process, and pyxform takes a while per workbook.
    from handlers.xlsform_fill import form_of

    return form_of(version)


def _names() -> dict[str, str]:
    return {k.code: k.name for k in load_kecamatan()}


# --- the list of forms ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    code: str
    name: str
    count: int
    expected: bool  # the publication asked this kecamatan


@dataclass(frozen=True)
class FormRow:
    form: XForm
    publication: xlsforms.Publication
    total: int
    sent: int  # expected kecamatan that sent at least one
    expected: int
    kecamatan: list[Sent]  # expected ones first (missing ones before those that sent), then any other that sent

    @property
    def deadline(self) -> date | None:
        return date.fromisoformat(self.publication.deadline[:10]) if self.publication.deadline else None


@needs(DINSOS)
async def formulir_list(request: Request, session: Session) -> Response:
    dash = dash_of(request)
    names = _names()
    active = {k.code for k in await registrations.overview(dash.reads) if k.state is KecamatanState.ACTIVE}
    counts = await xform_review.counts(dash.reads)
    rows = []
    for form, publication in await xlsforms.published(dash.reads):
        chosen = await xlsforms.targets(dash.reads, publication)
        expected = active if chosen is None else chosen
        mine = counts.get(form.id, {})
        listed = [Sent(code, names.get(code, code), mine.get(code, 0), True) for code in expected]
        listed.sort(key=lambda s: (s.count > 0, s.name))
        listed += sorted(
            (Sent(code, names.get(code, code), n, False) for code, n in mine.items() if code not in expected),
            key=lambda s: s.name,
        )
        rows.append(FormRow(form, publication, sum(mine.values()), sum(1 for s in listed if s.expected and s.count),
                            len(expected), listed))  # fmt: skip
    return dash.render(request, "formulir_list.html", session=session, rows=rows, schedules=t.SCHEDULES, t=t)


# --- one form -------------------------------------------------------------------------------------------------


async def _form_and_latest(request: Request) -> tuple[XForm, Form] | None:
    dash = dash_of(request)
    form = await xlsforms.get_form(dash.reads, request.path_params["xform_id"])
    if form is None or form.builtin or form.form_id in xlsforms.BUILTIN_FORM_IDS:
        return None
    stored = await xlsforms.versions(dash.reads, form.id)
    if not stored:
        return None
    return form, await asyncio.to_thread(_read, stored[-1])


def _month_bounds(month: str, request: Request) -> tuple[datetime, datetime] | None:
    if len(month) != 7 or month[4] != "-" or not (month[:4].isdigit() and month[5:].isdigit()):
        return None
    year, number = int(month[:4]), int(month[5:])
    if not (2000 <= year <= 2100 and 1 <= number <= 12):
        return None
    tz = dash_of(request).config.timezone
    return datetime(year, number, 1, tzinfo=tz), datetime(year + number // 12, number % 12 + 1, 1, tzinfo=tz)


def _filter(request: Request, xform_id: int, names: dict[str, str]) -> tuple[Filter, dict[str, str]]:
    """The filters from the query string; anything unknown is ignored rather than an error."""
    q = request.query_params
    chosen = {"kecamatan": q.get("kecamatan", "") if q.get("kecamatan") in names else "", "bulan": ""}
    bounds = _month_bounds(q.get("bulan", ""), request)
    if bounds is not None:
        chosen["bulan"] = q.get("bulan", "")
    since, until = bounds or (None, None)
    return Filter(xform_id, chosen["kecamatan"] or None, since, until), chosen


def _query(chosen: dict[str, str], **more: object) -> str:
    params = {**{k: v for k, v in chosen.items() if v}, **more}
    return "?" + urlencode(params) if params else ""


@needs(DINSOS)
async def formulir(request: Request, session: Session) -> Response:
    dash = dash_of(request)
    found = await _form_and_latest(request)
    if found is None:
        return dash.error(request, "not_found", 404, session=session)
    xform, form = found
    names = _names()
    f, chosen = _filter(request, xform.id, names)
    raw = request.query_params.get("hal", "1")
    page = max(int(raw), 1) if raw.isdigit() else 1
    listed, total = await xform_review.find(dash.reads, f, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    # The first answer names a submission in the table (a form's first question is usually what it is about).
    first = [next(iter(answers_shown(form, x.submission.data.get("answers", {}))), None) for x in listed]
    return dash.render(
        request, "formulir.html", session=session, xform=xform, rows=list(zip(listed, first, strict=True)),
        total=total, page=page, pages=pages, chosen=chosen, names=sorted(names.items(), key=lambda i: i[1]),
        kecamatan_names=names, labels=t.REVIEW_LABELS, query=_query(chosen), t=t,
        page_link=lambda n: f"/formulir/{xform.id}" + _query(chosen, hal=n),
    )  # fmt: skip


@needs(DINSOS)
async def ringkasan(request: Request, session: Session) -> Response:
    dash = dash_of(request)
    found = await _form_and_latest(request)
    if found is None:
        return dash.error(request, "not_found", 404, session=session)
    xform, form = found
    names = _names()
    f, chosen = _filter(request, xform.id, names)
    listed, total = await xform_review.find(dash.reads, f)
    answered = [as_answered(x.submission.id, names.get(x.submission.kecamatan_code, ""), x.submission.data)
                for x in listed]  # fmt: skip
    return dash.render(
        request, "formulir_ringkasan.html", session=session, xform=xform, total=total, chosen=chosen,
        names=sorted(names.items(), key=lambda i: i[1]), summaries=summaries(form, answered), t=t,
        query=_query(chosen),
    )  # fmt: skip


@needs(DINSOS)
async def unduh(request: Request, session: Session) -> Response:
    """The form's submissions (as filtered on its page) as XLSX, the sheets /ekspor has for it, or as CSV."""
    from bot.xlsform.form_download import form_csv, form_xlsx

    dash = dash_of(request)
    kind = request.path_params["kind"]
    found = await _form_and_latest(request)
    if found is None or kind not in ("xlsx", "csv"):
        return dash.error(request, "not_found", 404, session=session)
    xform, form = found
    names = _names()
    f, _ = _filter(request, xform.id, names)
    listed, _total = await xform_review.find(dash.reads, f)
    versions = {v.id: v.version for v in await xlsforms.versions(dash.reads, xform.id)}
    submitted = [
        Submitted(s.id, names.get(s.kecamatan_code, s.kecamatan_code), s.submitted_by, s.submitted_at,
                  versions.get(s.version_id, ""), s.data.get("answers", {}), s.data.get("repeats", {}))
        for s in reversed([x.submission for x in listed])
    ]  # fmt: skip
    tz, now = dash.config.timezone, dash.now()
    if kind == "xlsx":
        body = await asyncio.to_thread(form_xlsx, form, submitted, tz=tz, generated_at=now)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = await asyncio.to_thread(form_csv, form, submitted, tz=tz)
        media = "text/csv; charset=utf-8"
    name = f"{xform.form_id}-{now.astimezone(tz).date().isoformat()}.{kind}"
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


# --- one submission -----------------------------------------------------------------------------------------


async def _submission(request: Request) -> tuple[Listed, XForm, Form] | None:
    """The submission, its form and its own version's form (its labels and choices)."""
    dash = dash_of(request)
    listed = await xform_review.get(dash.reads, request.path_params["submission_id"])
    if listed is None:
        return None
    xform = await xlsforms.get_form(dash.reads, listed.xform_id)
    version = await xlsforms.get_version(dash.reads, listed.submission.version_id)
    if xform is None or version is None or xform.builtin:
        return None
    return listed, xform, await asyncio.to_thread(_read, version)


@needs(DINSOS)
async def kiriman(request: Request, session: Session) -> Response:
    dash = dash_of(request)
    found = await _submission(request)
    if found is None:
        return dash.error(request, "not_found", 404, session=session)
    listed, xform, form = found
    answers = listed.submission.data.get("answers", {})
    result = request.query_params.get("hasil", "")
    earlier = await xform_review.earlier_versions(dash.reads, listed.submission.id)
    return dash.render(
        request, "formulir_kiriman.html", session=session, listed=listed, s=listed.submission, xform=xform,
        shown=answers_shown(form, answers), photos=len(photo_ids(form, answers)), labels=t.REVIEW_LABELS,
        kecamatan=_names().get(listed.submission.kecamatan_code, listed.submission.kecamatan_code),
        result=fix_texts.RESULT_REPLACED if result == "versi_baru" else t.RESULT.get(result),
        result_ok=result in (xform_review.ACCEPTED, xform_review.NEEDS_FIX), earlier=earlier,
        version_line=fix_texts.version_line(listed.submission.version) if listed.submission.version > 1 else "",
    )  # fmt: skip


@needs(DINSOS)
async def tinjau(request: Request, session: Session) -> Response:
    """Diterima / Perlu perbaikan: the decision and its message to the submitter, in one write."""
    dash = dash_of(request)
    found = await _submission(request)
    if found is None:
        return dash.error(request, "not_found", 404, session=session)
    listed, xform, _ = found
    form = await request.form()
    decision, note, shown = form.get("keputusan"), form.get("catatan"), form.get("versi")
    if decision not in (xform_review.ACCEPTED, xform_review.NEEDS_FIX) or not (
        isinstance(shown, str) and shown.isdigit()
    ):
        return dash.error(request, "csrf", 400, session=session)
    comment = note.strip() if isinstance(note, str) else ""
    back = f"/formulir/kiriman/{listed.submission.id}?hasil="
    if decision == xform_review.NEEDS_FIX and not comment:
        return RedirectResponse(back + "catatan_kosong", status_code=303)
    done = await review.decide(
        dash.bot_app, listed, xform.title, status=decision, note=comment or None, admin_id=session.admin_id,
        admin_name=session.admin_name, version=int(shown),
    )  # fmt: skip
    outcome = decision if done else ("sudah" if int(shown) == listed.submission.version else "versi_baru")
    return RedirectResponse(back + outcome, status_code=303)


@needs(DINSOS)
async def foto(request: Request, session: Session) -> Response:
    """One photo of a submission, through the dashboard's photo cache (fetched from Telegram the first time)."""
    dash = dash_of(request)
    found = await _submission(request)
    ids = photo_ids(found[2], found[0].submission.data.get("answers", {})) if found is not None else []
    number = request.path_params["number"]
    if not 1 <= number <= len(ids):
        return dash.error(request, "not_found", 404, session=session)
    path = await dash.photos.get(dash.bot_app.bot, ids[number - 1])
    if path is None:
        return dash.error(request, "photo_missing", 502, session=session)
    return FileResponse(path, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=86400"})
