"""The Dinsos dashboard's data: login links and sessions (hashed tokens), and the read models of its pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from bot.clock import iso
from storage.announcements import KIND as ANNOUNCEMENT_KIND
from storage.db import Database
from storage.forms import _REPORT, Report, _report
from storage.program_kerja import Activity, _activity

# --- Login links and sessions -----------------------------------------------------------------------------


class LoginResult(StrEnum):
    OK = "ok"
    UNKNOWN = "unknown"  # never issued (forged, mistyped)
    EXPIRED = "expired"
    USED = "used"


async def add_login(
    db: Database, token_hash: str, admin_id: int, admin_name: str, *, now: datetime, ttl: timedelta,
    kecamatan_code: str | None = None,
) -> None:  # fmt: skip
    """A one-time link: a Dinsos admin's (kecamatan_code None), or a pengurus's bound to their kecamatan."""
    async with db.transaction() as tx:
        await tx.execute(
            """INSERT INTO dashboard_login (token_hash, admin_id, admin_name, created_at, expires_at, kecamatan_code)
               VALUES (?, ?, ?, ?, ?, ?)""",
            (token_hash, admin_id, admin_name, iso(now), iso(now + ttl), kecamatan_code),
        )


async def check_login(db: Database, token_hash: str, *, now: datetime) -> LoginResult:
    """Whether a login link would still open, without spending it."""
    async with db.read() as tx:
        row = await tx.fetchone("SELECT used_at, expires_at FROM dashboard_login WHERE token_hash = ?", (token_hash,))
    if row is None:
        return LoginResult.UNKNOWN
    if row["used_at"] is not None:
        return LoginResult.USED
    return LoginResult.EXPIRED if row["expires_at"] <= iso(now) else LoginResult.OK


@dataclass(frozen=True)
class Login:
    """Who a spent login link was made for: a Dinsos admin (kecamatan_code None) or a kecamatan's pengurus."""

    user_id: int
    user_name: str
    kecamatan_code: str | None


async def use_login(db: Database, token_hash: str, *, now: datetime) -> tuple[LoginResult, Login | None]:
    """Spend a login link once; (OK, who it was made for) only for the first use within its time."""
    async with db.transaction() as tx:
        row = await tx.fetchone("SELECT * FROM dashboard_login WHERE token_hash = ?", (token_hash,))
        if row is None:
            return LoginResult.UNKNOWN, None
        if row["used_at"] is not None:
            return LoginResult.USED, None
        if row["expires_at"] <= iso(now):
            return LoginResult.EXPIRED, None
        changed = await tx.execute(
            "UPDATE dashboard_login SET used_at = ? WHERE token_hash = ? AND used_at IS NULL", (iso(now), token_hash)
        )
    if not changed:
        return LoginResult.USED, None
    return LoginResult.OK, Login(row["admin_id"], row["admin_name"], row["kecamatan_code"])


@dataclass(frozen=True)
class Session:
    admin_id: int
    admin_name: str
    csrf_token: str
    via: str
    expires_at: str
    # None: a Dinsos admin's session. Else a pengurus's, bound to the kecamatan its login link was made for
    # (admin_id and admin_name are then the pengurus's Telegram id and name).
    kecamatan_code: str | None = None


async def start_session(
    db: Database, token_hash: str, *, admin_id: int, admin_name: str, csrf_token: str, via: str,
    now: datetime, ttl: timedelta, kecamatan_code: str | None = None,
) -> None:  # fmt: skip
    async with db.transaction() as tx:
        # Old links and sessions are worth nothing; dropping them keeps both tables small.
        await tx.execute("DELETE FROM dashboard_login WHERE expires_at < ?", (iso(now - timedelta(days=1)),))
        await tx.execute("DELETE FROM dashboard_session WHERE expires_at < ?", (iso(now - timedelta(days=1)),))
        await tx.execute(
            """INSERT INTO dashboard_session (token_hash, admin_id, admin_name, csrf_token, via, created_at,
                   expires_at, kecamatan_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            (token_hash, admin_id, admin_name, csrf_token, via, iso(now), iso(now + ttl), kecamatan_code),
        )


async def live_session(db: Database, token_hash: str, *, now: datetime) -> Session | None:
    """The session for this cookie, unless it ended or expired."""
    async with db.read() as tx:
        row = await tx.fetchone(
            """SELECT admin_id, admin_name, csrf_token, via, expires_at, kecamatan_code FROM dashboard_session
               WHERE token_hash = ? AND ended_at IS NULL AND expires_at > ?""",
            (token_hash, iso(now)),
        )
    return None if row is None else Session(*tuple(row))


async def end_session(db: Database, token_hash: str, *, now: datetime) -> bool:
    async with db.transaction() as tx:
        changed = await tx.execute(
            "UPDATE dashboard_session SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL",
            (iso(now), token_hash),
        )
    return changed > 0


# --- Ringkasan --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KecamatanRow:
    code: str
    name: str
    registered: bool
    pending_registration: bool
    group_title: str | None
    evaluated: bool  # this week
    excused: bool  # this week
    evaluated_last_week: bool
    excused_last_week: bool
    last_report_at: str | None  # newest laporan, any time
    reports_month: int
    delivered: int  # copies of announcements that reached the group, ever
    acknowledged: int
    reviews_waiting: int
    active_before_last_week: bool  # the group was approved before last week began: it could have reported

    @property
    def two_weeks_missing(self) -> bool:
        """Registered since before last week, and neither this week nor last week evaluated or excused."""
        return (
            self.registered
            and self.active_before_last_week
            and not (self.evaluated or self.excused)
            and not (self.evaluated_last_week or self.excused_last_week)
        )


_OVERVIEW = """
SELECT k.code, k.name,
    EXISTS (SELECT 1 FROM registration g WHERE g.kecamatan_code = k.code AND g.status = 'active') AS registered,
    EXISTS (SELECT 1 FROM registration g WHERE g.kecamatan_code = k.code AND g.status = 'pending') AS pending,
    (SELECT g.chat_title FROM registration g WHERE g.kecamatan_code = k.code AND g.status = 'active') AS title,
    EXISTS (SELECT 1 FROM report r WHERE r.kecamatan_code = k.code AND r.form = 'evaluasi' AND r.week = :week)
        AS evaluated,
    EXISTS (SELECT 1 FROM excuse e WHERE e.kecamatan_code = k.code AND e.week = :week) AS excused,
    EXISTS (SELECT 1 FROM report r WHERE r.kecamatan_code = k.code AND r.form = 'evaluasi' AND r.week = :last_week)
        AS evaluated_last_week,
    EXISTS (SELECT 1 FROM excuse e WHERE e.kecamatan_code = k.code AND e.week = :last_week) AS excused_last_week,
    (SELECT MAX(r.created_at) FROM report r WHERE r.kecamatan_code = k.code AND r.form = 'laporan') AS last_report,
    (SELECT COUNT(*) FROM report r WHERE r.kecamatan_code = k.code AND r.form = 'laporan'
        AND r.created_at >= :month_since AND r.created_at < :month_until) AS reports_month,
    (SELECT COUNT(*) FROM outbox o WHERE o.kind = :kind AND o.kecamatan_code = k.code AND o.status = 'sent')
        AS delivered,
    (SELECT COUNT(*) FROM announcement_ack a WHERE a.kecamatan_code = k.code) AS acknowledged,
    (SELECT COUNT(*) FROM report r JOIN report_version v ON v.report_id = r.id AND v.version = r.version
        WHERE r.kecamatan_code = k.code AND v.review_status IS NULL) AS waiting,
    EXISTS (SELECT 1 FROM registration g WHERE g.kecamatan_code = k.code AND g.status = 'active'
        AND g.decided_at < :last_week_since) AS active_before_last_week
FROM kecamatan k WHERE :code IS NULL OR k.code = :code ORDER BY k.code
"""


async def overview(
    db: Database, *, week: str, last_week: str, last_week_since: datetime, month_since: datetime,
    month_until: datetime, code: str | None = None,
) -> list[KecamatanRow]:  # fmt: skip
    """Every kecamatan (or the one with `code`) in code order, with what Ringkasan shows about it;
    `last_week_since` is last week's Monday 00.00."""
    params = {
        "code": code,
        "week": week, "last_week": last_week, "month_since": iso(month_since), "month_until": iso(month_until),
        "kind": ANNOUNCEMENT_KIND, "last_week_since": iso(last_week_since),
    }  # fmt: skip
    async with db.read() as tx:
        rows = await tx.fetchall(_OVERVIEW, params)
    return [
        KecamatanRow(
            *tuple(r)[:2],
            *(bool(v) for v in tuple(r)[2:4]),
            r["title"],
            *(bool(v) for v in tuple(r)[5:9]),
            *tuple(r)[9:14],
            bool(r["active_before_last_week"]),
        )
        for r in rows
    ]


async def kecamatan_name(db: Database, code: str) -> str | None:
    async with db.read() as tx:
        return await tx.fetchval("SELECT name FROM kecamatan WHERE code = ?", (code,))


async def kecamatan_names(db: Database) -> list[tuple[str, str]]:
    async with db.read() as tx:
        rows = await tx.fetchall("SELECT code, name FROM kecamatan ORDER BY name")
    return [(r[0], r[1]) for r in rows]


# --- Laporan ----------------------------------------------------------------------------------------------

REVIEW_STATES = ("menunggu", "diterima", "perlu_perbaikan")


@dataclass(frozen=True)
class ReportFilter:
    form: str = "laporan"
    kecamatan_code: str | None = None
    bidang: str | None = None
    since: datetime | None = None  # [since, until) on created_at
    until: datetime | None = None
    review: str | None = None  # one of REVIEW_STATES


def _where(f: ReportFilter) -> tuple[str, list[Any]]:
    clauses, params = ["r.form = ?"], [f.form]
    if f.kecamatan_code:
        clauses.append("r.kecamatan_code = ?")
        params.append(f.kecamatan_code)
    if f.bidang:
        clauses.append("json_extract(v.answers, '$.bidang') = ?")
        params.append(f.bidang)
    if f.since is not None and f.until is not None:
        clauses += ["r.created_at >= ?", "r.created_at < ?"]
        params += [iso(f.since), iso(f.until)]
    if f.review == "menunggu":
        clauses.append("v.review_status IS NULL")
    elif f.review in REVIEW_STATES:
        clauses.append("v.review_status = ?")
        params.append(f.review)
    return " AND ".join(clauses), params


async def find_reports(db: Database, f: ReportFilter, *, limit: int, offset: int = 0) -> tuple[list[Report], int]:
    """One page of reports matching the filter, newest first, and how many match in all."""
    where, params = _where(f)
    async with db.read() as tx:
        total = await tx.fetchval(
            f"""SELECT COUNT(*) FROM report r JOIN report_version v ON v.report_id = r.id AND v.version = r.version
                WHERE {where}""",
            params,
        )
        rows = await tx.fetchall(
            f"{_REPORT} WHERE {where} ORDER BY r.created_at DESC, r.id DESC LIMIT ? OFFSET ?", [*params, limit, offset]
        )
    return [_report(r) for r in rows], total


async def reports_of(db: Database, kecamatan_code: str, form: str, limit: int = 200) -> list[Report]:
    """A kecamatan's reports of one form, newest first (evaluations: by week)."""
    order = "r.week DESC" if form == "evaluasi" else "r.created_at DESC, r.id DESC"
    async with db.read() as tx:
        rows = await tx.fetchall(
            f"{_REPORT} WHERE r.kecamatan_code = ? AND r.form = ? ORDER BY {order} LIMIT ?",
            (kecamatan_code, form, limit),
        )
    return [_report(r) for r in rows]


# --- Pengumuman -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnnouncementSummary:
    id: int
    admin_name: str
    kind: str | None
    text: str
    sent_at: str | None
    status: str
    targets: int
    sent: int
    failed: int
    pending: int
    acknowledged: int


async def announcement_summaries(db: Database, *, limit: int, offset: int = 0) -> tuple[list[AnnouncementSummary], int]:
    """Sent announcements, newest first, with their delivery and acknowledgement counts."""
    async with db.read() as tx:
        total = await tx.fetchval("SELECT COUNT(*) FROM announcement WHERE status IN ('sending', 'done')")
        rows = await tx.fetchall(
            """SELECT a.id, a.admin_name, a.content_kind, COALESCE(a.text, ''), a.sent_at, a.status,
                   (SELECT COUNT(*) FROM outbox o WHERE o.kind = :kind AND o.ref_id = a.id),
                   (SELECT COUNT(*) FROM outbox o WHERE o.kind = :kind AND o.ref_id = a.id AND o.status = 'sent'),
                   (SELECT COUNT(*) FROM outbox o WHERE o.kind = :kind AND o.ref_id = a.id AND o.status = 'failed'),
                   (SELECT COUNT(*) FROM outbox o WHERE o.kind = :kind AND o.ref_id = a.id AND o.status = 'pending'),
                   (SELECT COUNT(*) FROM announcement_ack k WHERE k.announcement_id = a.id)
               FROM announcement a WHERE a.status IN ('sending', 'done')
               ORDER BY a.id DESC LIMIT :limit OFFSET :offset""",
            {"kind": ANNOUNCEMENT_KIND, "limit": limit, "offset": offset},
        )
    return [AnnouncementSummary(*tuple(r)) for r in rows], total


@dataclass(frozen=True)
class KecamatanAnnouncement:
    id: int
    text: str
    sent_at: str | None
    status: str  # pending, sent, failed
    acked_by: str | None
    acked_at: str | None


async def announcements_for(db: Database, kecamatan_code: str, limit: int = 100) -> list[KecamatanAnnouncement]:
    """The announcements that went (or were meant to go) to this kecamatan, newest first."""
    async with db.read() as tx:
        rows = await tx.fetchall(
            """SELECT a.id, COALESCE(a.text, ''), a.sent_at, o.status, k.user_name, k.acked_at
               FROM outbox o JOIN announcement a ON a.id = o.ref_id
               LEFT JOIN announcement_ack k ON k.announcement_id = a.id AND k.kecamatan_code = o.kecamatan_code
               WHERE o.kind = ? AND o.kecamatan_code = ? ORDER BY a.id DESC LIMIT ?""",
            (ANNOUNCEMENT_KIND, kecamatan_code, limit),
        )
    return [KecamatanAnnouncement(*tuple(r)) for r in rows]


# --- Program kerja ----------------------------------------------------------------------------------------


async def laporan_stored_since(db: Database, year: int, after: int) -> tuple[int, list[tuple[int, Activity | None]]]:
    """The laporan whose current version was stored after version row `after` (0: all of them), as program kerja
    counts them: (the newest version row id, each report's id with its Activity, or None when its activity date is
    not in `year`). A laporan stored or edited always makes a new version row, with a growing id."""
    async with db.read() as tx:
        newest = await tx.fetchval("SELECT COALESCE(MAX(id), 0) FROM report_version")
        rows = await tx.fetchall(
            """SELECT r.id, r.number, r.kecamatan_code, v.answers, v.review_status
               FROM report_version v JOIN report r ON r.id = v.report_id AND r.version = v.version
               WHERE r.form = 'laporan' AND v.id > ? AND v.id <= ?""",
            (after, newest),
        )
    out: list[tuple[int, Activity | None]] = []
    for row in rows:
        try:
            activity: Activity | None = _activity(row)
        except (KeyError, ValueError):  # no activity date (not a laporan kegiatan as program kerja counts them)
            activity = None
        out.append((row["id"], activity if activity is not None and activity.tanggal.year == year else None))
    return newest, out
