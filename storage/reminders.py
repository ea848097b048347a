"""Weekly evaluation reminders: who has reported this week, holidays, excused weeks, and the run ledger; the
published XLSForms a run also reminds of and counts (who still misses each in its current period)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot.clock import iso
from storage import outbox, xlsforms
from storage.db import Database, Tx
from storage.xlsforms import Publication, XForm

REMINDER_KIND = "reminder"
DIGEST_KIND = "reminder_digest"


@dataclass(frozen=True)
class Group:
    kecamatan_code: str
    kecamatan_name: str
    chat_id: int


@dataclass(frozen=True)
class WeekStatus:
    week: str  # Monday, YYYY-MM-DD
    active: tuple[Group, ...]
    done: frozenset[str]
    excused: frozenset[str]
    # Missing this week and the week before (neither reported nor excused): flagged for follow-up.
    missing_twice: frozenset[str]
    unregistered: int

    @property
    def expected(self) -> tuple[Group, ...]:
        return tuple(g for g in self.active if g.kecamatan_code not in self.excused)

    @property
    def missing(self) -> tuple[Group, ...]:
        return tuple(g for g in self.expected if g.kecamatan_code not in self.done)


async def _active_groups(tx: Tx) -> tuple[Group, ...]:
    rows = await tx.fetchall(
        """SELECT r.kecamatan_code, k.name, r.chat_id FROM registration r JOIN kecamatan k ON k.code = r.kecamatan_code
           WHERE r.status = 'active' ORDER BY r.kecamatan_code"""
    )
    return tuple(Group(r[0], r[1], r[2]) for r in rows)


async def _week_status(tx: Tx, week: str) -> WeekStatus:
    active = await _active_groups(tx)
    previous = (date.fromisoformat(week) - timedelta(days=7)).isoformat()
    done = await _codes(tx, "SELECT kecamatan_code FROM report WHERE form = 'evaluasi' AND week = ?", week)
    done_before = await _codes(tx, "SELECT kecamatan_code FROM report WHERE form = 'evaluasi' AND week = ?", previous)
    excused = await _codes(tx, "SELECT kecamatan_code FROM excuse WHERE week = ?", week)
    excused_before = await _codes(tx, "SELECT kecamatan_code FROM excuse WHERE week = ?", previous)
    total = int(await tx.fetchval("SELECT COUNT(*) FROM kecamatan"))
    missing_twice = frozenset(
        g.kecamatan_code for g in active if g.kecamatan_code not in done | excused | done_before | excused_before
    )
    return WeekStatus(week, active, done, excused, missing_twice, total - len(active))


async def _codes(tx: Tx, sql: str, week: str) -> frozenset[str]:
    return frozenset(r[0] for r in await tx.fetchall(sql, (week,)))


async def week_status(db: Database, week: str) -> WeekStatus:
    async with db.read() as tx:
        return await _week_status(tx, week)


@dataclass(frozen=True)
class FormDue:
    """A published XLSForm in its current period: [since, until), until being the end of its deadline day or
    of the week or month. `slot_key` names its reminder run ('' when only counted, as /rekap does)."""

    form: XForm
    publication: Publication
    since: datetime
    until: datetime
    targets: frozenset[str] | None  # None: every kecamatan with an active group
    slot_key: str = ""


@dataclass(frozen=True)
class FormProgress:
    due: FormDue
    expected: tuple[Group, ...]  # the active groups the form is for
    counts: dict[str, int] = field(default_factory=dict)  # submissions in the period, per kecamatan
    run_id: int = 0  # the xform_reminder row: the ref_id of this form's reminders

    @property
    def missing(self) -> tuple[Group, ...]:
        return tuple(g for g in self.expected if g.kecamatan_code not in self.counts)

    @property
    def done(self) -> int:
        return len(self.expected) - len(self.missing)

    @property
    def submissions(self) -> int:
        return sum(self.counts.values())


async def _form_progress(tx: Tx, due: FormDue, active: tuple[Group, ...]) -> FormProgress:
    counts = await xlsforms.submission_counts(tx, due.form.id, since=iso(due.since), until=iso(due.until))
    expected = tuple(g for g in active if due.targets is None or g.kecamatan_code in due.targets)
    return FormProgress(due, expected, counts)


async def form_progress(db: Database, forms: Sequence[FormDue]) -> list[FormProgress]:
    """Who has sent each form in its period, and which of the groups it is for have not."""
    async with db.read() as tx:
        active = await _active_groups(tx)
        return [await _form_progress(tx, due, active) for due in forms]


@dataclass(frozen=True)
class Run:
    id: int
    kind: str
    week: str
    status: WeekStatus
    forms: tuple[FormProgress, ...] = ()


async def record_run(
    db: Database,
    *,
    slot_key: str,
    kind: str,
    week: str,
    due_at: datetime,
    now: datetime,
    owed: Callable[[int, WeekStatus, tuple[FormProgress, ...]], list[outbox.Owed]],
    forms: Sequence[FormDue] = (),
) -> Run | None:
    """Record a reminder run, and one run per XLSForm due with it, and queue all their messages (one digest for
    all) in one transaction; None if this slot already ran. Who is missing is read in the same transaction."""
    async with db.transaction() as tx:
        exists = await tx.fetchval("SELECT 1 FROM reminder_run WHERE slot_key = ?", (slot_key,))
        if exists:
            return None
        status = await _week_status(tx, week)
        run_id = await tx.insert(
            """INSERT INTO reminder_run (slot_key, kind, week, due_at, ran_at, reminded) VALUES (?, ?, ?, ?, ?, ?)""",
            (slot_key, kind, week, iso(due_at), iso(now), len(status.missing)),
        )
        progress = []
        for due in forms:
            found = await _form_progress(tx, due, status.active)
            form_run = await xlsforms.record_reminder(
                tx, slot_key=due.slot_key, xform_id=due.form.id, period_start=iso(due.since),
                reminded=len(found.missing), now=now,
            )  # fmt: skip
            if form_run is not None:
                progress.append(FormProgress(due, found.expected, found.counts, form_run))
        await outbox.enqueue_all(tx, owed(run_id, status, tuple(progress)), now)
    return Run(run_id, kind, week, status, tuple(progress))


async def slot_ran(db: Database, slot_key: str) -> bool:
    async with db.read() as tx:
        return bool(await tx.fetchval("SELECT 1 FROM reminder_run WHERE slot_key = ?", (slot_key,)))


async def digests_since(db: Database, since: datetime) -> int:
    """How many scheduled runs (first reminders and follow-ups, each with its digest) were due since `since`."""
    async with db.read() as tx:
        return int(
            await tx.fetchval(
                "SELECT COUNT(*) FROM reminder_run WHERE kind IN ('first', 'followup') AND due_at >= ?", (iso(since),)
            )
        )


@dataclass(frozen=True)
class Holiday:
    day: date
    reason: str


async def add_holiday(db: Database, day: date, *, reason: str, admin_id: int, now: datetime) -> bool:
    """False if the date was already marked (its reason is updated)."""
    async with db.transaction() as tx:
        existed = await tx.fetchval("SELECT 1 FROM holiday WHERE day = ?", (day.isoformat(),))
        await tx.execute(
            """INSERT INTO holiday (day, reason, added_by_id, added_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (day) DO UPDATE SET reason = excluded.reason""",
            (day.isoformat(), reason, admin_id, iso(now)),
        )
    return not existed


async def remove_holiday(db: Database, day: date) -> bool:
    async with db.transaction() as tx:
        return await tx.execute("DELETE FROM holiday WHERE day = ?", (day.isoformat(),)) > 0


async def holidays(db: Database, *, since: date | None = None) -> list[Holiday]:
    async with db.read() as tx:
        rows = await tx.fetchall(
            "SELECT day, reason FROM holiday WHERE day >= ? ORDER BY day", ((since or date.min).isoformat(),)
        )
    return [Holiday(date.fromisoformat(r[0]), r[1]) for r in rows]


async def excuse(db: Database, kecamatan_code: str, week: str, *, reason: str, admin_id: int, now: datetime) -> bool:
    """Excuse a kecamatan for a week; False if it already was (the reason is updated)."""
    async with db.transaction() as tx:
        existed = await tx.fetchval(
            "SELECT 1 FROM excuse WHERE kecamatan_code = ? AND week = ?", (kecamatan_code, week)
        )
        await tx.execute(
            """INSERT INTO excuse (kecamatan_code, week, reason, added_by_id, added_at) VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (kecamatan_code, week) DO UPDATE SET reason = excluded.reason""",
            (kecamatan_code, week, reason, admin_id, iso(now)),
        )
    return not existed


async def excuses(db: Database, week: str) -> list[tuple[str, str, str]]:
    """(kecamatan code, name, reason) excused for the week."""
    async with db.read() as tx:
        rows = await tx.fetchall(
            """SELECT e.kecamatan_code, k.name, e.reason FROM excuse e JOIN kecamatan k ON k.code = e.kecamatan_code
               WHERE e.week = ? ORDER BY e.kecamatan_code""",
            (week,),
        )
    return [(r[0], r[1], r[2]) for r in rows]
