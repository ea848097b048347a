"""How far a plan is carried out, from the laporan linked to its programs: pure, so the dashboard, /rekap, the
export, the nudges and the LPJ all count the same way.

A program is *terlaksana* when every planned month has a linked laporan, *sebagian* when some have, *belum*
when none has. A planned month that has ended without one is *terlambat*.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from bot.program_kerja.model import Program
from storage.program_kerja import Activity

NOT_YET, PARTLY, DONE = "belum", "sebagian", "terlaksana"


@dataclass(frozen=True)
class ProgramRealization:
    program: Program
    activities: tuple[Activity, ...]
    months_done: tuple[int, ...]  # planned months with a linked laporan
    late_months: tuple[int, ...]  # planned months that have ended without one
    peserta: int
    penerima: int
    dana: int

    @property
    def status(self) -> str:
        if not self.months_done:
            return NOT_YET
        return DONE if set(self.months_done) >= set(self.program.bulan) else PARTLY

    @property
    def late(self) -> bool:
        return bool(self.late_months)

    @property
    def last(self) -> Activity | None:
        return self.activities[-1] if self.activities else None


def months_ended(year: int, today: date) -> int:
    """How many months of `year` have ended by `today`: 12 for a past year, 0 for a future one."""
    if year < today.year:
        return 12
    return today.month - 1 if year == today.year else 0


def realize(programs: Sequence[Program], activities: Iterable[Activity], *, year: int,
            today: date) -> list[ProgramRealization]:  # fmt: skip
    """Each program with what its linked laporan of the year add up to, in the plan's order."""
    linked: dict[str, list[Activity]] = {p.uid: [] for p in programs}
    for activity in activities:
        if activity.program_uid in linked and activity.tanggal.year == year:
            linked[activity.program_uid].append(activity)
    ended = months_ended(year, today)
    out = []
    for program in programs:
        mine = sorted(linked[program.uid], key=lambda a: (a.tanggal, a.report_id))
        held = {a.tanggal.month for a in mine}
        out.append(
            ProgramRealization(
                program=program, activities=tuple(mine),
                months_done=tuple(m for m in program.bulan if m in held),
                late_months=tuple(m for m in program.bulan if m <= ended and m not in held),
                peserta=sum(a.peserta for a in mine), penerima=sum(a.penerima for a in mine),
                dana=sum(a.dana for a in mine),
            )
        )  # fmt: skip
    return out


@dataclass(frozen=True)
class Totals:
    """One kecamatan's year in a line: what /rekap, the dashboard's table and the export's totals show."""

    programs: int
    done: int
    partly: int
    late: int
    anggaran: int
    dana: int  # used by linked laporan
    activities: int  # linked laporan
    outside: int  # laporan of the year outside the plan

    @property
    def realized(self) -> int:
        return self.done


def totals(realized: Sequence[ProgramRealization], activities: Iterable[Activity]) -> Totals:
    uids = {r.program.uid for r in realized}
    return Totals(
        programs=len(realized),
        done=sum(r.status == DONE for r in realized),
        partly=sum(r.status == PARTLY for r in realized),
        late=sum(r.late for r in realized),
        anggaran=sum(r.program.anggaran for r in realized),
        dana=sum(r.dana for r in realized),
        activities=sum(len(r.activities) for r in realized),
        outside=sum(1 for a in activities if a.program_uid not in uids),
    )


def by_month(realized: Sequence[ProgramRealization]) -> list[tuple[int, int, int]]:
    """(month, programs planned in it, of those the ones with a linked laporan in it), January to December."""
    return [
        (m, sum(m in r.program.bulan for r in realized), sum(m in r.months_done for r in realized))
        for m in range(1, 13)
    ]


def turned_late(realized: Sequence[ProgramRealization], month: int) -> list[ProgramRealization]:
    """Programs planned in `month` (just ended) without a laporan in it: the admins' digest lists them."""
    return [r for r in realized if month in r.late_months]


def planned_in(programs: Sequence[Program], month: int) -> list[Program]:
    """The programs of a month, for "Program bulan ini" and to put first in the laporan's question."""
    return [p for p in programs if month in p.bulan]
