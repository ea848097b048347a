"""The Dinsos recap: per kecamatan, this week's evaluation, reports in a period, last activity, acknowledgements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.clock import iso, parse_iso
from storage.announcements import KIND as ANNOUNCEMENT_KIND
from storage.db import Database


class EvaluationStatus(StrEnum):
    SUBMITTED = "sudah"
    EXCUSED = "diizinkan"
    MISSING = "belum"
    UNREGISTERED = "belum terdaftar"  # no active group: nobody could have filled it in


@dataclass(frozen=True)
class KecamatanRecap:
    code: str
    name: str
    evaluation: EvaluationStatus
    reports: int  # laporan created in the period
    last_activity: datetime | None  # newest report or evaluation (any version), ever
    delivered: int  # copies of the period's announcements that reached the group
    acknowledged: int  # of those, how many the group marked "Sudah dibaca"
    registered: bool = False  # has an active group now
    excused: bool = False  # excused from this week's evaluation

    @property
    def expected(self) -> bool:
        """Counted in the evaluation tally: registered and not excused (as the reminders count)."""
        return self.registered and not self.excused


# One row per kecamatan. The period is [since, until) on the stored UTC timestamps, which sort as text; an
# announcement belongs to the period it was sent in, so a late acknowledgement still counts for it.
_RECAP = """
SELECT k.code, k.name,
    EXISTS (SELECT 1 FROM report r WHERE r.kecamatan_code = k.code AND r.form = 'evaluasi' AND r.week = :week)
        AS evaluated,
    EXISTS (SELECT 1 FROM excuse e WHERE e.kecamatan_code = k.code AND e.week = :week) AS excused,
    EXISTS (SELECT 1 FROM registration g WHERE g.kecamatan_code = k.code AND g.status = 'active') AS registered,
    (SELECT COUNT(*) FROM report r
        WHERE r.kecamatan_code = k.code AND r.form = 'laporan' AND r.created_at >= :since AND r.created_at < :until)
        AS reports,
    (SELECT MAX(r.updated_at) FROM report r WHERE r.kecamatan_code = k.code) AS last_activity,
    (SELECT COUNT(*) FROM outbox o JOIN announcement a ON a.id = o.ref_id
        WHERE o.kind = :kind AND o.kecamatan_code = k.code AND o.status = 'sent'
          AND a.sent_at >= :since AND a.sent_at < :until) AS delivered,
    (SELECT COUNT(*) FROM outbox o JOIN announcement a ON a.id = o.ref_id
        JOIN announcement_ack ack ON ack.announcement_id = o.ref_id AND ack.kecamatan_code = o.kecamatan_code
        WHERE o.kind = :kind AND o.kecamatan_code = k.code AND o.status = 'sent'
          AND a.sent_at >= :since AND a.sent_at < :until) AS acknowledged
FROM kecamatan k ORDER BY k.code
"""


def _status(evaluated: bool, excused: bool, registered: bool) -> EvaluationStatus:
    # A submitted evaluation counts even if the group was excused or has since left.
    if evaluated:
        return EvaluationStatus.SUBMITTED
    if excused:
        return EvaluationStatus.EXCUSED
    return EvaluationStatus.MISSING if registered else EvaluationStatus.UNREGISTERED


async def kecamatan_recap(db: Database, *, week: str, since: datetime, until: datetime) -> list[KecamatanRecap]:
    """All kecamatan in code order; `week` is the Monday (WIB) of the evaluation week, [since, until) the period."""
    params = {"week": week, "since": iso(since), "until": iso(until), "kind": ANNOUNCEMENT_KIND}
    async with db.read() as tx:
        rows = await tx.fetchall(_RECAP, params)
    return [
        KecamatanRecap(
            code=row["code"],
            name=row["name"],
            evaluation=_status(bool(row["evaluated"]), bool(row["excused"]), bool(row["registered"])),
            reports=row["reports"],
            last_activity=parse_iso(row["last_activity"]) if row["last_activity"] else None,
            delivered=row["delivered"],
            acknowledged=row["acknowledged"],
            registered=bool(row["registered"]),
            excused=bool(row["excused"]),
        )
        for row in rows
    ]
