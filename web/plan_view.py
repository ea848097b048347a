"""What the program kerja pages show of one kecamatan's year (the pengurus's page and Dinsos's), read through
storage/ in a handful of queries, and the years a page may show."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date

from bot.program_kerja import realization
from bot.program_kerja.model import Program, bidang_label, lokasi_label, ppks_label, sumber_label
from bot.program_kerja.realization import ProgramRealization, Totals
from bot.wilayah import Kecamatan
from storage import dashboard, program_kerja
from storage.db import Database
from storage.program_kerja import OPEN, Activity, Plan
from web.month_chart import Chart, chart

NOT_STARTED = "belum"  # no version yet: texts.program_kerja.STATUS_LABELS["belum"]
BARU, DIUBAH = "baru", "diubah"  # how a program of a perubahan differs from the plan in force


def pengurus_years(today: date) -> tuple[int, ...]:
    """A pengurus plans this year or the next."""
    return (today.year, today.year + 1)


def dinsos_years(today: date) -> tuple[int, ...]:
    """Dinsos also looks back at last year's (its LPJ is written in January)."""
    return (today.year - 1, today.year, today.year + 1)


@dataclass(frozen=True)
class PlanView:
    kecamatan: Kecamatan
    year: int
    versions: list[Plan]  # newest first
    open: Plan | None  # the version being edited or waiting for Dinsos
    in_force: Plan | None  # the approved one
    open_programs: list[Program]
    in_force_programs: list[Program]
    realized: list[ProgramRealization]  # of the programs in force
    totals: Totals | None  # None without a plan in force
    outside: list[Activity]  # the year's laporan not linked to a program in force
    months: Chart
    deadline: date | None

    @property
    def status(self) -> str:
        """The state people talk about: the open version's, else diterima, else belum."""
        if self.open is not None:
            return self.open.status
        return program_kerja.ACCEPTED if self.in_force is not None else NOT_STARTED

    @property
    def editable(self) -> bool:
        """The pengurus's table takes changes: a draft, a plan sent back, or nothing yet."""
        return self.open.editable if self.open is not None else self.in_force is None

    @property
    def shown(self) -> tuple[Plan | None, list[Program]]:
        """The version the pengurus sees as "the plan": the open one, else the one in force."""
        if self.open is not None:
            return self.open, self.open_programs
        return self.in_force, self.in_force_programs


async def load(db: Database, kecamatan: Kecamatan, year: int, *, today: date) -> PlanView:
    versions = await program_kerja.versions(db, kecamatan.code, year)
    open_plan = next((p for p in versions if p.status in OPEN), None)
    in_force = next((p for p in versions if p.status == program_kerja.ACCEPTED), None)
    open_programs = await program_kerja.programs(db, open_plan.id) if open_plan else []
    force_programs = await program_kerja.programs(db, in_force.id) if in_force else []
    activities = await program_kerja.activities(db, year, kecamatan.code)
    realized = realization.realize(force_programs, activities, year=year, today=today)
    uids = {p.uid for p in force_programs}
    return PlanView(
        kecamatan=kecamatan, year=year, versions=versions, open=open_plan, in_force=in_force,
        open_programs=open_programs, in_force_programs=force_programs, realized=realized,
        totals=realization.totals(realized, activities) if in_force else None,
        outside=[a for a in activities if a.program_uid not in uids],
        months=chart(realization.by_month(realized)), deadline=await program_kerja.deadline(db, year),
    )  # fmt: skip


@dataclass(frozen=True)
class ProgramText:
    """A program's values as a page shows them (labels instead of codes)."""

    program: Program
    bidang: str
    sasaran: str
    lokasi: str
    sumber: str
    change: str | None = None  # against the plan in force: 'baru', 'diubah', or None (the same, or no comparison)


def described(programs: list[Program], kecamatan: Kecamatan, before: list[Program] | None = None) -> list[ProgramText]:
    """Labels instead of codes; with `before` (the plan in force), what a perubahan adds or changes."""
    earlier = {p.uid: p for p in before} if before else None
    out = []
    for p in programs:
        sasaran = ", ".join([*(ppks_label(c) for c in p.sasaran_ppks), *([p.sasaran_lain] if p.sasaran_lain else [])])
        change = None
        if earlier is not None:
            change = BARU if p.uid not in earlier else (DIUBAH if earlier[p.uid] != p else None)
        out.append(ProgramText(p, bidang_label(p.bidang), sasaran, lokasi_label(p.lokasi, kecamatan),
                               sumber_label(p.sumber_dana), change))  # fmt: skip
    return out


def dropped(programs: list[Program], before: list[Program]) -> list[Program]:
    """The programs in force that a perubahan leaves out."""
    kept = {p.uid for p in programs}
    return [p for p in before if p.uid not in kept]


class YearActivities:
    """The kabupaten page's laporan of a year, kept between pages: read whole once, then only the laporan stored or
    edited since (a new version row each), so twenty browsers on the page do not each parse a year of laporan.
    A review decision changes no row id and is not followed: the page counts activities, not reviews."""

    def __init__(self) -> None:
        self._years: dict[int, tuple[int, dict[int, Activity], list[Activity]]] = {}
        self._lock = asyncio.Lock()

    async def get(self, db: Database, year: int) -> list[Activity]:
        """Oldest first, as storage.program_kerja.activities gives them."""
        async with self._lock:
            seen, held, ordered = self._years.get(year, (0, {}, []))
            newest, changed = await dashboard.laporan_stored_since(db, year, seen)
            if changed or year not in self._years:
                held = dict(held)
                for report_id, activity in changed:
                    if activity is None:
                        held.pop(report_id, None)  # its new version moved out of the year
                    else:
                        held[report_id] = activity
                ordered = sorted(held.values(), key=lambda a: (a.tanggal, a.report_id))
            self._years[year] = (newest, held, ordered)
        return ordered

    def newest(self, year: int) -> int:
        """The newest version row read for the year: the laporan have not changed while it is the same."""
        return self._years.get(year, (0, {}, []))[0]


@dataclass(frozen=True)
class KabupatenYear:
    """What the kabupaten page counts for a year: each kecamatan's realization of its plan in force."""

    realized: dict[str, list[ProgramRealization]]
    totals: dict[str, Totals]


class KabupatenRealization:
    """The kabupaten page's counting, done again only when something it counts changed: the plans in force (an
    approved plan's programs never change; a perubahan is another plan, so their ids say it), the laporan
    (YearActivities' newest version row), or the day (a month turns late)."""

    def __init__(self, activities: YearActivities) -> None:
        self._activities = activities
        self._held: dict[int, tuple[tuple[object, ...], KabupatenYear]] = {}

    async def get(self, db: Database, year: int, today: date) -> KabupatenYear:
        acts = await self._activities.get(db, year)
        in_force = await program_kerja.in_force_plan_ids(db, year)
        key = (today, in_force, self._activities.newest(year))
        held = self._held.get(year)
        if held is not None and held[0] == key:
            return held[1]
        force = await program_kerja.in_force_programs(db, year)
        by_code: dict[str, list[Activity]] = {}
        for activity in acts:
            by_code.setdefault(activity.kecamatan_code, []).append(activity)
        realized = {code: realization.realize(programs, by_code.get(code, []), year=year, today=today)
                    for code, programs in force.items()}  # fmt: skip
        counted = KabupatenYear(realized, {code: realization.totals(r, by_code.get(code, []))
                                           for code, r in realized.items()})  # fmt: skip
        self._held[year] = (key, counted)
        return counted
