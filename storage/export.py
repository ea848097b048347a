"""Everything Dinsos may export, as plain rows per table."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from storage import announcements, forms, program_kerja, registrations, xlsforms
from storage.db import Database


async def kecamatan_rows(db: Database) -> list[dict[str, Any]]:
    return [
        {
            "code": s.code,
            "name": s.name,
            "status": s.state.value,
            "chat_id": s.active.chat_id if s.active else None,
            "chat_title": s.active.chat_title if s.active else None,
        }
        for s in await registrations.overview(db)
    ]


async def chat_rows(db: Database) -> list[dict[str, Any]]:
    """Every registration ever made (one row per claim), oldest first."""
    return [
        {
            "registration_id": r.id,
            "chat_id": r.chat_id,
            "title": r.chat_title,
            "kecamatan_code": r.kecamatan_code,
            "kecamatan_name": r.kecamatan_name,
            "status": r.status.value,
            "requested_by_id": r.requested_by_id,
            "requested_by": r.requested_by_name,
            "requested_at": r.requested_at,
            "approved_by_id": r.decided_by_id,
            "approved_by": r.decided_by_name,
            "decided_at": r.decided_at,
            "ended_at": r.ended_at,
            "end_reason": r.end_reason,
        }
        for r in await registrations.all_registrations(db)
    ]


async def announcement_rows(db: Database) -> list[dict[str, Any]]:
    """Every sent announcement with, per kecamatan, its delivery and acknowledgement."""
    rows = []
    for ann in await announcements.all_sent(db):
        content = ann.content
        rows.append(
            {
                "id": ann.id,
                "kind": content.kind if content else None,
                "text": content.text if content else None,
                "file_id": content.file_id if content else None,
                "sender_id": ann.admin_id,
                "sender": ann.admin_name,
                "sent_at": ann.sent_at,
                "finished_at": ann.finished_at,
                "target": list(ann.target_codes) if ann.target_codes is not None else "semua",
                "deliveries": [
                    {
                        "kecamatan_code": d.kecamatan_code,
                        "kecamatan_name": d.kecamatan_name,
                        "chat_id": d.chat_id,
                        "status": d.status,
                        "message_id": d.message_id,
                        "error": d.error,
                        "sent_at": d.sent_at,
                        "acknowledged_by_id": d.acked_by_id,
                        "acknowledged_by": d.acked_by,
                        "acknowledged_at": d.acked_at,
                    }
                    for d in await announcements.deliveries(db, ann.id)
                ],
            }
        )
    return rows


async def report_rows(db: Database, form: str) -> list[dict[str, Any]]:
    """Every report of a form: current answers (photos as Telegram file ids) and every version. A laporan also
    names the program kerja its answer `program` holds by uid (None: outside the plan, or never asked)."""
    rows = []
    programs = await program_kerja.program_names(db) if form == "laporan" else {}
    for report in await forms.all_reports(db, form):
        rows.append(
            {
                "id": report.id,
                "number": report.number,
                "kecamatan_code": report.kecamatan_code,
                "week": report.week,
                "version": report.version,
                "submitted_by_id": report.submitted_by_id,
                "submitted_by": report.submitted_by,
                "created_at": report.created_at,
                "updated_at": report.updated_at,
                "answers": report.answers,
                **({"program_nama": programs.get(report.answers.get("program") or "")} if form == "laporan" else {}),
                "review_status": report.review_status,
                "review_comment": report.review_comment,
                "reviewed_by": report.reviewed_by,
                "reviewed_at": report.reviewed_at,
                "versions": [
                    {
                        "version": v.version,
                        "submitted_by_id": v.submitted_by_id,
                        "submitted_by": v.submitted_by,
                        "submitted_at": v.submitted_at,
                        "answers": v.answers,
                        "review_status": v.review_status,
                        "review_comment": v.review_comment,
                        "reviewed_by": v.reviewed_by,
                        "reviewed_at": v.reviewed_at,
                    }
                    for v in await forms.versions(db, report.id)
                ],
            }
        )
    return rows


async def plan_years(db: Database) -> list[int]:
    """The years any kecamatan has a program kerja for."""
    async with db.read() as tx:
        return [row[0] for row in await tx.fetchall("SELECT DISTINCT year FROM program_plan ORDER BY year")]


async def program_plan_rows(db: Database, years: list[int]) -> list[dict[str, Any]]:
    """Each kecamatan's program kerja for each year: the version in force, else the newest; with its programs."""
    rows = []
    for year in years:
        for state in (await program_kerja.year_states(db, year)).values():
            plan = state.in_force or state.latest
            if plan is None:
                continue
            programs = await program_kerja.programs(db, plan.id)
            rows.append(asdict(plan) | {"programs": [p.as_dict() for p in programs]})
    return rows


async def program_activity_rows(db: Database, years: list[int]) -> list[dict[str, Any]]:
    """The laporan kegiatan of those years as program kerja counts them (`program_uid` None: outside the plan)."""
    keep = ("report_id", "number", "kecamatan_code", "program_uid", "nama", "peserta", "penerima", "dana")
    return [
        {name: getattr(a, name) for name in keep} | {"tanggal": a.tanggal.isoformat()}
        for year in years
        for a in await program_kerja.activities(db, year)
    ]


async def all_tables(db: Database) -> dict[str, list[dict[str, Any]]]:
    """Top-level keys of the JSON export; later capabilities add theirs here."""
    years = await plan_years(db)
    return {
        "kecamatan": await kecamatan_rows(db),
        "chats": await chat_rows(db),
        "announcements": await announcement_rows(db),
        "reports": await report_rows(db, "laporan"),
        "evaluations": await report_rows(db, "evaluasi"),
        # XLSForm forms (issue 11): each with its versions and submissions.
        "xlsforms": await xlsforms.export_rows(db),
        # Program kerja (issue 17): the plans with their programs, and the laporan that realise them.
        "program_plans": await program_plan_rows(db, years),
        "program_activities": await program_activity_rows(db, years),
    }
